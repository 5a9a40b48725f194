import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobCronLedger, jobRuns } from "@/lib/db/schema";
import { resetEnv } from "@/lib/env";
import { createCronRun, createDueCronRuns, cronSlotAt } from "@/lib/jobs/cron";
import { defineJob } from "@/lib/jobs/define";
import { processDueWork } from "@/lib/jobs/work";

// Vercel never retries a failed cron call and a self-hosted deployment has no Vercel
// Cron: every Postgres-mode drain gives the latest slot of each cron job its run, when
// the cron ledger says that slot was never scheduled (tests/integration/jobs-cron-ledger.test.ts
// covers a fresh deployment and pruning).

const CRON = "TZ=Europe/London 0 6 1 * *";
const ran: number[] = [];
const monthly = defineJob({ id: "catch-up-report", triggers: [{ cron: CRON }] }, async ({ event, step }) => {
  await step.run("send-report", () => ran.push(event.ts));
});
const onEvent = defineJob({ id: "catch-up-on-event", triggers: [{ event: "booking/created" }] }, () => null);
const jobs = [monthly, onEvent];

const runsOf = (jobId: string) => db.select().from(jobRuns).where(eq(jobRuns.jobId, jobId));

// A deployment that has been running since before the current slot: its ledger
// holds the slot before (a drain saw it), and the current slot's cron call never came.
beforeEach(async () => {
  const slot = cronSlotAt(CRON, new Date())!;
  await createDueCronRuns({ jobs, now: new Date(slot.getTime() - 1) });
});

afterEach(async () => {
  delete process.env.JOBS_DRIVER;
  resetEnv();
  await db.delete(jobRuns);
  await db.delete(jobCronLedger);
  ran.length = 0;
});

describe("missed cron slots (processDueWork)", () => {
  it("creates and runs the latest slot's run exactly once across repeated and concurrent calls", async () => {
    const slot = cronSlotAt(CRON, new Date())!;
    const first = await processDueWork({ jobs, budgetMs: 30_000 });
    expect(first.cronRuns).toEqual([{ jobId: "catch-up-report", slot, runId: expect.any(String) }]);
    expect(first.drained).toMatchObject({ processed: 1, completed: 1, remaining: 0 });

    for (let i = 0; i < 3; i++) {
      const again = await processDueWork({ jobs, budgetMs: 30_000 });
      expect(again.cronRuns).toEqual([]);
      expect(again.drained.processed).toBe(0);
    }
    await Promise.all(Array.from({ length: 4 }, () => processDueWork({ jobs, budgetMs: 30_000 })));

    const runs = await runsOf("catch-up-report");
    expect(runs.map((run) => [run.id, run.status, run.cronSlot?.toISOString()])).toEqual([
      [first.cronRuns[0].runId, "completed", slot.toISOString()],
    ]);
    expect(ran).toEqual([slot.getTime()]);
  });

  it("concurrent calls with no run for the slot yet: exactly one creates it, and the job runs once", async () => {
    const slot = cronSlotAt(CRON, new Date())!;
    expect(await runsOf("catch-up-report")).toEqual([]);

    const results = await Promise.all(Array.from({ length: 4 }, () => processDueWork({ jobs, budgetMs: 30_000 })));

    const created = results.flatMap((result) => result.cronRuns);
    expect(created).toEqual([{ jobId: "catch-up-report", slot, runId: expect.any(String) }]);
    expect(results.reduce((sum, result) => sum + result.drained.completed, 0)).toBe(1);
    const runs = await runsOf("catch-up-report");
    expect(runs.map((run) => [run.id, run.status, run.cronSlot?.toISOString()])).toEqual([
      [created[0].runId, "completed", slot.toISOString()],
    ]);
    expect(ran).toEqual([slot.getTime()]);
  });

  it("leaves a slot alone once it has a run, even a failed one (the cron route or the CLI made it)", async () => {
    const { run } = await createCronRun("catch-up-report", new Date(), { jobs });
    await db.update(jobRuns).set({ status: "failed", finishedAt: new Date() }).where(eq(jobRuns.id, run.id));
    const work = await processDueWork({ jobs, budgetMs: 30_000 });
    expect(work.cronRuns).toEqual([]);
    expect(work.drained.processed).toBe(0);
    expect(await runsOf("catch-up-report")).toHaveLength(1);
  });

  it("creates none with JOBS_DRIVER=inngest (Inngest owns the crons)", async () => {
    process.env.JOBS_DRIVER = "inngest";
    resetEnv();
    const work = await processDueWork({ jobs, budgetMs: 2_000 });
    expect(work.cronRuns).toEqual([]);
    expect(await runsOf("catch-up-report")).toEqual([]);
  });
});
