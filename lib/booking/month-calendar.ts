import { addDays, parseLocalDate } from "./wall-clock";

/**
 * The booking page's month, as plain data: each day marked free (it has a slot), full
 * (bookable but nothing free) or closed (before today or past the booking horizon), and
 * the neighbouring months that can be shown. Laying the days out in weeks is the date
 * picker's job (app/_ui/month-calendar.tsx). Pure, so it is the same in any TZ.
 */

export type DayState = "free" | "full" | "closed";
export type CalendarDay = { date: string; state: DayState };
export type MonthCalendar = {
  /** "2026-12" */
  month: string;
  /** The clinic's today, which the picker marks. */
  today: string;
  /** Every day of the month, in order. */
  days: CalendarDay[];
  previous?: string;
  next?: string;
};

const MONTH = /^(\d{4})-(\d{2})$/;

/** "2026-12" for a "YYYY-MM" string naming a real month, else null. */
export function parseMonth(month: string): string | null {
  const match = MONTH.exec(month);
  return match && Number(match[2]) >= 1 && Number(match[2]) <= 12 ? month : null;
}

export const monthOf = (date: string) => date.slice(0, 7);

export function firstDayOf(month: string): string {
  return `${month}-01`;
}

export function lastDayOf(month: string): string {
  return addDays(firstDayOf(shiftMonth(month, 1)), -1);
}

/** `month` plus `months` months: shiftMonth("2026-12", 1) is "2027-01". */
export function shiftMonth(month: string, months: number): string {
  const [y, m] = parseLocalDate(firstDayOf(month)) ?? [1970, 1];
  const shifted = new Date(Date.UTC(y, m - 1 + months, 1));
  return shifted.toISOString().slice(0, 7);
}

/** "December 2026". */
export function formatMonth(month: string, locale = "en-GB"): string {
  const [y, m] = parseLocalDate(firstDayOf(month)) ?? [1970, 1];
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", month: "long", year: "numeric" }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

/** The days of `month`, given the bookable window [first = today, last] and the days with a free slot. */
export function monthCalendar(
  month: string,
  bounds: { first: string; last: string },
  free: Set<string>,
): MonthCalendar {
  const days: CalendarDay[] = [];
  for (let date = firstDayOf(month); date <= lastDayOf(month); date = addDays(date, 1)) {
    const bookable = date >= bounds.first && date <= bounds.last;
    days.push({ date, state: !bookable ? "closed" : free.has(date) ? "free" : "full" });
  }
  const previous = shiftMonth(month, -1);
  const next = shiftMonth(month, 1);
  return {
    month,
    today: bounds.first,
    days,
    previous: lastDayOf(previous) >= bounds.first ? previous : undefined,
    next: firstDayOf(next) <= bounds.last ? next : undefined,
  };
}
