import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { defineJob } from "@/lib/jobs/define";
import { drain } from "@/lib/jobs/postgres/drain";
import { DUE_COUNT_CAP } from "@/lib/jobs/postgres/due-count";
import { listRuns, showRun } from "@/lib/jobs/postgres/inspect";
import { EXACT_UP_TO, jobStats } from "@/lib/jobs/postgres/stats";

// At volume the operator figures stop counting every row: counts are exact up to
// EXACT_UP_TO and estimated past it, and a drain's `remaining` stops at DUE_COUNT_CAP.

const backlog = defineJob({ id: "volume-backlog", triggers: [{ cron: "* * * * *" }] }, () => "done");

async function insertRuns(count: number, jobId: string, status: string, finishedDaysAgo: number | null = 1) {
  const finished = finishedDaysAgo === null ? sql`null` : sql`now() - make_interval(days => ${finishedDaysAgo})`;
  await db.execute(sql`
    insert into job_runs (job_id, status, max_attempts, run_at, created_at, finished_at)
    select ${jobId}, ${status}::job_run_status, 1, now() - interval '1 minute', now() - interval '2 days', ${finished}
    from generate_series(1, ${count})
  `);
}

afterEach(async () => {
  await db.execute(sql`truncate job_steps, job_runs, job_events`);
});

describe("operator figures at volume", () => {
  it("counts exactly up to the cap and estimates past it, saying so", async () => {
    await insertRuns(40_000, "volume-big", "completed");
    await insertRuns(25, "volume-big", "failed");
    await insertRuns(3, "volume-small", "cancelled");
    await db.execute(sql`analyze job_runs`);

    const stats = await jobStats();

    expect(stats.estimated).toBe(true);
    const big = stats.byJob.find((entry) => entry.jobId === "volume-big")!;
    expect(big.counts.completed).toBeGreaterThan(EXACT_UP_TO);
    expect(Math.abs(big.counts.completed - 40_000) / 40_000).toBeLessThan(0.1);
    expect(big.counts.failed).toBe(25);
    expect(stats.byJob.find((entry) => entry.jobId === "volume-small")!.counts).toMatchObject({ cancelled: 3 });
    expect(Math.abs(stats.last30Days.runs - 40_028) / 40_028).toBeLessThan(0.1);
    expect(stats.last30Days.failed).toBe(25);
  });

  it("is exact, and says nothing of estimates, below the cap", async () => {
    await insertRuns(120, "volume-small", "completed");
    await insertRuns(2, "volume-small", "queued", null);
    const stats = await jobStats();
    expect(stats.estimated).toBe(false);
    expect(stats.byJob).toEqual([
      {
        jobId: "volume-small",
        counts: { queued: 2, running: 0, sleeping: 0, completed: 120, failed: 0, cancelled: 0 },
        total: 122,
      },
    ]);
    expect(stats.last30Days).toMatchObject({ runs: 122, completed: 120, failed: 0, failureRate: 0 });
    expect(stats.oldestDueRunAgeMs).toBeGreaterThanOrEqual(59_000);
  });

  it("a drain reports at most DUE_COUNT_CAP remaining runs, however large the backlog", async () => {
    // A backlog of past cron slots, one run each.
    await db.execute(sql`
      insert into job_runs (job_id, cron_slot, status, max_attempts, run_at)
      select 'volume-backlog', now() - make_interval(mins => i), 'queued', 1, now() - interval '1 minute'
      from generate_series(1, ${DUE_COUNT_CAP + 500}) i
    `);
    const result = await drain({ budgetMs: 1, jobs: [backlog] });
    expect(result.remaining).toBe(DUE_COUNT_CAP);
  });

  it("lists one job's runs of every status newest first, up to the limit", async () => {
    await db.execute(sql`
      insert into job_runs (job_id, status, max_attempts, created_at)
      select case when i % 4 = 0 then 'volume-other' else 'volume-listed' end,
             (array['queued', 'completed', 'failed', 'sleeping', 'cancelled'])[1 + i % 5]::job_run_status, 1,
             now() - make_interval(mins => i)
      from generate_series(1, 60) i
    `);
    const listed = await listRuns({ jobId: "volume-listed", limit: 20 });
    const expected = (await listRuns({ limit: 100 })).filter((run) => run.jobId === "volume-listed").slice(0, 20);
    expect(listed.map((run) => run.id)).toEqual(expected.map((run) => run.id));
    expect(new Set(listed.map((run) => run.status)).size).toBe(5);
  });

  it("lists runs of every job and status newest first, ties by id, up to the limit", async () => {
    // Pairs of runs share a created_at, so the order across statuses also rests on the id.
    await db.execute(sql`
      insert into job_runs (job_id, status, max_attempts, created_at)
      select case when i % 3 = 0 then 'volume-other' else 'volume-listed' end,
             (array['queued', 'running', 'completed', 'failed', 'sleeping', 'cancelled'])[1 + i % 6]::job_run_status, 1,
             date_trunc('minute', now()) - make_interval(mins => i / 2)
      from generate_series(1, 60) i
    `);
    const newest = (await db.execute(sql`
      select id from job_runs order by created_at desc, id desc limit 25
    `)) as unknown as { id: string }[];
    const listed = await listRuns({ limit: 25 });
    expect(listed.map((run) => run.id)).toEqual(newest.map((row) => row.id));
    expect(new Set(listed.map((run) => run.status)).size).toBe(6);
  });

  it("a run page lists the run's replays and onFailure runs", async () => {
    const [parent] = (await db.execute(sql`
      insert into job_runs (job_id, status, max_attempts) values ('volume-small', 'failed', 1) returning id
    `)) as unknown as { id: string }[];
    await db.execute(sql`
      insert into job_runs (job_id, status, max_attempts, parent_run_id)
      values ('volume-small', 'queued', 1, ${parent.id}), ('volume-small:on-failure', 'completed', 1, ${parent.id})
    `);
    const detail = await showRun(parent.id);
    expect(detail?.children.map((child) => child.jobId).sort()).toEqual(["volume-small", "volume-small:on-failure"]);
  });
});
