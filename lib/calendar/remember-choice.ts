import type { NextRequest, NextResponse } from "next/server";
import { CALENDAR_PRACTITIONER_COOKIE, practitionerFilter, shownPractitionerId } from "./range";

const YEAR_S = 365 * 24 * 60 * 60;

/**
 * proxy.ts, for a GET of the calendar whose address names whose appointments to show:
 * remembers a practitioner's id in CALENDAR_PRACTITIONER_COOKIE, and forgets it on
 * "Everyone" (an empty value). A value that is not an id (a mistyped link) changes
 * nothing. The page reads the cookie only when its address names no one.
 */
export function rememberCalendarChoice(request: NextRequest, response: NextResponse) {
  const { pathname, searchParams } = request.nextUrl;
  if (request.method !== "GET" || pathname !== "/dashboard" || !searchParams.has("practitioner")) return response;
  const chosen = searchParams.get("practitioner") ?? "";
  const id = shownPractitionerId(practitionerFilter(chosen));
  const cookie = {
    name: CALENDAR_PRACTITIONER_COOKIE,
    path: "/dashboard",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: request.nextUrl.protocol === "https:",
  };
  if (chosen === "") response.cookies.delete(cookie);
  else if (id) response.cookies.set({ ...cookie, value: id, maxAge: YEAR_S });
  return response;
}
