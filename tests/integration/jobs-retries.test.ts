import { asc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { defineJob, NonRetriableError } from "@/lib/jobs/define";
import { retryDelayMs } from "@/lib/jobs/postgres/backoff";
import { claimDueRuns, reclaimExpiredLeases } from "@/lib/jobs/postgres/claim";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated, testClock } from "./jobs-support/clock";

const runsOf = (jobId: string) =>
  db.select().from(jobRuns).where(eq(jobRuns.jobId, jobId)).orderBy(asc(jobRuns.createdAt));

afterEach(() => testClock().reset());

describe("retries, NonRetriableError and the dead-letter state", () => {
  it("requeues a failed attempt after the backoff schedule's delay", async () => {
    const job = defineJob({ id: "always-fails", triggers: [{ event: "booking/created" }], retries: 2 }, () => {
      throw new Error("upstream 503");
    });
    const jobs = [job];
    const clock = testClock();
    // Held still: however slow this machine is, a backoff only passes when the test says so.
    await clock.freeze();
    const random = () => 0.25;
    await sendEvent(bookingCreated(), { jobs });

    // The retry is due the backoff delay after the failure, on the database's clock.
    const drainExpectingDelay = async (delayMs: number) => {
      const before = await clock.now();
      await drain({ budgetMs: 30_000, jobs, random });
      const after = await clock.now();
      const [run] = await runsOf("always-fails");
      expect(run.runAt.getTime()).toBeGreaterThanOrEqual(before.getTime() + delayMs);
      expect(run.runAt.getTime()).toBeLessThanOrEqual(after.getTime() + delayMs);
      return run;
    };
    let run = await drainExpectingDelay(retryDelayMs(1, random));
    expect(run).toMatchObject({ status: "queued", attempt: 1, error: { message: "upstream 503" } });
    expect(await drain({ budgetMs: 30_000, jobs, random })).toMatchObject({ processed: 0 });

    await clock.set(run.runAt);
    run = await drainExpectingDelay(retryDelayMs(2, random));
    expect(run).toMatchObject({ status: "queued", attempt: 2 });

    await clock.set(run.runAt);
    expect(await drain({ budgetMs: 30_000, jobs, random })).toMatchObject({ failed: 1 });
    [run] = await runsOf("always-fails");
    expect(run).toMatchObject({ status: "failed", attempt: 3, lockedBy: null });
    expect(run.finishedAt).toBeInstanceOf(Date);
  });

  it("fails at once on NonRetriableError, keeping error and stack", async () => {
    let calls = 0;
    const job = defineJob(
      { id: "bad-input", triggers: [{ event: "booking/created" }], retries: 5 },
      async ({ step }) => {
        await step.run("validate", () => {
          calls++;
          throw new NonRetriableError("booking has no client email");
        });
      },
    );
    await sendEvent(bookingCreated(), { jobs: [job] });
    expect(await drain({ budgetMs: 30_000, jobs: [job] })).toMatchObject({ processed: 1, failed: 1, retried: 0 });
    const [run] = await runsOf("bad-input");
    expect(run).toMatchObject({
      status: "failed",
      attempt: 1,
      error: { name: "NonRetriableError", message: "booking has no client email" },
    });
    expect(run.error?.stack).toContain("booking has no client email");
    expect(calls).toBe(1);
  });

  it("runs onFailure once, durably, with the error and the original event", async () => {
    const seen: unknown[] = [];
    const job = defineJob(
      {
        id: "dead-letter",
        triggers: [{ event: "booking/created" }],
        retries: 0,
        onFailure: async ({ event, error, step }) => {
          await step.run("alert-operator", () =>
            seen.push({
              name: event.name,
              error: error.message,
              original: event.data.event.name,
              runId: event.data.run_id,
            }),
          );
        },
      },
      () => {
        throw new Error("card declined");
      },
    );
    const jobs = [job];
    const sent = bookingCreated();
    await sendEvent(sent, { jobs });
    const result = await drain({ budgetMs: 30_000, jobs });
    // The failure and then its onFailure run, which the same drain picks up.
    expect(result).toMatchObject({ processed: 2, failed: 1, completed: 1 });

    const [failed] = await runsOf("dead-letter");
    const [handler] = await runsOf("dead-letter:on-failure");
    expect(failed.status).toBe("failed");
    expect(handler).toMatchObject({ status: "completed", parentRunId: failed.id, eventId: failed.eventId });
    expect(seen).toEqual([
      { name: "inngest/function.failed", error: "card declined", original: "booking/created", runId: failed.id },
    ]);
  });

  it("counts an expired lease as a failed attempt, so a poison run ends as failed", async () => {
    const job = defineJob(
      { id: "poison", triggers: [{ event: "booking/created" }], retries: 1 },
      async () => "never reached in this test",
    );
    const jobs = [job];
    const clock = testClock();
    // Held still: however slow this machine is, a backoff only passes when the test says so.
    await clock.freeze();
    await sendEvent(bookingCreated(), { jobs });

    // Two workers take the run in turn and "crash" (never report back).
    await claimDueRuns({ workerId: "crashed-1", scope: ["poison"], leaseMs: 1_000 });
    await clock.advance(2_000);
    expect(await reclaimExpiredLeases()).toBe(1);
    const [second] = await claimDueRuns({ workerId: "crashed-2", scope: ["poison"], leaseMs: 1_000 });
    expect(second).toMatchObject({ firstClaim: false, attempt: 1, error: { name: "LeaseExpiredError" } });

    await clock.advance(2_000);
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ processed: 1, failed: 1 });
    const [run] = await runsOf("poison");
    expect(run).toMatchObject({ status: "failed", attempt: 2, lockedBy: null, error: { name: "LeaseExpiredError" } });
    expect(run.error?.message).toContain("crashed-2");
  });
});
