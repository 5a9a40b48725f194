import { describe, expect, it } from "vitest";
import { formatChange, formatRate, percentChange } from "@/lib/billing/change";
import { formatMoney } from "@/lib/billing/money";
import { BillingInputError, formatPeriod, parsePeriod, periodEndingAt, shiftPeriod } from "@/lib/billing/period";
import { NonRetriableError } from "@/lib/jobs/define";

describe("periodEndingAt: the month a monthly run stands for, per clinic zone", () => {
  // The cron fires at 06:00 Europe/London on the 1st: 06:00Z in winter, 05:00Z in summer.
  const november = new Date("2026-11-01T06:00:00Z");
  const may = new Date("2026-05-01T05:00:00Z");
  const january = new Date("2027-01-01T06:00:00Z");

  it.each([
    ["Europe/London", "2026-10", "2026-04", "2026-12"],
    ["Australia/Sydney", "2026-10", "2026-04", "2026-12"],
    ["Pacific/Kiritimati", "2026-10", "2026-04", "2026-12"], // UTC+14: already the 1st, evening
    ["America/New_York", "2026-10", "2026-04", "2026-12"], // 01:00 on the 1st
    ["America/Los_Angeles", "2026-10", "2026-04", "2026-12"], // still 22:00-23:00 on the last day
    ["Pacific/Honolulu", "2026-10", "2026-04", "2026-12"], // UTC-10: 19:00-20:00 on the last day
  ])("%s gets the month just ending there", (zone, afterOctober, afterApril, afterDecember) => {
    expect(periodEndingAt(november, zone)).toBe(afterOctober);
    expect(periodEndingAt(may, zone)).toBe(afterApril);
    expect(periodEndingAt(january, zone)).toBe(afterDecember);
  });

  it("gives the same month for a run replayed weeks later from the same slot time", () => {
    expect(periodEndingAt(new Date("2026-11-01T06:00:00Z"), "Europe/London")).toBe(
      periodEndingAt(new Date("2026-11-20T12:00:00Z"), "Europe/London"),
    );
  });
});

describe("billing periods", () => {
  it("parses YYYY-MM and shifts across years", () => {
    expect(parsePeriod("2026-03")).toEqual({ year: 2026, month: 3 });
    expect(shiftPeriod("2026-01", -1)).toBe("2025-12");
    expect(shiftPeriod("2026-12", 1)).toBe("2027-01");
    expect(formatPeriod("2026-10")).toBe("October 2026");
  });

  it.each(["2026-3", "2026-00", "2026-13", "26-03", "", "2026-03-01"])(
    "refuses %j, naming the expected shape, as a non-retriable error",
    (period) => {
      expect(() => parsePeriod(period)).toThrow(BillingInputError);
      expect(() => parsePeriod(period)).toThrow(NonRetriableError);
      expect(() => parsePeriod(period)).toThrow("must be a month written YYYY-MM");
    },
  );
});

describe("money and change formatting", () => {
  it("formats integer minor units in the currency's own digits", () => {
    expect(formatMoney(192500, "GBP")).toBe("£1,925.00");
    expect(formatMoney(5, "GBP")).toBe("£0.05");
    expect(formatMoney(12000, "AUD")).toBe("A$120.00");
    expect(formatMoney(4500, "JPY")).toBe("JP¥4,500");
    expect(formatMoney(1234, "KWD").replace(/\s/g, " ")).toBe("KWD 1.234"); // ICU puts a no-break space here
  });

  it("describes month-over-month change", () => {
    expect(percentChange(150, 100)).toBe(50);
    expect(percentChange(1, 3)).toBe(-66.7);
    expect(formatChange(150, 100)).toBe("+50%");
    expect(formatChange(50, 100)).toBe("-50%");
    expect(formatChange(100, 100)).toBe("no change");
    expect(formatChange(5, 0)).toBe("up from zero");
    expect(formatChange(5, null)).toBe("no previous month");
    expect(formatRate(1 / 3)).toBe("33.3%");
    expect(formatRate(null)).toBe("n/a");
  });
});
