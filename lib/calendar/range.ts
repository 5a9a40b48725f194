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

/** The range for `params`; a missing or malformed date means today in the clinic's zone. */
export function calendarRange(
  params: { view?: string | string[]; date?: string | string[]; practitioner?: string | string[] },
  timeZone: string,
  now = new Date(),
): CalendarRange {
  const first = (value?: string | string[]) => (Array.isArray(value) ? value[0] : value);
  const { view, date, practitioner } = searchSchema.parse({
    view: first(params.view),
    date: first(params.date),
    practitioner: first(params.practitioner),
  });
  const filter = practitionerFilter(practitioner);
  const day = date ?? localDateOf(now, timeZone);
  if (view === "day")
    return { view, date: day, days: [day], previous: addDays(day, -1), next: addDays(day, 1), practitioner: filter };
  // Weeks start on Monday (ISO), as clinics' rotas do.
  const monday = addDays(day, 1 - isoWeekday(day));
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  return { view, date: day, days, previous: addDays(day, -7), next: addDays(day, 7), practitioner: filter };
}

function practitionerFilter(value: string | undefined): PractitionerFilter {
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
