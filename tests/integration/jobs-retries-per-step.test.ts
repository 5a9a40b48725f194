import { asc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns, jobSteps } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { retryDelayMs } from "@/lib/jobs/postgres/backoff";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated, testClock } from "./jobs-support/clock";

// Inngest counts retries per step: a run whose steps each fail once (a 429 per owner
// email, say) succeeds with retries: 1, and backoff starts afresh for each step.

const runOf = async (eventId: string) => (await db.select().from(jobRuns).where(eq(jobRuns.eventId, eventId)))[0];

afterEach(() => testClock().reset());

describe("retries count per step", () => {
  it("completes a retries: 1 run whose three steps each fail once, each first try seeing attempt 0", async () => {
    const seen: Record<string, number[]> = { a: [], b: [], c: [] };
    const job = defineJob(
      { id: "each-step-fails-once", triggers: [{ event: "booking/created" }], retries: 1 },
      async ({ step, attempt }) => {
        for (const name of ["a", "b", "c"] as const) {
          await step.run(name, () => {
            seen[name].push(attempt);
            if (seen[name].length === 1) throw new Error(`429 on ${name}`);
            return name;
          });
        }
        return "sent";
      },
    );
    const jobs = [job];
    const clock = testClock();
    // Held still: however slow this machine is, a backoff only passes when the test says so.
    await clock.freeze();
    const random = () => 0.5;
    const [sent] = await sendEvent(bookingCreated(), { jobs });

    for (const name of ["a", "b", "c"]) {
      const before = await clock.now();
      const retried = await drain({ budgetMs: 30_000, jobs, random });
      const after = await clock.now();
      expect(retried, `the first failure of step ${name}`).toMatchObject({ processed: 1, retried: 1 });
      const run = await runOf(sent.id);
      // The first failure of this step, whatever the steps before it went through.
      expect(run).toMatchObject({ status: "queued", attempt: 1, error: { message: `429 on ${name}` } });
      expect(run.runAt.getTime()).toBeGreaterThanOrEqual(before.getTime() + retryDelayMs(1, random));
      expect(run.runAt.getTime()).toBeLessThanOrEqual(after.getTime() + retryDelayMs(1, random));
      await clock.set(run.runAt);
    }
    expect(await drain({ budgetMs: 30_000, jobs, random })).toMatchObject({
      processed: 1,
      completed: 1,
    });

    expect(seen).toEqual({ a: [0, 1], b: [0, 1], c: [0, 1] });
    const run = await runOf(sent.id);
    expect(run).toMatchObject({ status: "completed", attempt: 0, output: "sent", error: null });
    const steps = await db.select().from(jobSteps).where(eq(jobSteps.runId, run.id)).orderBy(asc(jobSteps.id));
    expect(steps.map((s) => [s.stepId, s.status, s.attempt])).toEqual([
      ["a", "failed", 0],
      ["a", "completed", 1],
      ["b", "failed", 0],
      ["b", "completed", 1],
      ["c", "failed", 0],
      ["c", "completed", 1],
    ]);
  });

  it("still fails a step that fails more often than its retries allow", async () => {
    let calls = 0;
    const job = defineJob(
      { id: "second-step-keeps-failing", triggers: [{ event: "booking/created" }], retries: 1 },
      async ({ step }) => {
        await step.run("fine", () => "ok");
        await step.run("broken", () => {
          calls++;
          throw new Error("still down");
        });
      },
    );
    const jobs = [job];
    const clock = testClock();
    // Held still: however slow this machine is, a backoff only passes when the test says so.
    await clock.freeze();
    const [sent] = await sendEvent(bookingCreated(), { jobs });
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ retried: 1 });
    await clock.set((await runOf(sent.id)).runAt);
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ failed: 1 });
    expect(calls).toBe(2);
    expect(await runOf(sent.id)).toMatchObject({ status: "failed", attempt: 2, error: { message: "still down" } });
  });

  it("lets a parallel step finish before the handler restarts, so it runs once per attempt", async () => {
    let aCalls = 0;
    let bStarted = 0;
    let bFinished = 0;
    const job = defineJob(
      { id: "parallel-steps", triggers: [{ event: "booking/created" }], retries: 2 },
      async ({ step }) => {
        const [a, b] = await Promise.all([
          step.run("a", () => {
            if (++aCalls === 1) throw new Error("a fails once");
            return "a";
          }),
          step.run("b", async () => {
            bStarted++;
            await new Promise((resolve) => setTimeout(resolve, 300));
            bFinished++;
            return "b";
          }),
        ]);
        return a + b;
      },
    );
    const jobs = [job];
    const clock = testClock();
    // Held still: however slow this machine is, a backoff only passes when the test says so.
    await clock.freeze();
    const [sent] = await sendEvent(bookingCreated(), { jobs });
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ retried: 1 });
    // If the first attempt's b got going, it outlives the attempt; let it end first.
    while (bFinished < bStarted) await new Promise((resolve) => setTimeout(resolve, 20));
    const bStartedBefore = bStarted;
    await clock.set((await runOf(sent.id)).runAt);

    // a succeeds on its retry and resets the count while b is still running: the handler
    // restarts only once b is checkpointed, and replays it.
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ processed: 1, completed: 1 });
    expect(aCalls).toBe(2);
    expect(bStarted - bStartedBefore).toBe(1);
    expect(await runOf(sent.id)).toMatchObject({ status: "completed", attempt: 0, output: "ab" });
  });
});
