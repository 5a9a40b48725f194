import type { NextRequest, NextResponse } from "next/server";
import { CALENDAR_PRACTITIONER_COOKIE, EVERYONE, practitionerFilter, shownPractitionerId } from "./range";

const YEAR_S = 365 * 24 * 60 * 60;

/**
 * A page load the member asked for: the "Whose appointments" form (a plain GET form, so
 * a page load with or without JavaScript), or a link typed, bookmarked or shared. Not the
 * App Router's own fetches, its prefetches and client-side navigations (Sec-Fetch-Mode
 * `cors`/`same-origin`; Next strips its RSC headers before proxy.ts runs, so this is what
 * tells them apart): calendar links only carry along the practitioner already shown. Not
 * the browser's prefetches either (Sec-Purpose). A browser too old to send Sec-Fetch-Mode
 * counts every request as a page load.
 */
function isPageLoad(request: NextRequest) {
  const { headers } = request;
  if (/prefetch/i.test(headers.get("sec-purpose") ?? headers.get("purpose") ?? "")) return false;
  const mode = headers.get("sec-fetch-mode");
  return mode === null || mode === "navigate";
}

/**
 * proxy.ts, for a page load (isPageLoad) of the calendar whose address names whose
 * appointments to show: remembers a practitioner's id in CALENDAR_PRACTITIONER_COOKIE, or
 * EVERYONE for "Everyone" (an empty value). A value that is not an id (a mistyped link)
 * changes nothing. The page reads the cookie only when its address names no one.
 *
 * Were the router's fetches remembered too, the prefetches of a member's own column's
 * links would record as a choice the column they were only shown by default, and one
 * still on its way when they choose "Everyone" would undo that choice.
 */
export function rememberCalendarChoice(request: NextRequest, response: NextResponse) {
  const { pathname, searchParams } = request.nextUrl;
  const names = request.method === "GET" && pathname === "/dashboard" && searchParams.has("practitioner");
  if (!names || !isPageLoad(request)) return response;
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
