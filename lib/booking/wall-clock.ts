import { tzOffset } from "@date-fns/tz";

/**
 * Wall-clock arithmetic in a named IANA zone, independent of the server's own TZ.
 * (TZDate's constructor resolves an ambiguous October time differently depending on
 * process.env.TZ, so the one conversion that matters is done here explicitly.)
 */

const DAY_MS = 86_400_000;

/** "YYYY-MM-DD" -> [year, month (1-12), day], or null when it is not a real date. */
export function parseLocalDate(date: string): [number, number, number] | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [y, m, d] = match.slice(1).map(Number);
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d ? [y, m, d] : null;
}

/** ISO weekday of a calendar date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = parseLocalDate(date) ?? fail(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
}

function fail(date: string): never {
  throw new RangeError(`"${date}" is not a date in the form YYYY-MM-DD`);
}

/**
 * The instant at which clocks in `timeZone` show `minute` minutes after midnight of
 * `date` (minute 1440 is the next midnight). On the autumn change an ambiguous time
 * (01:30 twice in London) resolves to its first occurrence; in the spring gap a time
 * that never happens (01:30) moves forward by the gap (02:30), as clocks do.
 */
export function wallClockToInstant(date: string, minute: number, timeZone: string): Date {
  const [y, m, d] = parseLocalDate(date) ?? fail(date);
  const asUtc = Date.UTC(y, m - 1, d, 0, minute);
  const before = tzOffset(timeZone, new Date(asUtc - DAY_MS));
  const after = tzOffset(timeZone, new Date(asUtc + DAY_MS));
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((instant) => asUtc - tzOffset(timeZone, new Date(instant)) * 60_000 === instant)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? asUtc - before * 60_000);
}

/** The calendar date ("YYYY-MM-DD") an instant falls on in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  const shifted = new Date(instant.getTime() + tzOffset(timeZone, instant) * 60_000);
  return shifted.toISOString().slice(0, 10);
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parseLocalDate(date) ?? fail(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** "14:30" in the zone, plus the zone's short name on days the clocks change (01:30 BST vs GMT). */
export function formatTime(instant: Date, timeZone: string, withZone = false): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    ...(withZone ? { timeZoneName: "short" } : {}),
  }).format(instant);
}

/** Whether the UTC offset changes during the local day `date` (a clock-change day). */
export function isClockChangeDay(date: string, timeZone: string): boolean {
  return (
    tzOffset(timeZone, wallClockToInstant(date, 0, timeZone)) !==
    tzOffset(timeZone, wallClockToInstant(addDays(date, 1), 0, timeZone))
  );
}

/** Whether `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return true;
  } catch {
    return false;
  }
}
