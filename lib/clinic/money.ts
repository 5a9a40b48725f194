import { z } from "zod";

/** Treatment prices as people type them (pounds) and as stored (integer pence). Displaying money: lib/billing/money.ts. */

/** "45", "45.5", "£45.00" -> 4500. Parsed from the digits so 0.1 + 0.2 never enters. */
export const poundsToMinor = z
  .string("Enter a price such as 45.00")
  .trim()
  .transform((value) => value.replace(/^£/, "").replace(/,/g, ""))
  .refine((value) => /^\d{1,6}(\.\d{1,2})?$/.test(value), "Enter a price such as 45.00 (up to 2 decimals)")
  .transform((value) => {
    const [pounds, pence = ""] = value.split(".");
    return Number(pounds) * 100 + Number(pence.padEnd(2, "0"));
  });

/** 4500 -> "45.00", for a price input's default value. */
export function minorToPounds(minor: number): string {
  return (minor / 100).toFixed(2);
}
