import { describe, expect, it } from "vitest";
import { formatMoney } from "@/lib/billing/money";
import { convertMinorUnits, minorToPriceInput, priceInMinorUnits } from "@/lib/clinic/money";

const parse = (currency: string, typed: string) => priceInMinorUnits(currency).safeParse(typed);

describe("prices in the clinic's currency, typed and shown in its own decimals", () => {
  it.each([
    ["GBP", "45", 4500, "45.00", "£45.00"],
    ["GBP", "£1,234.5", 123450, "1234.50", "£1,234.50"],
    ["GBP", "0.05", 5, "0.05", "£0.05"],
    ["JPY", "4500", 4500, "4500", "JP¥4,500"],
    ["JPY", "¥4,500", 4500, "4500", "JP¥4,500"],
    ["KWD", "1.234", 1234, "1.234", "KWD 1.234"],
    ["KWD", "KWD 12.5", 12500, "12.500", "KWD 12.500"],
    ["EUR", " 60.00 ", 6000, "60.00", "€60.00"],
  ])("%s: %s is %i minor units, shown %s in the form and %s on the page", (currency, typed, minor, input, shown) => {
    expect(parse(currency, typed)).toEqual({ success: true, data: minor });
    expect(minorToPriceInput(minor, currency)).toBe(input);
    // What the form shows reads back as the same price: a round trip loses nothing.
    expect(parse(currency, input)).toEqual({ success: true, data: minor });
    expect(formatMoney(minor, currency).replace(/\s/g, " ")).toBe(shown);
  });

  it.each([
    ["JPY", "4500.5", "JPY prices have no decimals: enter a price such as 4500"],
    ["GBP", "12.345", "Enter a price such as 45.00 (up to 2 decimals)"],
    ["KWD", "1.2345", "Enter a price such as 45.000 (up to 3 decimals)"],
    ["GBP", "45,50", "Enter a price such as 45.00"],
    ["GBP", "-5", "Enter a price such as 45.00"],
    ["GBP", "1e3", "Enter a price such as 45.00"],
    ["GBP", "12345678", "Enter a price below 1000000"],
  ])("%s refuses %s", (currency, typed, message) => {
    const result = parse(currency, typed);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });

  it("rescales minor units to a new currency, keeping the amount as typed, or says it cannot", () => {
    expect(convertMinorUnits(4500, "GBP", "EUR")).toBe(4500);
    expect(convertMinorUnits(4500, "GBP", "JPY")).toBe(45);
    expect(convertMinorUnits(4550, "GBP", "JPY")).toBeNull();
    expect(convertMinorUnits(45, "JPY", "KWD")).toBe(45000);
    expect(convertMinorUnits(1230, "KWD", "GBP")).toBe(123);
    expect(convertMinorUnits(1234, "KWD", "GBP")).toBeNull();
  });
});
