import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns, jobSteps } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated, testClock } from "./jobs-support/clock";

describe("step.sleep and step.sleepUntil", () => {
  it("parks the run and wakes it when its time comes, not before", async () => {
    const clock = testClock();
    const wakeTarget = new Date((await clock.now()).getTime() + 3 * 3_600_000);
    const log: string[] = [];
    const job = defineJob({ id: "sleepy", triggers: [{ event: "booking/created" }] }, async ({ step }) => {
      await step.run("before", () => log.push("before"));
      await step.sleep("nap", "1h");
      await step.run("middle", () => log.push("middle"));
      await step.sleepUntil("until", wakeTarget.toISOString());
      await step.run("after", () => log.push("after"));
      return "done";
    });
    const jobs = [job];
    await sendEvent(bookingCreated(), { jobs });
    const before = await clock.now();
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ sleeping: 1 });
    const after = await clock.now();
    let [run] = await db.select().from(jobRuns).where(eq(jobRuns.jobId, "sleepy"));
    expect(run).toMatchObject({ status: "sleeping", lockedBy: null });
    // The wake time is the database's clock at the sleep plus one hour.
    expect(run.runAt.getTime()).toBeGreaterThanOrEqual(before.getTime() + 3_600_000);
    expect(run.runAt.getTime()).toBeLessThanOrEqual(after.getTime() + 3_600_000);

    await clock.set(new Date(run.runAt.getTime() - 60_000));
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ processed: 0 });
    await clock.set(run.runAt);
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ sleeping: 1 });
    [run] = await db.select().from(jobRuns).where(eq(jobRuns.jobId, "sleepy"));
    expect(run.runAt.toISOString()).toBe(wakeTarget.toISOString());

    await clock.set(wakeTarget);
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ completed: 1 });
    expect(log).toEqual(["before", "middle", "after"]);

    const steps = await db.select().from(jobSteps).where(eq(jobSteps.runId, run.id)).orderBy(asc(jobSteps.id));
    expect(steps.map((s) => [s.stepId, s.op, s.status])).toEqual([
      ["before", "run", "completed"],
      ["nap", "sleep", "completed"],
      ["middle", "run", "completed"],
      ["until", "sleep", "completed"],
      ["after", "run", "completed"],
    ]);
  });

  it("does not park for a time already past", async () => {
    const job = defineJob({ id: "past-sleep", triggers: [{ event: "booking/created" }] }, async ({ step }) => {
      await step.sleepUntil("yesterday", new Date(Date.now() - 86_400_000));
      return "ran straight through";
    });
    await sendEvent(bookingCreated(), { jobs: [job] });
    expect(await drain({ budgetMs: 30_000, jobs: [job] })).toMatchObject({ completed: 1, sleeping: 0 });
  });

  it("fails the run with a clear error on a bad duration", async () => {
    const job = defineJob(
      { id: "bad-sleep", triggers: [{ event: "booking/created" }], retries: 0 },
      async ({ step }) => {
        await step.sleep("oops", "tomorrow" as "1d");
      },
    );
    await sendEvent(bookingCreated(), { jobs: [job] });
    await drain({ budgetMs: 30_000, jobs: [job] });
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.jobId, "bad-sleep"));
    expect(run).toMatchObject({
      status: "failed",
      error: { message: expect.stringContaining('"tomorrow" is not a duration') },
    });
  });
});
