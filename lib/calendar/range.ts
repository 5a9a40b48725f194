import { z } from "zod";
import { addDays, isoWeekday, localDateOf, parseLocalDate } from "@/lib/booking/wall-clock";

/**
 * Which days the dashboard calendar shows, and whose, from its URL
 * (?view=day|week&date=YYYY-MM-DD&practitioner=<id>). Links, not client state, move between
 * days and weeks, so it works without JavaScript, and each keeps the practitioner shown.
 */
export type CalendarView = "day" | "week";
export type CalendarRange = {
  view: CalendarView;
  date: string;
  days: string[];
  previous: string;
  next: string;
  /** One practitioner's appointments only; null for everyone's. */
  practitioner: PractitionerFilter;
  /**
   * Who chose: the link; the browser's last choice (the cookie); or no one, and then the
   * calendar opens on the member's own column if they are one of the practitioners.
   */
  choiceFrom: "link" | "remembered" | "default";
};
/** `invalid` is a value no practitioner can have (the page says so and shows everyone). */
export type PractitionerFilter = { id: string } | { invalid: string } | null;

const searchSchema = z.object({
  view: z.enum(["day", "week"]).catch("day"),
  date: z
    .string()
    .refine((value) => parseLocalDate(value) !== null)
    .optional()
    .catch(undefined),
  practitioner: z.string().optional(),
});

/**
 * "Whose appointments" is remembered in this cookie (set by proxy.ts whenever a calendar
 * address names a practitioner, or everyone), so the calendar opens on the last choice.
 * A link's own `practitioner` always wins.
 */
export const CALENDAR_PRACTITIONER_COOKIE = "slotline-calendar-practitioner";
/** The cookie's value for "Everyone", kept so a practitioner's own column is not opened instead. */
export const EVERYONE = "everyone";

/**
 * The range for `params`; a missing or malformed date means today in the clinic's zone.
 * Without a `practitioner` in the link, `remembered` (the cookie's value) chooses.
 */
export function calendarRange(
  params: { view?: string | string[]; date?: string | string[]; practitioner?: string | string[] },
  timeZone: string,
  now = new Date(),
  remembered?: string,
): CalendarRange {
  const first = (value?: string | string[]) => (Array.isArray(value) ? value[0] : value);
  const { view, date, practitioner } = searchSchema.parse({
    view: first(params.view),
    date: first(params.date),
    practitioner: first(params.practitioner),
  });
  const choice = chooser(practitioner, remembered);
  const day = date ?? localDateOf(now, timeZone);
  if (view === "day")
    return { view, date: day, days: [day], previous: addDays(day, -1), next: addDays(day, 1), ...choice };
  // Weeks start on Monday (ISO), as clinics' rotas do.
  const monday = addDays(day, 1 - isoWeekday(day));
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  return { view, date: day, days, previous: addDays(day, -7), next: addDays(day, 7), ...choice };
}

function chooser(linked: string | undefined, remembered: string | undefined) {
  if (linked !== undefined) return { practitioner: practitionerFilter(linked), choiceFrom: "link" as const };
  // A remembered value is only ever an id or EVERYONE (remember-choice.ts); anything else is ignored.
  if (remembered === EVERYONE) return { practitioner: null, choiceFrom: "remembered" as const };
  const kept = practitionerFilter(remembered);
  if (kept && "id" in kept) return { practitioner: kept, choiceFrom: "remembered" as const };
  return { practitioner: null, choiceFrom: "default" as const };
}

/** A practitioner's id, `invalid` for a value no id can be, null for none ("Everyone"). */
export function practitionerFilter(value: string | undefined): PractitionerFilter {
  if (!value) return null; // "Everyone" submits an empty value
  return z.uuid().safeParse(value).success ? { id: value } : { invalid: value };
}

/** The id a calendar link carries on: the one shown, none for everyone or a bad value. */
export function shownPractitionerId(filter: PractitionerFilter) {
  return filter && "id" in filter ? filter.id : undefined;
}

export function calendarHref(view: CalendarView, date: string, practitionerId?: string) {
  return `/dashboard?view=${view}&date=${date}${practitionerId ? `&practitioner=${practitionerId}` : ""}`;
}
