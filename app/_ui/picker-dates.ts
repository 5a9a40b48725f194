import { enAU, enCA, enGB, enIE, enIN, enNZ, enUS, type Locale } from "date-fns/locale";

/**
 * What the two date pickers built on components/ui/calendar.tsx (the month of free days,
 * the time-off date field) share: they run in UTC, so a clinic's wall-clock date
 * ("2026-12-14") is the picker's day whatever the browser's zone, and they take the
 * clinic's locale for the first day of the week.
 */
export const PICKER_TIME_ZONE = "UTC";

// The clinic locales of lib/clinic/region.ts (tests/unit/picker-dates.test.ts keeps them in step).
const DATE_FNS_LOCALES: Record<string, Locale> = {
  "en-GB": enGB,
  "en-IE": enIE,
  "en-US": enUS,
  "en-CA": enCA,
  "en-AU": enAU,
  "en-NZ": enNZ,
  "en-IN": enIN,
};

/** The date-fns locale of a clinic locale, for react-day-picker (en-GB when it is not in the list). */
export function dateFnsLocale(locale: string): Locale {
  return DATE_FNS_LOCALES[locale] ?? enGB;
}

/** "2026-12-14" as the picker's Date for that day. */
export const pickerDate = (date: string) => new Date(`${date}T00:00:00Z`);

/** The picker's Date back as "2026-12-14". */
export const pickerDay = (date: Date) => date.toISOString().slice(0, 10);
