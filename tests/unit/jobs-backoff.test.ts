import { describe, expect, it } from "vitest";
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, retryDelayMs } from "@/lib/jobs/postgres/backoff";
import { durationToMs, toWakeTime } from "@/lib/jobs/postgres/duration";

describe("retryDelayMs (exponential backoff with jitter)", () => {
  it("doubles the ceiling per failed attempt and stays within [ceiling/2, ceiling]", () => {
    const low = () => 0;
    const high = () => 1;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, high))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, low))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(retryDelayMs(1, () => 0.5)).toBe(BACKOFF_BASE_MS * 0.75);
  });

  it("caps at one hour however many attempts failed", () => {
    expect(retryDelayMs(30, () => 1)).toBe(BACKOFF_MAX_MS);
    expect(retryDelayMs(1_000, () => 0)).toBe(BACKOFF_MAX_MS / 2);
  });

  it("spreads simultaneous failures apart (jitter)", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(4)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(8_000);
      expect(delay).toBeLessThanOrEqual(16_000);
    }
  });

  it("refuses a nonsense attempt count", () => {
    expect(() => retryDelayMs(0)).toThrow(/positive integer/);
    expect(() => retryDelayMs(1.5)).toThrow(/positive integer/);
  });
});

describe("Inngest durations", () => {
  it("reads the Inngest forms and milliseconds", () => {
    expect(durationToMs("30s")).toBe(30_000);
    expect(durationToMs("15m")).toBe(900_000);
    expect(durationToMs("24h")).toBe(86_400_000);
    expect(durationToMs("7d")).toBe(604_800_000);
    expect(durationToMs("1w")).toBe(604_800_000);
    expect(durationToMs("1h30m")).toBe(5_400_000);
    expect(durationToMs(250)).toBe(250);
  });

  it("names what is wrong with a bad duration or date", () => {
    expect(() => durationToMs("soon")).toThrow(/"soon" is not a duration/);
    expect(() => durationToMs("5 minutes")).toThrow(/not a duration/);
    expect(() => durationToMs(-1)).toThrow(/non-negative/);
    expect(() => toWakeTime("not a date")).toThrow(/valid date/);
    expect(toWakeTime("2026-05-01T10:00:00Z").toISOString()).toBe("2026-05-01T10:00:00.000Z");
  });
});
