import { describe, expect, it } from "vitest";
import { dateFnsLocale, pickerDate, pickerDay } from "@/app/_ui/picker-dates";
import { LOCALES } from "@/lib/clinic/region";

describe("the date pickers' dates and locales", () => {
  it("has a date-fns locale of its own for every clinic locale, so no clinic falls back to en-GB's weeks", () => {
    for (const [code] of LOCALES) expect(dateFnsLocale(code).code, code).toBe(code);
    expect(dateFnsLocale("en-US").options?.weekStartsOn).toBe(0);
    expect(dateFnsLocale("en-GB").options?.weekStartsOn).toBe(1);
  });

  it("turns a wall-clock date into the picker's day and back, on clock-change and leap days too", () => {
    for (const date of ["2026-03-29", "2026-10-25", "2028-02-29", "2026-12-31"])
      expect(pickerDay(pickerDate(date))).toBe(date);
  });
});
