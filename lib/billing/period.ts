import { NonRetriableError } from "@/lib/jobs/define";

/** A billing request that can never succeed as given: the job fails at once, without retries. */
export class BillingInputError extends NonRetriableError {}

/**
 * The month is still running in the clinic's zone, so it cannot be stored yet. Not a
 * bad input: a wake-up a moment before the month's last midnight (clock skew, an
 * early Inngest sleep) gets this, and the job's retry a little later succeeds.
 */
export class BillingPeriodNotEndedError extends Error {
  override name = "BillingPeriodNotEndedError";
  constructor(
    message: string,
    public readonly periodEnd: Date,
  ) {
    super(message);
  }
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** "YYYY-MM": a calendar month in the clinic's time zone. */
export function parsePeriod(period: string): { year: number; month: number } {
  const match = PERIOD.exec(period);
  if (!match) throw new BillingInputError(`Billing period "${period}" must be a month written YYYY-MM, e.g. 2026-03`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

export function formatPeriodKey(year: number, month: number): string {
  const normalised = new Date(Date.UTC(year, month - 1, 1));
  return `${normalised.getUTCFullYear()}-${String(normalised.getUTCMonth() + 1).padStart(2, "0")}`;
}

// Intl formatters cost far more to build than to use: one per locale or zone, kept.
const monthFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, key: string, build: () => Intl.DateTimeFormat) {
  let format = cache.get(key);
  if (!format) cache.set(key, (format = build()));
  return format;
}

/** "2026-03" -> "March 2026". */
export function formatPeriod(period: string, locale = "en-GB"): string {
  const { year, month } = parsePeriod(period);
  const format = cached(
    monthFormats,
    locale,
    () => new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }),
  );
  return format.format(Date.UTC(year, month - 1, 1));
}

export function shiftPeriod(period: string, months: number): string {
  const { year, month } = parsePeriod(period);
  return formatPeriodKey(year, month + months);
}

/** The wall-clock date of an instant in a zone, as numbers. */
function localDate(at: Date, timeZone: string) {
  const format = cached(
    dateFormats,
    timeZone,
    () => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }),
  );
  const parts = format.formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part("year"), month: part("month"), day: part("day") };
}

/**
 * The month a billing run at `at` stands for in a clinic's zone: the month that has
 * just ended there. The monthly cron fires at 06:00 London time on the 1st, which is
 * still the last evening of the month in zones west of about UTC-6 (Denver, Los
 * Angeles, Honolulu). Reading the zone's date one day later picks the month that is
 * ending there too, so those clinics get their summary the same day (the summary
 * job waits for the month's last local midnight) instead of a month late. For every
 * zone east of that it is simply "last month".
 */
export function periodEndingAt(at: Date, timeZone: string): string {
  const { year, month } = localDate(new Date(at.getTime() + 24 * 60 * 60 * 1000), timeZone);
  return formatPeriodKey(year, month - 1);
}
