import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns, jobSteps } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated } from "./jobs-support/clock";

describe("concurrent drainers", () => {
  it("four drainers over 2,000 runs finish each run exactly once", { timeout: 240_000 }, async () => {
    const executions = new Map<string, number>();
    const job = defineJob({ id: "count-once", triggers: [{ event: "booking/created" }] }, async ({ step, runId }) => {
      await step.run("work", () => {
        executions.set(runId, (executions.get(runId) ?? 0) + 1);
        return runId;
      });
    });
    const jobs = [job];
    for (let batch = 0; batch < 4; batch++) {
      await sendEvent(
        Array.from({ length: 500 }, () => bookingCreated()),
        { jobs },
      );
    }

    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => drain({ budgetMs: 200_000, concurrency: 2, jobs, workerId: `drainer-${i}` })),
    );

    expect(results.reduce((sum, r) => sum + r.completed, 0)).toBe(2_000);
    expect(results.reduce((sum, r) => sum + r.processed, 0)).toBe(2_000);
    // Each drainer did a share of the work (SKIP LOCKED spreads it, nobody waits).
    for (const r of results) expect(r.completed).toBeGreaterThan(0);
    expect(executions.size).toBe(2_000);
    expect([...executions.values()].filter((n) => n !== 1)).toEqual([]);

    const [counts] = await db
      .select({
        completed: sql<number>`count(*) filter (where ${jobRuns.status} = 'completed')::int`,
        total: sql<number>`count(*)::int`,
      })
      .from(jobRuns)
      .where(eq(jobRuns.jobId, "count-once"));
    expect(counts).toEqual({ completed: 2_000, total: 2_000 });
    const [steps] = await db.select({ n: sql<number>`count(*)::int` }).from(jobSteps);
    expect(steps.n).toBe(2_000);
  });
});
