import { NextRequest, NextResponse } from "next/server";
import { describe, expect, it } from "vitest";
import { rememberCalendarChoice } from "@/lib/calendar/remember-choice";
import { CALENDAR_PRACTITIONER_COOKIE, EVERYONE } from "@/lib/calendar/range";

const WES = "e5690466-ed96-469b-85f3-eb5c79d2dca0";
/** What Chromium sends with a page load, and with the App Router's fetch() (its RSC headers are stripped before proxy.ts). */
const PAGE_LOAD = { "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" };
const ROUTER_FETCH = { "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" };

/** The calendar cookie proxy.ts would set for a request to `path`, or undefined for none. */
function remembered(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  const request = new NextRequest(new URL(path, "http://127.0.0.1:3000"), init);
  return rememberCalendarChoice(request, NextResponse.next()).cookies.get(CALENDAR_PRACTITIONER_COOKIE)?.value;
}

describe("rememberCalendarChoice (proxy.ts)", () => {
  it("remembers the practitioner or everyone a page load of the calendar names", () => {
    expect(remembered(`/dashboard?view=week&practitioner=${WES}`, { headers: PAGE_LOAD })).toBe(WES);
    expect(remembered("/dashboard?practitioner=", { headers: PAGE_LOAD })).toBe(EVERYONE);
    // A browser without Sec-Fetch headers: every request counts as a page load.
    expect(remembered(`/dashboard?practitioner=${WES}`)).toBe(WES);
  });

  it("changes nothing for the router's prefetches and client navigations, or the browser's prefetch", () => {
    expect(
      remembered(`/dashboard?view=day&date=2026-12-05&practitioner=${WES}`, { headers: ROUTER_FETCH }),
    ).toBeUndefined();
    expect(remembered("/dashboard?practitioner=", { headers: ROUTER_FETCH })).toBeUndefined();
    const speculated = { ...PAGE_LOAD, "sec-purpose": "prefetch;prerender" };
    expect(remembered(`/dashboard?practitioner=${WES}`, { headers: speculated })).toBeUndefined();
    expect(remembered(`/dashboard?practitioner=${WES}`, { headers: { purpose: "prefetch" } })).toBeUndefined();
  });

  it("changes nothing for a calendar address naming no one or no id, another page, or a post", () => {
    expect(remembered("/dashboard?view=week", { headers: PAGE_LOAD })).toBeUndefined();
    expect(remembered("/dashboard?practitioner=not-a-practitioner", { headers: PAGE_LOAD })).toBeUndefined();
    expect(remembered(`/dashboard/clients?practitioner=${WES}`, { headers: PAGE_LOAD })).toBeUndefined();
    expect(remembered(`/dashboard?practitioner=${WES}`, { method: "POST", headers: PAGE_LOAD })).toBeUndefined();
  });
});
