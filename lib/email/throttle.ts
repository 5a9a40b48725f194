import { emailRatePerSecond } from "@/lib/env";
import type { Throttle } from "@/lib/jobs/types";

/**
 * The throttle of every job that sends email: Resend allows 2 requests per second per
 * team by default, so runs of each email job start at most EMAIL_RATE_PER_SECOND per
 * second (default 2). Inngest enforces it from the function config, the Postgres claim
 * from job_throttle_starts; each call to Resend also waits its turn (./pacing.ts).
 *
 * Without RESEND_API_KEY every email goes to the email_outbox table: there is no
 * provider whose limit to keep, so there is no throttle (on either driver), and a month
 * close in development or a staging deploy runs at the speed of the database.
 *
 * Job files call this as they load, before any script has checked the environment, so
 * it reads its variables alone: a bad value elsewhere (or here) is reported by the
 * environment check with every other one, not thrown from an import.
 */
export function emailThrottle(): Throttle | undefined {
  if (!process.env.RESEND_API_KEY) return undefined;
  const parsed = emailRatePerSecond.safeParse(process.env.EMAIL_RATE_PER_SECOND || undefined);
  return { limit: parsed.success ? parsed.data : 2, period: "1s" };
}
