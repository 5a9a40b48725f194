import { z } from "zod";
import { minorUnitDigits } from "@/lib/billing/money";

/**
 * Treatment prices as people type them and as stored: integer minor units of the
 * clinic's currency, with as many decimals as the currency has (GBP 2, JPY 0, KWD 3;
 * minorUnitDigits is the one place that knows). Displaying money: lib/billing/money.ts.
 */

const MAX_WHOLE_DIGITS = 6;

/** "45.00" for GBP, "4500" for JPY, "45.000" for KWD: what the price field shows as an example. */
export function examplePrice(currency: string) {
  const digits = minorUnitDigits(currency);
  return minorToPriceInput(digits === 0 ? 4500 : 45 * 10 ** digits, currency);
}

/**
 * A price in `currency` -> integer minor units: "45", "45.5", "£1,234.50", "JPY 4500".
 * Parsed from the digits, so 0.1 + 0.2 never enters. A comma is a thousands separator
 * only ("45,50" is refused rather than read as 4550).
 */
export function priceInMinorUnits(currency: string) {
  const digits = minorUnitDigits(currency);
  const example = `Enter a price such as ${examplePrice(currency)}`;
  return z
    .string(example)
    .trim()
    .transform((value) => value.replace(/^[\p{L}\p{Sc}]{1,4}\s*/u, "").replace(/[\s\u00a0\u202f]/g, ""))
    .superRefine((value, ctx) => {
      const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(value);
      if (!match) return void ctx.addIssue({ code: "custom", message: example });
      const [whole, fraction = ""] = [match[1].replace(/,/g, ""), match[2]];
      if (whole.replace(/^0+(?=\d)/, "").length > MAX_WHOLE_DIGITS)
        ctx.addIssue({ code: "custom", message: `Enter a price below ${"1" + "0".repeat(MAX_WHOLE_DIGITS)}` });
      else if (fraction.length > digits)
        ctx.addIssue({
          code: "custom",
          message:
            digits === 0
              ? `${currency} prices have no decimals: ${example.toLowerCase()}`
              : `${example} (up to ${digits} decimals)`,
        });
    })
    .transform((value) => {
      const [whole, fraction = ""] = value.replace(/,/g, "").split(".");
      return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || 0);
    });
}

/** 4500 -> "45.00" (GBP), "4500" (JPY), "4.500" (KWD): a price input's default value. */
export function minorToPriceInput(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(minor);
  const scale = 10 ** digits;
  return `${Math.floor(minor / scale)}.${String(minor % scale).padStart(digits, "0")}`;
}

/**
 * `minor` in `from` -> the same amount as shown, in `to`'s minor units (45.00 GBP ->
 * 45.00 EUR or 45 JPY), or null when `to` has too few decimals to show it (45.50 -> JPY).
 */
export function convertMinorUnits(minor: number, from: string, to: string): number | null {
  const shift = minorUnitDigits(to) - minorUnitDigits(from);
  if (shift >= 0) return minor * 10 ** shift;
  const scale = 10 ** -shift;
  return minor % scale === 0 ? minor / scale : null;
}
