import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { readQueueFigures } from "@/lib/jobs/postgres/advisor-figures";
import { DUE_COUNT_CAP, countDueRunsUpTo } from "@/lib/jobs/postgres/due-count";
import { listRuns, showRun } from "@/lib/jobs/postgres/inspect";
import { jobStats } from "@/lib/jobs/postgres/stats";
import { percentiles, printTable } from "./report";

const JOBS = [
  "booking-confirmation",
  "appointment-reminder",
  "billing-summary",
  "billing-summary-monthly",
  "bench-other",
];

/**
 * `npm run bench -- inspect [--runs N]`: what an operator waits for with N runs (default
 * 1,000,000) and 3N steps over the last 30 days: `jobs stats`, the /admin/jobs list
 * with each filter, a run page, the advisor's figures (atop /admin/jobs), and the count a
 * drain reports. The fixture is written
 * with generate_series: 94% completed, 3% failed, 1% cancelled, 1% sleeping, 1% queued
 * (half of those due), spread over five jobs and 30 days.
 */
export async function benchInspect(runs: number) {
  let started = performance.now();
  await db.execute(sql`
    insert into job_events (id, name, data, ts, created_at)
    select 'bench-' || i, 'booking/created', jsonb_build_object('bookingId', i), at, at
    from generate_series(1, ${runs}) i, lateral (select now() - (i::float8 / ${runs}) * interval '30 days' as at) t
  `);
  await db.execute(sql`
    insert into job_runs (job_id, event_id, status, attempt, max_attempts, run_at, created_at, started_at, finished_at)
    select (${sql.param(JOBS)}::text[])[1 + i % 5], 'bench-' || i,
           (case when i % 100 < 94 then 'completed' when i % 100 < 97 then 'failed' when i % 100 = 97 then 'cancelled'
                 when i % 100 = 98 then 'sleeping' else 'queued' end)::job_run_status,
           0, 4,
           case when i % 100 = 98 then now() + interval '1 day' when i % 200 = 99 then now() + interval '1 hour' else at end,
           at, at, case when i % 100 < 98 then at + interval '2 seconds' end
    from generate_series(1, ${runs}) i, lateral (select now() - (i::float8 / ${runs}) * interval '30 days' as at) t
  `);
  await db.execute(sql`
    insert into job_steps (run_id, step_id, op, status, output, attempt, started_at, finished_at)
    select r.id, 'step-' || k, 'run', 'completed', '{"ok":true}'::jsonb, 0,
           r.created_at + k * interval '500 milliseconds', r.created_at + k * interval '500 milliseconds' + interval '20 milliseconds'
    from job_runs r, generate_series(1, 3) k
    order by r.created_at
  `);
  await db.execute(sql`vacuum analyze`);
  console.log(
    `fixture: ${runs} runs, ${runs * 3} steps, ${runs} events in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );

  const [sample] = (await db.execute(sql`
    select id from job_runs where status = 'failed' order by created_at desc offset ${Math.floor(runs / 200)} limit 1
  `)) as unknown as { id: string }[];
  const cases: [string, () => Promise<unknown>][] = [
    ["jobs stats (jobStats)", () => jobStats()],
    ["/admin/jobs list, no filter (100 runs)", () => listRuns({ limit: 100 })],
    ["list --status failed", () => listRuns({ status: "failed", limit: 100 })],
    ["list --status queued", () => listRuns({ status: "queued", limit: 100 })],
    ["list --job appointment-reminder", () => listRuns({ jobId: "appointment-reminder", limit: 100 })],
    [
      "list --job billing-summary --status cancelled",
      () => listRuns({ jobId: "billing-summary", status: "cancelled", limit: 100 }),
    ],
    ["run page (showRun)", () => showRun(sample.id)],
    ["the advisor's figures (readQueueFigures)", () => readQueueFigures()],
    [`a drain's remaining (capped at ${DUE_COUNT_CAP})`, () => countDueRunsUpTo(JOBS)],
  ];
  const rows: string[][] = [];
  for (const [label, query] of cases) {
    const timings: number[] = [];
    for (let i = 0; i < 7; i++) {
      started = performance.now();
      await query();
      timings.push(performance.now() - started);
    }
    const { p50, max } = percentiles(timings.slice(2)); // the first two warm caches and plans
    rows.push([label, p50.toFixed(1), max.toFixed(1)]);
  }
  printTable(["query", "p50 ms", "max ms"], rows, 1);
  const stats = await jobStats();
  console.log(
    `\njobs stats said: ${stats.last30Days.runs} runs and ${stats.last30Days.steps} steps in 30 days` +
      ` (estimated: ${stats.estimated}), failure rate ${((stats.last30Days.failureRate ?? 0) * 100).toFixed(2)}%`,
  );
}
