import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns, jobSteps } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { claimDueRuns, reclaimExpiredLeases } from "@/lib/jobs/postgres/claim";
import { drain } from "@/lib/jobs/postgres/drain";
import { completeRuns, releaseRun, renewLease, renewQueuedRuns, scheduleRetry } from "@/lib/jobs/postgres/transitions";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated, testClock } from "./jobs-support/clock";
import { waitFor } from "./jobs-support/wait";

const runOf = async (eventId: string) => (await db.select().from(jobRuns).where(eq(jobRuns.eventId, eventId)))[0];
const stepsOf = (runId: string) =>
  db.select().from(jobSteps).where(eq(jobSteps.runId, runId)).orderBy(asc(jobSteps.id));

describe("fencing: every claim has its own token", () => {
  it("gives two lanes of one worker different tokens; one lane's writes cannot touch the other's run", async () => {
    const job = defineJob({ id: "two-lanes", triggers: [{ event: "booking/created" }] }, () => "done");
    await sendEvent([bookingCreated(), bookingCreated()], { jobs: [job] });
    const [first, second] = await claimDueRuns({
      workerId: "one-worker",
      scope: ["two-lanes"],
      leaseMs: 60_000,
      limit: 2,
    });
    expect(first.claimToken).not.toBe(second.claimToken);

    // Lane 1 writing with its own token to lane 2's run (the shared-locked_by bug) matches nothing.
    const crossed = { runId: second.id, claimToken: first.claimToken };
    expect(await renewLease(crossed, 60_000)).toBe(false);
    expect(await releaseRun(crossed)).toBe(false);
    expect(await scheduleRetry(crossed, { name: "Error", message: "not mine" }, 0)).toBe(false);
    expect(await completeRuns([{ lease: crossed, output: "not mine" }])).toEqual(new Set());
    const [held] = await db.select().from(jobRuns).where(eq(jobRuns.id, second.id));
    expect(held).toMatchObject({ status: "running", claimToken: second.claimToken, error: null, output: null });

    // Each lane completes its own run.
    const done = await completeRuns([
      { lease: { runId: first.id, claimToken: first.claimToken }, output: 1 },
      { lease: { runId: second.id, claimToken: second.claimToken }, output: 2 },
    ]);
    expect(done).toEqual(new Set([first.id, second.id]));
  });

  it("a lane whose lease was taken over mid-step writes nothing and stops; no step is checkpointed twice", async () => {
    const executions = { slow: 0, after: 0 };
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const job = defineJob({ id: "taken-over", triggers: [{ event: "booking/created" }] }, async ({ step }) => {
      await step.run("slow", async () => {
        executions.slow++;
        // Only the first holder hangs here (a step that outlives its lease).
        if (executions.slow === 1) await gate;
        return "slow done";
      });
      await step.run("after", () => ++executions.after);
      return "finished";
    });
    const jobs = [job];
    const [sent] = await sendEvent(bookingCreated(), { jobs });
    const clock = testClock();

    // Both drains use one worker id: only the claim token tells the two holders apart.
    const oldHolder = drain({ budgetMs: 120_000, jobs, workerId: "one-worker" });
    await waitFor(() => executions.slow === 1);
    const { claimToken: oldToken } = await runOf(sent.id);

    // The lease runs out on the database's clock; maintenance hands the run back.
    await clock.advance(61_000);
    expect(await reclaimExpiredLeases()).toBe(1);
    expect(await drain({ budgetMs: 60_000, jobs, workerId: "one-worker" })).toMatchObject({
      processed: 1,
      completed: 1,
    });
    const finished = await runOf(sent.id);
    expect(finished).toMatchObject({ status: "completed", output: "finished", claimToken: null });

    // The old holder's step now returns: its checkpoint matches nothing and it stops there.
    openGate();
    expect(await oldHolder).toMatchObject({ processed: 1, cancelled: 1, completed: 0 });
    expect(executions).toEqual({ slow: 2, after: 1 });
    expect(oldToken).not.toBeNull();
    expect(await runOf(sent.id)).toMatchObject({ status: "completed", output: "finished" });
    const steps = await stepsOf(finished.id);
    expect(steps.map((step) => [step.stepId, step.status])).toEqual([
      ["slow", "completed"],
      ["after", "completed"],
    ]);
    await clock.reset();
  });

  it("runs every step of 300 runs exactly once with eight lanes of one worker", { timeout: 240_000 }, async () => {
    const executions = new Map<string, number>();
    const job = defineJob({ id: "once-each", triggers: [{ event: "booking/created" }] }, async ({ step, runId }) => {
      for (const name of ["a", "b", "c"]) {
        await step.run(name, () => {
          const key = `${runId}:${name}`;
          executions.set(key, (executions.get(key) ?? 0) + 1);
          return key;
        });
      }
    });
    const jobs = [job];
    await sendEvent(
      Array.from({ length: 300 }, () => bookingCreated()),
      { jobs },
    );
    const result = await drain({ budgetMs: 200_000, concurrency: 8, jobs, workerId: "one-worker" });
    expect(result).toMatchObject({ processed: 300, completed: 300, remaining: 0 });
    expect(executions.size).toBe(900);
    expect([...executions.values()].filter((count) => count !== 1)).toEqual([]);
    const steps = await db
      .select({ id: jobSteps.id })
      .from(jobSteps)
      .innerJoin(jobRuns, eq(jobRuns.id, jobSteps.runId))
      .where(eq(jobRuns.jobId, "once-each"));
    expect(steps).toHaveLength(900);
  });

  it("a checkpoint keeps the lease while more than half of it is left, and renews it once less is", async () => {
    const leaseMs = 60_000;
    const clock = testClock();
    const leases: Date[] = [];
    let eventId = "";
    const leaseNow = async () => (await runOf(eventId)).leaseExpiresAt!;
    const job = defineJob({ id: "lease-keeper", triggers: [{ event: "booking/created" }] }, async ({ step }) => {
      leases.push(await leaseNow()); // as the claim set it
      await step.run("first", () => "one");
      // A step's checkpoint is written when the next step starts, so each lease is read inside the next step.
      await step.run("second", async () => {
        leases.push(await leaseNow());
        // Most of the lease goes by inside this step (the heartbeat, every 20 s, is not reached).
        await clock.advance(0.6 * leaseMs);
        return "two";
      });
      await step.run("third", async () => {
        leases.push(await leaseNow());
        return "three";
      });
      return "done";
    });
    const jobs = [job];
    [{ id: eventId }] = await sendEvent(bookingCreated(), { jobs });
    expect(await drain({ budgetMs: 30_000, jobs, leaseMs })).toMatchObject({ completed: 1 });
    const [claimed, afterFirst, afterSecond] = leases;
    // The first checkpoint left lease_expires_at as it was (a HOT update of job_runs) ...
    expect(afterFirst.getTime()).toBe(claimed.getTime());
    // ... the second found 0.4 of it left and renewed it from the database's now.
    expect(afterSecond.getTime()).toBeGreaterThanOrEqual(claimed.getTime() + 0.6 * leaseMs);
    await clock.reset();
  });

  it("a run claimed ahead that waited a quarter of its lease gets a new lease before it starts; a lost one does not", async () => {
    const leaseMs = 60_000;
    const clock = testClock();
    const job = defineJob({ id: "queued-ahead", triggers: [{ event: "booking/created" }] }, () => "done");
    await sendEvent([bookingCreated(), bookingCreated()], { jobs: [job] });
    const [waited, lost] = await claimDueRuns({ workerId: "feed", scope: ["queued-ahead"], leaseMs, limit: 2 });
    const lostTokens: string[] = [];
    const renew = renewQueuedRuns(leaseMs, (claimToken) => lostTokens.push(claimToken));
    expect(renew.afterMs).toBe(leaseMs / 4);
    const claimedLease = (await db.select().from(jobRuns).where(eq(jobRuns.id, waited.id)))[0].leaseExpiresAt!;

    await clock.advance(leaseMs / 2);
    // The second run's lease was taken over meanwhile (another worker reclaimed it).
    await db.update(jobRuns).set({ claimToken: crypto.randomUUID() }).where(eq(jobRuns.id, lost.id));
    expect(await renew.run(waited)).toBe(true);
    expect(await renew.run(lost)).toBe(false);
    // The lost one is reported (runWorker drops it from the runs it releases when it stops).
    expect(lostTokens).toEqual([lost.claimToken]);
    const [renewed] = await db.select().from(jobRuns).where(eq(jobRuns.id, waited.id));
    expect(renewed.leaseExpiresAt!.getTime()).toBeGreaterThanOrEqual(claimedLease.getTime() + leaseMs / 2);
    await clock.reset();
  });
});
