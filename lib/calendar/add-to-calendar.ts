import { icsUtc, type CalendarEvent } from "./ics";

/**
 * "Add to calendar" links for the web calendars a .ics attachment does not reach with one
 * click. Both take the times in UTC, so the calendar shows them in its owner's zone.
 */

export function googleCalendarUrl(event: CalendarEvent): string {
  return withQuery("https://calendar.google.com/calendar/render", {
    action: "TEMPLATE",
    text: event.title,
    dates: `${icsUtc(event.start)}/${icsUtc(event.end)}`,
    details: event.description,
    location: event.location,
  });
}

/**
 * Outlook.com's compose deeplink. Without `path=/calendar/action/compose&rru=addevent`,
 * which many generators add: with them Outlook shows every space in the title as a `+`.
 */
export function outlookCalendarUrl(event: CalendarEvent): string {
  return withQuery("https://outlook.live.com/calendar/0/deeplink/compose", {
    subject: event.title,
    startdt: isoUtc(event.start),
    enddt: isoUtc(event.end),
    body: event.description,
    location: event.location,
  });
}

const isoUtc = (instant: Date) => instant.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Percent-encoding (a space is `%20`), not URLSearchParams' form encoding, whose `+` not every reader decodes. */
function withQuery(base: string, params: Record<string, string>): string {
  const query = Object.entries(params).map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  return `${base}?${query.join("&")}`;
}
