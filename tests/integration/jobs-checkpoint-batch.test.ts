import { asc, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns, jobSteps } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { writeStepCheckpoints } from "@/lib/jobs/postgres/checkpoints";
import { claimDueRuns } from "@/lib/jobs/postgres/claim";
import { drain } from "@/lib/jobs/postgres/drain";
import { completeRuns } from "@/lib/jobs/postgres/transitions";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated, testClock } from "./jobs-support/clock";
import { waitFor } from "./jobs-support/wait";

const leaseMs = 60_000;
const runRow = async (runId: string) => (await db.select().from(jobRuns).where(eq(jobRuns.id, runId)))[0];
/** Which version of the run's row is current (the transaction that wrote it). */
const versionOf = async (runId: string) =>
  (await db.execute<{ xmin: string }>(sql`select xmin::text from job_runs where id = ${runId}::uuid`))[0].xmin;

describe("step.run checkpoints of many runs in one statement", () => {
  it("writes each step under its own claim: a crossed token writes nothing, attempts reset, short leases renew", async () => {
    const job = defineJob({ id: "batched-steps", triggers: [{ event: "booking/created" }] }, () => "done");
    await sendEvent([bookingCreated(), bookingCreated(), bookingCreated(), bookingCreated()], { jobs: [job] });
    const [one, two, three, four] = await claimDueRuns({ workerId: "w", scope: ["batched-steps"], leaseMs, limit: 4 });
    const lease = (run: typeof one) => ({ runId: run.id, claimToken: run.claimToken });
    // Run one is on its third try of a step; run three has little of its lease left.
    await db.update(jobRuns).set({ attempt: 2 }).where(eq(jobRuns.id, one.id));
    await db
      .update(jobRuns)
      .set({ leaseExpiresAt: sql`slotline_now() + interval '5 seconds'` })
      .where(eq(jobRuns.id, three.id));
    const before = { one: await runRow(one.id), three: await runRow(three.id), four: await versionOf(four.id) };

    // Step a finished a second before the others (a checkpoint written later still dates it).
    const now = performance.now();
    const written = await writeStepCheckpoints(
      [
        { lease: lease(one), stepId: "a", output: { n: 1 }, attempt: 2, durationMs: 40, finishedAt: now - 1_000 },
        {
          lease: { runId: two.id, claimToken: one.claimToken },
          stepId: "b",
          output: 2,
          attempt: 0,
          durationMs: 1,
          finishedAt: now,
        },
        { lease: lease(three), stepId: "c", output: "three", attempt: 0, durationMs: 1, finishedAt: now },
        { lease: lease(one), stepId: "d", output: null, attempt: 2, durationMs: 1, finishedAt: now },
        { lease: lease(four), stepId: "e", output: 4, attempt: 0, durationMs: 1, finishedAt: now },
      ],
      leaseMs,
    );
    expect(written).toEqual([true, false, true, true, true]);

    const steps = await db
      .select()
      .from(jobSteps)
      .where(inArray(jobSteps.runId, [one.id, two.id, three.id, four.id]))
      .orderBy(asc(jobSteps.id));
    expect(steps.map((step) => [step.runId, step.stepId, step.op, step.status, step.output, step.attempt])).toEqual([
      [one.id, "a", "run", "completed", { n: 1 }, 2],
      [three.id, "c", "run", "completed", "three", 0],
      [one.id, "d", "run", "completed", null, 2],
      [four.id, "e", "run", "completed", 4, 0],
    ]);
    const [a, , d] = steps;
    expect(a.finishedAt!.getTime() - a.startedAt.getTime()).toBe(40);
    expect(d.finishedAt!.getTime() - a.finishedAt!.getTime()).toBeGreaterThanOrEqual(999);
    expect(d.finishedAt!.getTime() - a.finishedAt!.getTime()).toBeLessThanOrEqual(1_001);

    const after = { one: await runRow(one.id), two: await runRow(two.id), three: await runRow(three.id) };
    expect(after.one).toMatchObject({ attempt: 0, leaseExpiresAt: before.one.leaseExpiresAt });
    expect(after.two).toMatchObject({ attempt: 0, status: "running", claimToken: two.claimToken });
    expect(after.three.leaseExpiresAt!.getTime()).toBeGreaterThan(before.three.leaseExpiresAt!.getTime() + 50_000);
    // A run with nothing to renew or reset was locked, not updated: the same version of its row.
    expect(await versionOf(four.id)).toBe(before.four);
  });

  it("lets a drain's lanes share checkpoint statements, every step still written once", async () => {
    let started = 0;
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const job = defineJob({ id: "shared-checkpoints", triggers: [{ event: "booking/created" }] }, async ({ step }) => {
      await step.run("together", async () => {
        started++;
        await gate;
        return "one";
      });
      return step.run("after", () => "two");
    });
    const jobs = [job];
    await sendEvent([bookingCreated(), bookingCreated(), bookingCreated(), bookingCreated()], { jobs });
    const drained = drain({ budgetMs: 60_000, concurrency: 4, jobs });
    // All four lanes are inside the step; they finish it in the same turn.
    await waitFor(() => started === 4);
    openGate();
    expect(await drained).toMatchObject({ processed: 4, completed: 4 });

    const rows = await db.execute<{ step_id: string; xid: string; run_xid: string }>(sql`
      select step.step_id, step.xmin::text as xid, run.xmin::text as run_xid from job_steps step
      join job_runs run on run.id = step.run_id where run.job_id = 'shared-checkpoints'
    `);
    const together = rows.filter((row) => row.step_id === "together");
    const after = rows.filter((row) => row.step_id === "after");
    expect(together).toHaveLength(4);
    expect(after).toHaveLength(4);
    // One transaction per statement: four checkpoints written in fewer than four statements.
    expect(new Set(together.map((row) => row.xid)).size).toBeLessThan(4);
    // The last step of each run is written by the run's completion, not a statement of its own.
    expect(after.filter((row) => row.xid !== row.run_xid)).toEqual([]);
    expect(together.filter((row) => row.xid === row.run_xid)).toEqual([]);
  });

  it("writes a finished step's checkpoint before a retry, so the retry does not run it again", async () => {
    const clock = testClock();
    let executions = 0;
    const job = defineJob(
      { id: "fails-after-step", triggers: [{ event: "booking/created" }] },
      async ({ step, attempt }) => {
        await step.run("once", () => ++executions);
        // The handler's own code fails after the step, on the first attempt only.
        if (attempt === 0) throw new Error("after the step");
        return "done";
      },
    );
    const jobs = [job];
    await sendEvent(bookingCreated(), { jobs });
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ retried: 1 });
    await clock.advance(60_000);
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ completed: 1 });
    expect(executions).toBe(1);
    await clock.reset();
  });

  it("a completion that finds its run taken over writes neither the run nor its last steps", async () => {
    const job = defineJob({ id: "lost-at-the-end", triggers: [{ event: "booking/created" }] }, () => "done");
    await sendEvent([bookingCreated(), bookingCreated()], { jobs: [job] });
    const [mine, theirs] = await claimDueRuns({ workerId: "w", scope: ["lost-at-the-end"], leaseMs, limit: 2 });
    const crossed = { runId: theirs.id, claimToken: mine.claimToken };
    const step = { stepId: "last", output: 1, attempt: 0, durationMs: 1, finishedAt: performance.now() };
    const held = await completeRuns([
      { lease: crossed, output: "not mine", steps: [{ ...step, lease: crossed }] },
      {
        lease: { runId: mine.id, claimToken: mine.claimToken },
        output: "mine",
        steps: [{ ...step, lease: { runId: mine.id, claimToken: mine.claimToken } }],
      },
    ]);
    expect(held).toEqual(new Set([mine.id]));
    const steps = await db
      .select()
      .from(jobSteps)
      .where(inArray(jobSteps.runId, [mine.id, theirs.id]));
    expect(steps.map((row) => [row.runId, row.stepId, row.output])).toEqual([[mine.id, "last", 1]]);
    expect(await runRow(theirs.id)).toMatchObject({ status: "running", output: null });
  });
});
