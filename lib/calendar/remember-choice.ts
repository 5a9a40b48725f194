import type { NextRequest, NextResponse } from "next/server";
import { CALENDAR_PRACTITIONER_COOKIE, EVERYONE, practitionerFilter, shownPractitionerId } from "./range";

const YEAR_S = 365 * 24 * 60 * 60;

/**
 * proxy.ts, for a GET of the calendar whose address names whose appointments to show:
 * remembers a practitioner's id in CALENDAR_PRACTITIONER_COOKIE, or EVERYONE for
 * "Everyone" (an empty value). A value that is not an id (a mistyped link) changes
 * nothing. The page reads the cookie only when its address names no one.
 */
export function rememberCalendarChoice(request: NextRequest, response: NextResponse) {
  const { pathname, searchParams } = request.nextUrl;
  if (request.method !== "GET" || pathname !== "/dashboard" || !searchParams.has("practitioner")) return response;
  const chosen = searchParams.get("practitioner") ?? "";
  const value = chosen === "" ? EVERYONE : shownPractitionerId(practitionerFilter(chosen));
  if (!value) return response;
  response.cookies.set({
    name: CALENDAR_PRACTITIONER_COOKIE,
    value,
    path: "/dashboard",
    maxAge: YEAR_S,
    httpOnly: true,
    sameSite: "lax",
    secure: request.nextUrl.protocol === "https:",
  });
  return response;
}
