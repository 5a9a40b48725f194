import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobCronLedger, jobRuns } from "@/lib/db/schema";
import { createCronRun, createDueCronRuns, createScheduledCronRun, cronSlotAt } from "@/lib/jobs/cron";
import { defineJob } from "@/lib/jobs/define";
import { pruneFinishedWork } from "@/lib/jobs/postgres/prune";
import { processDueWork } from "@/lib/jobs/work";

// The cron ledger remembers the last slot scheduled per job, so catch-up never depends
// on finished runs being kept, and a new deployment starts after its first drain.

const CRON = "TZ=Europe/London 0 6 1 * *";
const monthly = defineJob({ id: "ledger-monthly", triggers: [{ cron: CRON }] }, async ({ step }) => {
  await step.run("bill", () => "billed");
});
const jobs = [monthly];

const runsOf = (jobId: string) => db.select().from(jobRuns).where(eq(jobRuns.jobId, jobId));
const ledgerOf = async (jobId: string) =>
  (await db.select().from(jobCronLedger).where(eq(jobCronLedger.jobId, jobId)))[0]?.lastSlot.toISOString();

afterEach(async () => {
  await db.execute(sql`truncate job_steps, job_runs, job_events, job_cron_ledger`);
});

describe("the cron ledger", () => {
  it("does not recreate a monthly run that retention pruned", async () => {
    const slot = cronSlotAt(CRON, new Date())!;
    await createDueCronRuns({ jobs, now: new Date(slot.getTime() - 1) }); // running since last month
    const first = await processDueWork({ jobs, budgetMs: 30_000 });
    expect(first.cronRuns).toEqual([{ jobId: "ledger-monthly", slot, runId: expect.any(String) }]);
    expect(first.drained).toMatchObject({ completed: 1 });

    // Forty days on (written on the database's clock), retention deletes the finished run.
    await db.execute(sql`
      update job_runs set created_at = now() - interval '40 days', finished_at = now() - interval '40 days'
      where job_id = 'ledger-monthly'
    `);
    expect(await pruneFinishedWork({ policy: { completedDays: 7, failedDays: 30 } })).toMatchObject({ runs: 1 });
    expect(await runsOf("ledger-monthly")).toEqual([]);

    const next = await processDueWork({ jobs, budgetMs: 30_000 });
    expect(next.cronRuns).toEqual([]);
    expect(next.drained.processed).toBe(0);
    expect(await runsOf("ledger-monthly")).toEqual([]);
    expect(await ledgerOf("ledger-monthly")).toBe(slot.toISOString());

    // A doubled or late Vercel call for the slot finds it scheduled, and creates nothing either.
    expect(await createScheduledCronRun("ledger-monthly", { jobs })).toEqual({ runId: null, slot, created: false });
    expect(await runsOf("ledger-monthly")).toEqual([]);
  });

  it("a fresh database on the 20th does not bill the month before; its first run is the next slot", async () => {
    const deployedAt = new Date("2026-11-20T10:00:00Z");
    expect(await createDueCronRuns({ now: deployedAt })).toEqual([]);
    expect(await runsOf("billing-summary-monthly")).toEqual([]);
    expect(await ledgerOf("billing-summary-monthly")).toBe("2026-11-01T06:00:00.000Z");
    // Later drains in November change nothing.
    expect(await createDueCronRuns({ now: new Date("2026-11-30T23:00:00Z") })).toEqual([]);

    const december = await createDueCronRuns({ now: new Date("2026-12-01T06:00:30Z") });
    expect(december).toEqual([
      { jobId: "billing-summary-monthly", slot: new Date("2026-12-01T06:00:00Z"), runId: expect.any(String) },
    ]);
    expect(await ledgerOf("billing-summary-monthly")).toBe("2026-12-01T06:00:00.000Z");
  });

  it("trigger --at still creates an earlier slot, and leaves the ledger where it was", async () => {
    await createDueCronRuns({ now: new Date("2026-11-20T10:00:00Z") });

    const october = await createCronRun("billing-summary-monthly", new Date("2026-10-01T06:00:00Z"));
    expect(october).toMatchObject({ created: true, slot: new Date("2026-10-01T05:00:00Z") }); // 06:00 BST
    expect(october.run.status).toBe("queued");
    expect(await ledgerOf("billing-summary-monthly")).toBe("2026-11-01T06:00:00.000Z");
    // The baseline slot itself can be run on request too (a deploy that wants this month's run).
    expect(await createCronRun("billing-summary-monthly", new Date("2026-11-20T10:00:00Z"))).toMatchObject({
      created: true,
      slot: new Date("2026-11-01T06:00:00Z"),
    });
    expect((await runsOf("billing-summary-monthly")).map((run) => run.cronSlot?.toISOString()).sort()).toEqual([
      "2026-10-01T05:00:00.000Z",
      "2026-11-01T06:00:00.000Z",
    ]);
  });

  it("concurrent drains on a new slot: exactly one advances the ledger and creates the run", async () => {
    await createDueCronRuns({ jobs, now: new Date("2026-09-15T00:00:00Z") });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => createDueCronRuns({ jobs, now: new Date("2026-10-01T07:00:00Z") })),
    );
    expect(results.flat()).toEqual([
      { jobId: "ledger-monthly", slot: new Date("2026-10-01T05:00:00Z"), runId: expect.any(String) },
    ]);
    expect(await runsOf("ledger-monthly")).toHaveLength(1);
  });
});
