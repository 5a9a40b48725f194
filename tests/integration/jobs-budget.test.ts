import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns, jobSteps } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated } from "./jobs-support/clock";

const STEP_MS = 400;

describe("time-budgeted drains", () => {
  it("stops starting steps when the budget is spent and releases the run without counting an attempt", async () => {
    const executions = new Map<string, number>();
    const job = defineJob({ id: "slow-steps", triggers: [{ event: "booking/created" }] }, async ({ step, runId }) => {
      for (const name of ["a", "b", "c", "d", "e", "f"]) {
        await step.run(name, async () => {
          executions.set(`${runId}:${name}`, (executions.get(`${runId}:${name}`) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, STEP_MS));
        });
      }
    });
    const jobs = [job];
    await sendEvent(
      Array.from({ length: 6 }, () => bookingCreated()),
      { jobs },
    );

    // Long enough for a claim on a loaded machine, shorter than one run (six steps).
    const budgetMs = 1_500;
    const lanes = 2;
    const first = await drain({ budgetMs, concurrency: lanes, jobs });
    // A step already started may finish after the budget; no new one starts. Each of the
    // two lanes can start a step at 0, 400, 800 and 1,200 ms at the earliest, so at most
    // eight ran (fewer on a busy machine), of the 36 a drain without a budget would run.
    // Counted, not timed: a wall-clock bound failed on a machine with both cores loaded.
    expect(executions.size).toBeLessThanOrEqual(lanes * Math.ceil(budgetMs / STEP_MS));
    expect(first.released).toBeGreaterThanOrEqual(1);
    expect(first.completed).toBe(0);
    expect(first.remaining).toBe(6);

    const released = await db.select().from(jobRuns).where(eq(jobRuns.jobId, "slow-steps"));
    expect(released).toHaveLength(6);
    for (const run of released) expect(run).toMatchObject({ status: "queued", attempt: 0, lockedBy: null });

    const second = await drain({ budgetMs: 20_000, concurrency: 3, jobs });
    expect(second).toMatchObject({ completed: 6, remaining: 0 });
    // Checkpointed steps were not executed again by the second drain.
    expect([...executions.values()].every((count) => count === 1)).toBe(true);
    expect(executions.size).toBe(36);
    const [{ count }] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(jobSteps)
      .where(eq(jobSteps.status, "completed"));
    expect(count).toBe(36);
  });

  it("refuses a zero budget or a bad concurrency", async () => {
    await expect(drain({ budgetMs: 0, jobs: [] })).rejects.toThrow(/budgetMs must be a positive number/);
    await expect(drain({ budgetMs: 100, concurrency: 0, jobs: [] })).rejects.toThrow(
      /concurrency must be a positive integer/,
    );
  });
});
