import type { Duration } from "../types";

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Inngest duration strings ("30s", "15m", "24h", "7d", "1w", also "1h30m") or milliseconds. */
export function durationToMs(duration: Duration | string): number {
  if (typeof duration === "number") {
    if (!Number.isFinite(duration) || duration < 0)
      throw new RangeError(`A sleep duration must be a non-negative number of ms, got ${duration}`);
    return duration;
  }
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== duration.replace(/\s+/g, "")) {
    throw new RangeError(`"${duration}" is not a duration; use forms such as "30s", "15m", "24h", "7d" or "1w"`);
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS], 0);
}

/** `sleepUntil` accepts a Date or an ISO string; a bad one must fail loudly, not sleep forever. */
export function toWakeTime(time: Date | string): Date {
  const date = time instanceof Date ? time : new Date(time);
  if (Number.isNaN(date.getTime())) throw new RangeError(`sleepUntil needs a valid date, got "${String(time)}"`);
  return date;
}
