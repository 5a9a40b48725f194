import { z } from "zod";
import { addDays, isoWeekday, localDateOf, parseLocalDate } from "@/lib/booking/wall-clock";

/**
 * Which days the dashboard calendar shows, from its URL (?view=day|week&date=YYYY-MM-DD).
 * Links, not client state, move between days and weeks, so it works without JavaScript.
 */
export type CalendarView = "day" | "week";
export type CalendarRange = { view: CalendarView; date: string; days: string[]; previous: string; next: string };

const searchSchema = z.object({
  view: z.enum(["day", "week"]).catch("day"),
  date: z
    .string()
    .refine((value) => parseLocalDate(value) !== null)
    .optional()
    .catch(undefined),
});

/** The range for `params`; a missing or malformed date means today in the clinic's zone. */
export function calendarRange(
  params: { view?: string | string[]; date?: string | string[] },
  timeZone: string,
  now = new Date(),
): CalendarRange {
  const first = (value?: string | string[]) => (Array.isArray(value) ? value[0] : value);
  const { view, date } = searchSchema.parse({ view: first(params.view), date: first(params.date) });
  const day = date ?? localDateOf(now, timeZone);
  if (view === "day") return { view, date: day, days: [day], previous: addDays(day, -1), next: addDays(day, 1) };
  // Weeks start on Monday (ISO), as clinics' rotas do.
  const monday = addDays(day, 1 - isoWeekday(day));
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  return { view, date: day, days, previous: addDays(day, -7), next: addDays(day, 7) };
}

export function calendarHref(view: CalendarView, date: string) {
  return `/dashboard?view=${view}&date=${date}`;
}
