import { z } from "zod";
import { isValidTimeZone } from "@/lib/booking/wall-clock";

/** Where a clinic is: its IANA time zone and its ISO 4217 currency, chosen at sign-up and in settings. */

/** What a clinic gets when nothing was chosen (a form posted without JavaScript, the demo). */
export const DEFAULT_TIME_ZONE = "Europe/London";
export const DEFAULT_CURRENCY = "GBP";

export const timeZoneField = z
  .string("Choose a time zone")
  .trim()
  .max(64, "Choose a time zone from the list")
  .refine(isValidTimeZone, "Choose an IANA time zone such as Europe/London or America/New_York");

const SUPPORTED_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

export const currencyField = z
  .string("Choose a currency")
  .trim()
  .toUpperCase()
  .max(3, "Choose a currency from the list, such as GBP, EUR or USD")
  .refine((code) => SUPPORTED_CURRENCIES.has(code), "Choose a currency from the list, such as GBP, EUR or USD");

/** The zones the pickers offer: this runtime's IANA list. */
export function timeZoneOptions(current?: string) {
  const zones = Intl.supportedValuesOf("timeZone");
  const all = current && !zones.includes(current) ? [current, ...zones] : zones;
  return all.map((zone) => ({ value: zone, label: zone.replace(/_/g, " ") }));
}

// Common currencies first; any other ISO 4217 code the runtime knows is still accepted.
const COMMON_CURRENCIES = (
  "GBP EUR USD CAD AUD NZD CHF SEK NOK DKK PLN CZK HUF RON JPY CNY HKD SGD KRW INR " +
  "THB MYR PHP IDR AED SAR QAR KWD BHD ILS TRY ZAR NGN KES BRL MXN ARS CLP COP"
).split(" ");

/** "GBP · British Pound" options for the currency picker, the clinic's own code included. */
export function currencyOptions(current?: string) {
  const names = new Intl.DisplayNames(["en"], { type: "currency" });
  const codes = COMMON_CURRENCIES.filter((code) => SUPPORTED_CURRENCIES.has(code));
  if (current && !codes.includes(current)) codes.unshift(current);
  return codes.map((code) => ({ value: code, label: `${code} · ${names.of(code) ?? code}` }));
}

/**
 * The date and time conventions a clinic can show (clinics.locale): its staff and clients
 * read times as "14:30" or "2:30 PM" everywhere, from the booking page to the emails.
 */
export const LOCALES = [
  ["en-GB", "English (UK): Monday 30 March, 14:30"],
  ["en-IE", "English (Ireland): Monday 30 March, 14:30"],
  ["en-US", "English (US): Monday, March 30, 2:30 PM"],
  ["en-CA", "English (Canada): Monday, March 30, 2:30 p.m."],
  ["en-AU", "English (Australia): Monday 30 March, 2:30 pm"],
  ["en-NZ", "English (New Zealand): Monday 30 March, 2:30 pm"],
  ["en-IN", "English (India): Monday 30 March, 2:30 pm"],
] as const;

const LOCALE_CODES: readonly string[] = LOCALES.map(([code]) => code);

// Left out (a form from before the picker), the locale stays as it is.
export const localeField = z
  .string("Choose how dates and times are written")
  .trim()
  .refine((code) => LOCALE_CODES.includes(code), "Choose how dates and times are written from the list");

/** The locale picker's options, the clinic's own code included if it is not in the list. */
export function localeOptions(current?: string) {
  const options = LOCALES.map(([value, label]) => ({ value, label }));
  return current && !LOCALE_CODES.includes(current) ? [{ value: current, label: current }, ...options] : options;
}
