import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, sqlClient } from "@/lib/db/client";
import { jobRuns, jobSteps } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import type { JobList } from "@/lib/jobs/registry";
import { claimDueRuns } from "@/lib/jobs/postgres/claim";
import { drain } from "@/lib/jobs/postgres/drain";
import { RunFeed } from "@/lib/jobs/postgres/feed";
import type { RunOutcome } from "@/lib/jobs/postgres/execute";
import { LaneRunner, RUNS_HELD_PER_LANE } from "@/lib/jobs/postgres/lanes";
import { releaseRuns } from "@/lib/jobs/postgres/transitions";
import { leaseOf } from "@/lib/jobs/postgres/lease";
import { runWorker } from "@/lib/jobs/postgres/worker";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated } from "./jobs-support/clock";
import { waitFor } from "./jobs-support/wait";

const runOf = async (eventId: string) => (await db.select().from(jobRuns).where(eq(jobRuns.eventId, eventId)))[0];
const stepsOf = async (runId: string) =>
  (await db.select().from(jobSteps).where(eq(jobSteps.runId, runId)).orderBy(asc(jobSteps.id))).map(
    (step) => step.stepId,
  );

/**
 * Holds a row lock on the run, as a concurrent cancel would, so its next checkpoint
 * write waits on the database until `release()`: a checkpoint that takes its time.
 */
async function holdRunRow(runId: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = sqlClient().begin(async (tx) => {
    await tx`select 1 from job_runs where id = ${runId} for update`;
    locked();
    await released;
  });
  await isLocked;
  return async () => {
    release();
    await transaction;
  };
}

/** Resolves once a checkpoint write waits on a row lock (holdRunRow): its run is paused. */
const checkpointWaits = () =>
  waitFor(async () => {
    const [{ waiting }] = await sqlClient()<{ waiting: number }[]>`
      select count(*)::int as waiting from pg_stat_activity
      where wait_event_type = 'Lock' and query like '%insert into job_steps%'`;
    return waiting > 0;
  });

/**
 * A two-step job whose first step waits at a gate the test opens, so the test can hold
 * the run's row before the checkpoint of that step is written.
 */
function gatedTwoStepJob(id: string) {
  const seen = { first: 0, second: 0 };
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const job = defineJob({ id, triggers: [{ event: "booking/created" }] }, async ({ step }) => {
    await step.run("first", async () => {
      seen.first++;
      await gate;
    });
    await step.run("second", () => seen.second++);
    return "both";
  });
  return { job, seen, openGate };
}

/** A worker of one lane. Its grace outlasts the tests: one that let go of a run only when it ran out would fail them. */
function oneLaneWorker(jobs: JobList) {
  const outcomes: { jobId: string; outcome: RunOutcome }[] = [];
  const controller = new AbortController();
  const worker = runWorker({
    jobs,
    concurrency: 1,
    signal: controller.signal,
    pollMs: 60_000,
    graceMs: 300_000,
    onRun: (run) => outcomes.push(run),
  });
  return { worker, controller, outcomes };
}

/**
 * Once the gated job's first step runs, holds its run's row and opens the gate: the step
 * finishes and the run pauses at its checkpoint, which waits on the lock until `release()`.
 */
async function pauseAtCheckpoint(paused: ReturnType<typeof gatedTwoStepJob>, eventId: string) {
  await waitFor(() => paused.seen.first === 1);
  const release = await holdRunRow((await runOf(eventId)).id);
  paused.openGate();
  await checkpointWaits();
  return release;
}

describe("a run waiting for its checkpoints gives its lane to another run", () => {
  it(
    "with one lane, a run starts and finishes while another's checkpoint is held up",
    { timeout: 120_000 },
    async () => {
      const paused = gatedTwoStepJob("held-up");
      const quick = defineJob({ id: "quick-one", triggers: [{ event: "booking/cancelled" }] }, () => "quick");
      const jobs = [paused.job, quick];
      const [slow] = await sendEvent(bookingCreated(), { jobs });
      const { worker, controller, outcomes } = oneLaneWorker(jobs);

      const release = await pauseAtCheckpoint(paused, slow.id);
      // The one lane is not stuck behind the held-up checkpoint: the next run gets it.
      const [other] = await sendEvent(
        {
          name: "booking/cancelled",
          data: { bookingId: crypto.randomUUID(), clinicId: crypto.randomUUID(), by: "client" },
        },
        { jobs },
      );
      await waitFor(() => outcomes.some((run) => run.jobId === "quick-one"));
      expect(await runOf(other.id)).toMatchObject({ status: "completed", output: "quick" });
      // The paused run's next step has not started: its checkpoint comes first.
      expect(paused.seen.second).toBe(0);
      expect((await runOf(slow.id)).status).toBe("running");

      await release();
      await waitFor(() => outcomes.some((run) => run.jobId === "held-up"));
      expect(await runOf(slow.id)).toMatchObject({ status: "completed", output: "both" });
      expect(await stepsOf((await runOf(slow.id)).id)).toEqual(["first", "second"]);
      expect(paused.seen).toEqual({ first: 1, second: 1 });
      controller.abort();
      expect(await worker).toMatchObject({ finished: true, released: 0 });
    },
  );

  it(
    "a stopping worker waits for a paused run and releases it before its next step",
    { timeout: 120_000 },
    async () => {
      const paused = gatedTwoStepJob("stopped-between");
      const jobs = [paused.job];
      const [sent] = await sendEvent(bookingCreated(), { jobs });
      const { worker, controller, outcomes } = oneLaneWorker(jobs);
      const release = await pauseAtCheckpoint(paused, sent.id);
      controller.abort();
      await release();

      expect(await worker).toMatchObject({ finished: true });
      expect(outcomes.map((run) => run.outcome)).toEqual(["released"]);
      const run = await runOf(sent.id);
      expect(run).toMatchObject({ status: "queued", claimToken: null, attempt: 0 });
      expect(await stepsOf(run.id)).toEqual(["first"]);
      expect(paused.seen).toEqual({ first: 1, second: 0 });
    },
  );

  it("a drain with nothing left to claim stays until its paused run is done", { timeout: 120_000 }, async () => {
    const paused = gatedTwoStepJob("drained-last");
    const quick = defineJob({ id: "drained-quick", triggers: [{ event: "booking/created" }] }, () => "quick");
    const [sent] = await sendEvent(bookingCreated(), { jobs: [paused.job] });
    const jobs = [paused.job, quick];
    const drained = drain({ budgetMs: 100_000, concurrency: 1, jobs });
    // Due before the drain's one lane looks for work while the first run is paused.
    const [other] = await sendEvent(bookingCreated(), { jobs: [quick] });
    const release = await pauseAtCheckpoint(paused, sent.id);

    // Nothing else is due, but the drain's one lane is back for the paused run after this one.
    await waitFor(async () => (await runOf(other.id)).status === "completed");
    await release();
    expect(await drained).toMatchObject({ processed: 2, completed: 2, remaining: 0 });
    expect(await runOf(sent.id)).toMatchObject({ status: "completed", output: "both" });
  });

  it("a drain whose other lane finds nothing due waits for the run in progress, which makes more due", async () => {
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let waiting = 0;
    const child = defineJob({ id: "fanned-out", triggers: [{ event: "booking/cancelled" }] }, () => "child");
    const parent = defineJob({ id: "fanning-out", triggers: [{ event: "booking/created" }] }, async ({ step }) => {
      await step.run("wait", async () => {
        waiting++;
        await gate;
      });
      await step.sendEvent("fan-out", {
        name: "booking/cancelled",
        data: { bookingId: crypto.randomUUID(), clinicId: crypto.randomUUID(), by: "client" },
      });
      return "parent";
    });
    const jobs = [parent, child];
    await sendEvent(bookingCreated(), { jobs });
    // The first claim finds one run for two lanes: the second lane's wait for work starts
    // before the parent's step does, and before the child is due.
    const drained = drain({ budgetMs: 100_000, concurrency: 2, jobs });
    await waitFor(() => waiting === 1);
    openGate();
    expect(await drained).toMatchObject({ processed: 2, completed: 2, remaining: 0 });
    const [childRun] = await db.select().from(jobRuns).where(eq(jobRuns.jobId, "fanned-out"));
    expect(childRun).toMatchObject({ status: "completed", output: "child" });
  });

  it(`holds at most ${RUNS_HELD_PER_LANE} runs per lane, and goes on with paused runs first`, async () => {
    const seen: string[] = [];
    const job = defineJob(
      { id: "held-per-lane", triggers: [{ event: "booking/created" }] },
      async ({ step, runId }) => {
        await step.run("first", () => seen.push(`${runId}:first`));
        await step.run("second", () => seen.push(`${runId}:second`));
      },
    );
    const jobs = [job];
    await sendEvent(
      Array.from({ length: RUNS_HELD_PER_LANE + 2 }, () => bookingCreated()),
      { jobs },
    );
    const claimed = await claimDueRuns({
      workerId: "lane-test",
      scope: ["held-per-lane"],
      leaseMs: 60_000,
      limit: RUNS_HELD_PER_LANE + 2,
    });
    const runner = new LaneRunner({
      jobs,
      leaseMs: 60_000,
      lanes: 1,
      // The test hands the lane its runs itself: this feed has none.
      feed: new RunFeed({ claim: async () => [], prefetch: 0, waitForWork: async () => false }),
      shouldStop: () => false,
      stepTimeoutMs: () => 60_000,
    });
    const outcomes: RunOutcome[] = [];
    // The first run's checkpoint waits on the row lock, and the later ones' behind it.
    const release = await holdRunRow(claimed[0].id);
    for (const [index, run] of claimed.slice(0, RUNS_HELD_PER_LANE).entries()) {
      expect(runner.mayStart).toBe(true);
      // Returns once the run has left the lane: paused before its second step.
      await runner.run(run, (outcome) => outcomes.push(outcome));
      if (index === 0) await checkpointWaits();
    }
    expect(runner).toMatchObject({ held: RUNS_HELD_PER_LANE, paused: RUNS_HELD_PER_LANE, mayStart: false });
    expect(seen).toHaveLength(RUNS_HELD_PER_LANE);
    expect(seen.every((entry) => entry.endsWith(":first"))).toBe(true);

    await release();
    // The lane's turns as an ending worker's (no new runs): each goes on with a paused run,
    // or waits for one to be ready, until none is left.
    const resumed: string[] = [];
    for (;;) {
      const before = seen.length;
      if ((await runner.nextRun(() => true)) === false) break;
      if (seen.length > before) resumed.push(seen.at(-1)!);
    }
    expect(runner.held).toBe(0);
    // Each paused run went on with its second step, in the order the runs paused.
    expect(resumed).toEqual(claimed.slice(0, RUNS_HELD_PER_LANE).map((run) => `${run.id}:second`));
    expect(runner.mayStart).toBe(true);
    await runner.idle();
    expect(outcomes).toEqual(Array(RUNS_HELD_PER_LANE).fill("completed"));
    await releaseRuns(claimed.slice(RUNS_HELD_PER_LANE).map(leaseOf));
  });
});
