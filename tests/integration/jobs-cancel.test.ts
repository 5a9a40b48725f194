import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns, jobSteps } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { cancelRun, replayRun, retryRun } from "@/lib/jobs/postgres/control";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated, testClock } from "./jobs-support/clock";

const runOf = async (jobId: string) =>
  (await db.select().from(jobRuns).where(eq(jobRuns.jobId, jobId)).orderBy(asc(jobRuns.createdAt)))[0];

describe("cancel, retry and replay", () => {
  it("cancels a queued run: it never runs", async () => {
    let ran = false;
    const job = defineJob({ id: "cancel-queued", triggers: [{ event: "booking/created" }] }, () => {
      ran = true;
    });
    await sendEvent(bookingCreated(), { jobs: [job] });
    await cancelRun((await runOf("cancel-queued")).id);
    expect(await drain({ budgetMs: 30_000, jobs: [job] })).toMatchObject({ processed: 0 });
    expect(ran).toBe(false);
    expect((await runOf("cancel-queued")).status).toBe("cancelled");
  });

  it("cancels a sleeping run: it does not wake", async () => {
    const clock = testClock();
    let woke = false;
    const job = defineJob({ id: "cancel-sleeping", triggers: [{ event: "booking/created" }] }, async ({ step }) => {
      await step.sleep("wait", "1d");
      woke = true;
    });
    await sendEvent(bookingCreated(), { jobs: [job] });
    await drain({ budgetMs: 30_000, jobs: [job] });
    const sleeping = await runOf("cancel-sleeping");
    expect(sleeping.status).toBe("sleeping");
    await cancelRun(sleeping.id);
    await clock.advance(2 * 86_400_000);
    expect(await drain({ budgetMs: 30_000, jobs: [job] })).toMatchObject({ processed: 0 });
    expect(woke).toBe(false);
  });

  it("stops a running run before its next step", async () => {
    let releaseFirst!: () => void;
    const firstStarted = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let gate!: () => void;
    const gateOpen = new Promise<void>((resolve) => (gate = resolve));
    const done: string[] = [];
    const job = defineJob({ id: "cancel-running", triggers: [{ event: "booking/created" }] }, async ({ step }) => {
      await step.run("first", async () => {
        releaseFirst();
        await gateOpen;
        done.push("first");
      });
      await step.run("second", () => done.push("second"));
    });
    await sendEvent(bookingCreated(), { jobs: [job] });
    const draining = drain({ budgetMs: 30_000, jobs: [job] });
    await firstStarted;
    const cancelled = await cancelRun((await runOf("cancel-running")).id);
    expect(cancelled.status).toBe("cancelled");
    gate();
    expect(await draining).toMatchObject({ processed: 1, cancelled: 1, completed: 0 });
    expect(done).toEqual(["first"]);
    const run = await runOf("cancel-running");
    expect(run).toMatchObject({ status: "cancelled", lockedBy: null });
  });

  it("refuses to cancel a finished run, naming why, and changes nothing", async () => {
    const job = defineJob({ id: "cancel-done", triggers: [{ event: "booking/created" }] }, () => "ok");
    await sendEvent(bookingCreated(), { jobs: [job] });
    await drain({ budgetMs: 30_000, jobs: [job] });
    const run = await runOf("cancel-done");
    await expect(cancelRun(run.id)).rejects.toThrow(
      /is completed; only queued, sleeping or running runs can be cancelled/,
    );
    await expect(cancelRun("not-a-uuid")).rejects.toThrow(/not a run id/);
    expect((await runOf("cancel-done")).status).toBe("completed");
  });

  it("retry puts a failed run back with its checkpoints; replay starts a fresh run", async () => {
    let broken = true;
    const calls = { fetch: 0, send: 0 };
    const job = defineJob(
      { id: "operator-retry", triggers: [{ event: "booking/created" }], retries: 0 },
      async ({ step }) => {
        await step.run("fetch", () => ++calls.fetch);
        await step.run("send", () => {
          calls.send++;
          if (broken) throw new Error("smtp down");
        });
      },
    );
    await sendEvent(bookingCreated(), { jobs: [job] });
    await drain({ budgetMs: 30_000, jobs: [job] });
    const failed = await runOf("operator-retry");
    expect(failed.status).toBe("failed");
    await expect(retryRun((await runOf("operator-retry")).id).then((r) => r.status)).resolves.toBe("queued");

    broken = false;
    expect(await drain({ budgetMs: 30_000, jobs: [job] })).toMatchObject({ completed: 1 });
    expect(calls).toEqual({ fetch: 1, send: 2 });
    await expect(retryRun(failed.id)).rejects.toThrow(/is completed; only failed or cancelled runs can be retried/);

    const replay = await replayRun(failed.id);
    expect(replay).toMatchObject({ parentRunId: failed.id, eventId: failed.eventId, status: "queued" });
    expect(await drain({ budgetMs: 30_000, jobs: [job] })).toMatchObject({ completed: 1 });
    expect(calls).toEqual({ fetch: 2, send: 3 });
    const replaySteps = await db.select().from(jobSteps).where(eq(jobSteps.runId, replay.id));
    expect(replaySteps.map((s) => s.stepId).sort()).toEqual(["fetch", "send"]);
  });
});
