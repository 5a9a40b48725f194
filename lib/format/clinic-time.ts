import { parseLocalDate } from "@/lib/booking/wall-clock";

/**
 * Dates and times as a clinic's staff and clients read them: in the clinic's time zone
 * and with its locale's conventions, so an "en-US" clinic sees 2:30 PM and an "en-GB"
 * one 14:30. Everything the dashboard renders goes through one of these.
 */
export type ClinicClock = { timeZone: string; locale: string };

/** What a clinic shows until it chooses (clinics.locale's default). */
export const DEFAULT_LOCALE = "en-GB";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(clock: ClinicClock, options: Intl.DateTimeFormatOptions, key: string) {
  const id = `${clock.locale}|${clock.timeZone}|${key}`;
  let format = formatters.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(safeLocale(clock.locale), { timeZone: clock.timeZone, ...options });
    formatters.set(id, format);
  }
  return format;
}

/** An unknown or missing tag (details saved before clinics had one) falls back to en-GB rather than failing. */
function safeLocale(locale: string | null | undefined) {
  try {
    return locale && Intl.DateTimeFormat.supportedLocalesOf([locale]).length ? locale : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/** "14:30" or "2:30 PM"; with the zone's short name ("01:30 BST") on the days its clocks change. */
export function formatClinicTime(instant: Date, clock: ClinicClock, options: { withZone?: boolean } = {}) {
  return options.withZone
    ? formatter(clock, { hour: "numeric", minute: "2-digit", timeZoneName: "short" }, "time-zone").format(instant)
    : formatter(clock, { hour: "numeric", minute: "2-digit" }, "time").format(instant);
}

/** "09:30" for 570 minutes after midnight: a time of day as forms post it (timeOfDay in lib/clinic/form-fields.ts). */
export function minutesToTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/**
 * A time of day given as minutes after midnight, "14:30" or "2:30 PM": the working-hours
 * and time-off pickers. 1440 is the end of the day ("24:00", "12:00 AM (end of day)").
 */
export function formatTimeOfDay(minutes: number, locale: string) {
  const format = formatter(
    { timeZone: "UTC", locale: safeLocale(locale) },
    { hour: "numeric", minute: "2-digit" },
    "time",
  );
  // A 24-hour clock lists "09:00" rather than "9:00", so the times line up in a picker.
  if (format.resolvedOptions().hourCycle === "h23") return minutesToTime(minutes);
  const label = format.format(new Date(Date.UTC(1970, 0, 1, 0, minutes % 1440)));
  return minutes < 1440 ? label : `${label} (end of day)`;
}

/** The times of day every `step` minutes from 00:00 to 24:00, both included: "HH:MM" with formatTimeOfDay's label. */
export function timeOfDayOptions(locale: string, step: number): { value: string; label: string }[] {
  return Array.from({ length: 1440 / step + 1 }, (_, i) => ({
    value: minutesToTime(i * step),
    label: formatTimeOfDay(i * step, locale),
  }));
}

/** An account is not a clinic's: moments about an account (an address change) are stated in UTC, with its name. */
export const ACCOUNT_CLOCK = { timeZone: "UTC", locale: "en-GB" };

/**
 * "Monday, 30 March 2026 at 09:30 BST" or "Monday, March 30, 2026 at 9:30 AM EDT": a moment
 * as emails state it, with the zone's name so a reader elsewhere is not misled.
 */
export function formatClinicDateTime(instant: Date, clock: { timeZone: string; locale?: string | null }) {
  const options: Intl.DateTimeFormatOptions = {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  };
  return formatter({ timeZone: clock.timeZone, locale: safeLocale(clock.locale) }, options, "date-time").format(
    instant,
  );
}

/** "Monday 30 November 2026" or "Monday, November 30, 2026": the day of an instant, in the clinic's zone. */
export function formatClinicLongDate(instant: Date, clock: ClinicClock) {
  return formatter(clock, { weekday: "long", day: "numeric", month: "long", year: "numeric" }, "long-date").format(
    instant,
  );
}

/** "14:30–15:15" or "2:30–3:15 PM", the way the locale writes a range. */
export function formatClinicTimeRange(start: Date, end: Date, clock: ClinicClock) {
  return formatter(clock, { hour: "numeric", minute: "2-digit" }, "time").formatRange(start, end);
}

/** "Mon 30 Nov, 09:00 – 17:00" (one day) or "Mon 30 Nov, 09:00 – Tue 1 Dec, 17:00", in the locale's words. */
export function formatClinicDateTimeRange(start: Date, end: Date, clock: ClinicClock) {
  const options: Intl.DateTimeFormatOptions = {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "numeric",
    minute: "2-digit",
  };
  return formatter(clock, options, "datetime").formatRange(start, end);
}

/** "Mon 30 Nov" or "Mon, Nov 30". */
export function formatClinicDate(instant: Date, clock: ClinicClock) {
  return formatter(clock, { weekday: "short", day: "numeric", month: "short" }, "date").format(instant);
}

/** "30 Nov 2026" or "Nov 30, 2026": a day that may be in another year, in the clinic's zone. */
export function formatClinicDayOfYear(instant: Date, clock: ClinicClock) {
  return formatter(clock, { day: "numeric", month: "short", year: "numeric" }, "day-of-year").format(instant);
}

/** A calendar date ("2026-11-30") as "Monday 30 November 2026" / "Monday, November 30, 2026". */
export function formatLocalDate(date: string, locale: string, style: "long" | "short" = "long") {
  const [y, m, d] = parseLocalDate(date) ?? [1970, 1, 1];
  const options: Intl.DateTimeFormatOptions =
    style === "long"
      ? { weekday: "long", day: "numeric", month: "long", year: "numeric" }
      : { weekday: "short", day: "numeric", month: "short" };
  // Noon UTC of the date, read in UTC: the same calendar day whatever the server's zone.
  return new Intl.DateTimeFormat(safeLocale(locale), { ...options, timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d, 12)),
  );
}
