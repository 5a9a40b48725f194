import { env } from "@/lib/env";
import type { Throttle } from "@/lib/jobs/types";

/**
 * The throttle of every job that sends email: Resend allows 2 requests per second per
 * team by default, so runs of each email job start at most EMAIL_RATE_PER_SECOND per
 * second (default 2) on either driver. Later runs wait their turn; none is dropped.
 */
export function emailThrottle(): Throttle {
  return { limit: env().EMAIL_RATE_PER_SECOND, period: "1s" };
}
