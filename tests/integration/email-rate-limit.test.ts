import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { apiRatePacing, jobRuns } from "@/lib/db/schema";
import { waitForApiTurn } from "@/lib/email/pacing";
import { EmailDeliveryError, sendWithResend } from "@/lib/email/resend";
import { createCronRun } from "@/lib/jobs/cron";
import { resetDatabaseClock, setDatabaseClock } from "@/lib/jobs/postgres/clock";
import { drain } from "@/lib/jobs/postgres/drain";
import { createClinic, createOwner } from "./job-fixtures";
import { startResendStandIn } from "./support/resend-stand-in";

// Email jobs are throttled only when Resend is configured, and read it as they load
// (lib/email/throttle.ts): set before the imports above run, as a deploy's environment is.
vi.hoisted(() => {
  process.env.RESEND_API_KEY = "re_test_rate_limit";
});

// A stand-in for Resend's API with its default limit: more than 2 requests within any
// second are answered 429 rate_limit_exceeded, as Resend answers them.
const RATE_LIMIT = 2;
const arrivals: number[] = [];
const accepted: { to: string; key: string }[] = [];
let refused = 0;
startResendStandIn(
  (request, body, response) => {
    const now = performance.now();
    const recent = arrivals.filter((at) => now - at < 1_000).length;
    arrivals.push(now);
    response.setHeader("content-type", "application/json");
    if (recent >= RATE_LIMIT) {
      refused++;
      response.writeHead(429);
      response.end(JSON.stringify({ statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests." }));
      return;
    }
    accepted.push({ to: [body.to].flat()[0] as string, key: String(request.headers["idempotency-key"]) });
    response.writeHead(200);
    response.end(JSON.stringify({ id: `em_${accepted.length}` }));
  },
  { apiKey: "re_test_rate_limit", from: "Slotline <hello@slotline.test>" },
);

describe("email under Resend's rate limit", () => {
  it("the stand-in refuses a burst: three requests at once meet a 429", async () => {
    const email = (n: number) => ({
      to: `burst-${n}@example.com`,
      subject: "Burst",
      html: "<p>Burst</p>",
      text: "Burst",
      idempotencyKey: `burst-${n}`,
    });
    const results = await Promise.allSettled(
      [1, 2, 3].map((n) =>
        sendWithResend("re_test_rate_limit", "a@slotline.test", email(n), process.env.RESEND_BASE_URL),
      ),
    );
    const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]).toBeInstanceOf(EmailDeliveryError);
    expect(errors[0]).toMatchObject({ statusCode: 429, code: "rate_limit_exceeded" });
  });

  it("a caller woken late gives its turn back instead of sending into the callers after it", async () => {
    const api = "late-wake-check";
    const nextAt = async () =>
      (await db.select().from(apiRatePacing).where(eq(apiRatePacing.api, api)))[0].nextAt.getTime();
    await waitForApiTurn(api, 2); // takes the first turn at once
    const first = await nextAt();
    // The second turn is 600 ms away; block the event loop past it and past the 100 ms spare.
    const waiting = waitForApiTurn(api, 2);
    await new Promise((resolve) => setImmediate(resolve));
    while ((await nextAt()) === first) await new Promise((resolve) => setTimeout(resolve, 5));
    const blockedUntil = performance.now() + 1_000;
    while (performance.now() < blockedUntil) {
      // a stalled process: timers cannot fire
    }
    await waiting;
    // Two turns were reserved after the first: the one it woke late for, and the one it used.
    expect(Math.round((await nextAt()) - first)).toBeGreaterThanOrEqual(2 * 600 - 5);
  });

  it("a month close with concurrent lanes emails every owner once and meets no 429", { timeout: 120_000 }, async () => {
    // The burst above is forgotten: only the month close is counted.
    arrivals.length = 0;
    refused = 0;
    accepted.length = 0;
    const owners: string[] = [];
    for (let n = 0; n < 4; n++) {
      const { clinic } = await createClinic({ name: `Clinic ${n}` });
      for (const name of [`Owner ${n}a`, `Owner ${n}b`]) owners.push((await createOwner(clinic.id, name)).email);
    }

    const { run } = await createCronRun("billing-summary-monthly", new Date("2026-11-01T06:00:00Z"));
    await setDatabaseClock(new Date("2026-11-01T06:00:05Z"));
    try {
      // Four lanes, as the worker runs by default, each sending as soon as it may.
      const pending = () =>
        db
          .select({ id: jobRuns.id })
          .from(jobRuns)
          .where(
            and(
              inArray(jobRuns.jobId, ["billing-summary-monthly", "billing-summary"]),
              inArray(jobRuns.status, ["queued", "running", "sleeping"]),
            ),
          );
      for (let pass = 0; pass < 20 && (pass === 0 || (await pending()).length > 0); pass++)
        await drain({ budgetMs: 30_000, concurrency: 4 });
    } finally {
      await resetDatabaseClock();
    }

    const [monthly] = await db.select().from(jobRuns).where(eq(jobRuns.id, run.id));
    expect(monthly.status).toBe("completed");
    const summaries = await db.select().from(jobRuns).where(eq(jobRuns.jobId, "billing-summary"));
    expect(summaries.map((r) => r.status)).toEqual(summaries.map(() => "completed"));
    expect(refused).toBe(0);
    expect(accepted.map((email) => email.to).sort()).toEqual([...owners].sort());
    expect(new Set(accepted.map((email) => email.key)).size).toBe(owners.length);
  });
});
