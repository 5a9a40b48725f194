/**
 * When a failed attempt runs again: exponential backoff with "full jitter" (AWS's
 * name for it), so a burst of runs failing on one outage does not retry in lockstep
 * and hammer the dependency again at the same instant.
 *
 * `failedAttempts` is how many attempts have failed so far (1 after the first
 * failure). The ceiling doubles from 2 s up to one hour; the delay is drawn between
 * half the ceiling and the ceiling, so it always grows with the attempt.
 */
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_MAX_MS = 60 * 60_000;

export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) {
    throw new RangeError(`failedAttempts must be a positive integer, got ${failedAttempts}`);
  }
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failedAttempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
