import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { RUN_STATUSES, type RunStatus } from "../run-ledger";

export type JobStats = {
  byJob: { jobId: string; counts: Record<RunStatus, number>; total: number }[];
  /** Age of the oldest run that is due and not yet taken: how far behind the queue is. */
  oldestDueRunAgeMs: number | null;
  last30Days: {
    runs: number;
    steps: number;
    completed: number;
    failed: number;
    failureRate: number | null;
    inngestExecutions: number;
  };
  /** True when a count passed `exactUpTo` and was estimated from a sample of the table. */
  estimated: boolean;
  exactUpTo: number;
};

/**
 * Counts are exact up to this; past it they come from a page sample. `jobs stats` and
 * every /admin/jobs load ask, and exact counts of a million runs and three million
 * steps took seconds; a sample of a few hundred pages takes milliseconds and is within
 * a few percent, which is all an operator deciding when to graduate needs. Small counts,
 * a handful of failed runs say, stay exact.
 */
export const EXACT_UP_TO = 1_000;
/** Rows a sample aims at: enough for a few percent of error on the counts shown. */
const SAMPLE_ROWS = 30_000;

type Counted = { key: string; n: number };

/** Figures for operators, on the database's clock. */
export async function jobStats(): Promise<JobStats> {
  const cap = EXACT_UP_TO + 1;
  // Exact counts that stop at the cap. Job ids are found by a loose index scan (one
  // probe per job) and each (job, status) pair is an index-only range scan.
  const capped = (await db.execute(sql`
    with recursive jobs (job_id) as (
      (select job_id from job_runs order by job_id limit 1)
      union all
      select (select r.job_id from job_runs r where r.job_id > jobs.job_id order by r.job_id limit 1)
      from jobs where jobs.job_id is not null
    ),
    since as (select now() - interval '30 days' as at)
    select j.job_id || '|' || s.status as key, c.n
    from jobs j
    cross join unnest(enum_range(null::job_run_status)) as s (status)
    cross join lateral (
      select count(*)::int as n from (
        select 1 from job_runs r where r.job_id = j.job_id and r.status = s.status limit ${cap}) x) c
    where j.job_id is not null and c.n > 0
    union all
    select 'runs', count(*)::int from (
      select 1 from job_runs where created_at >= (select at from since) limit ${cap}) x
    union all
    select 'steps', count(*)::int from (
      select 1 from job_steps where started_at >= (select at from since) limit ${cap}) x
    union all
    select 'completed', count(*)::int from (
      select 1 from job_runs where status = 'completed' and finished_at >= (select at from since) limit ${cap}) x
    union all
    select 'failed', count(*)::int from (
      select 1 from job_runs where status = 'failed' and finished_at >= (select at from since) limit ${cap}) x
    union all
    select 'oldest-due-ms', coalesce((
      select (extract(epoch from now() - min(run_at)) * 1000)::float8 from job_runs
      where status in ('queued', 'sleeping') and run_at <= now()), -1)
  `)) as unknown as Counted[];
  const figures = new Map(capped.map((row) => [row.key, row.n]));
  const overCap = capped.filter((row) => row.key !== "oldest-due-ms" && row.n >= cap).map((row) => row.key);
  if (overCap.length > 0) {
    const estimates = await sampledCounts(overCap.some((key) => key === "steps"));
    for (const key of overCap) figures.set(key, Math.max(cap, estimates.get(key) ?? cap));
  }

  const byJob = new Map<string, JobStats["byJob"][number]>();
  for (const [key, n] of figures) {
    const [jobId, status] = key.split("|") as [string, RunStatus | undefined];
    if (!status) continue;
    const entry = byJob.get(jobId) ?? {
      jobId,
      counts: Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>,
      total: 0,
    };
    entry.counts[status] = n;
    entry.total += n;
    byJob.set(jobId, entry);
  }
  const figure = (key: string) => figures.get(key) ?? 0;
  const finished = figure("completed") + figure("failed");
  const oldestDue = figure("oldest-due-ms");
  return {
    byJob: [...byJob.values()].sort((a, b) => (a.jobId < b.jobId ? -1 : 1)),
    oldestDueRunAgeMs: oldestDue < 0 ? null : Math.max(0, oldestDue),
    last30Days: {
      runs: figure("runs"),
      steps: figure("steps"),
      completed: figure("completed"),
      failed: figure("failed"),
      failureRate: finished ? figure("failed") / finished : null,
      // Inngest counts each function run and each step as an execution.
      inngestExecutions: figure("runs") + figure("steps"),
    },
    estimated: overCap.length > 0,
    exactUpTo: EXACT_UP_TO,
  };
}

/**
 * The same figures estimated from a TABLESAMPLE SYSTEM of job_runs (and job_steps when
 * asked): each page is read with probability p, so count / p is an unbiased estimate.
 * p is sized from pg_class.reltuples so the sample holds about SAMPLE_ROWS rows; a fixed
 * seed picks the same pages each time, so the figures do not jitter between page loads.
 */
async function sampledCounts(withSteps: boolean): Promise<Map<string, number>> {
  const [sizes] = (await db.execute(sql`
    select greatest((select reltuples from pg_class where oid = 'job_runs'::regclass), 1)::float8 as runs,
           greatest((select reltuples from pg_class where oid = 'job_steps'::regclass), 1)::float8 as steps
  `)) as unknown as { runs: number; steps: number }[];
  const percent = (rows: number) => Math.min(100, Math.max(0.01, (SAMPLE_ROWS / rows) * 100));
  const runsPercent = percent(sizes.runs);
  // One sample of job_runs answers every figure, so they agree with each other.
  const rows = (await db.execute(sql`
    with sample as materialized (
      select job_id, status, created_at, finished_at from job_runs tablesample system (${runsPercent}::float4) repeatable (1)
    ),
    since as (select now() - interval '30 days' as at)
    select key, count(*)::float8 as n from (
      select job_id || '|' || status as key from sample
      union all
      select 'runs' from sample where created_at >= (select at from since)
      union all
      select status::text from sample
      where status in ('completed', 'failed') and finished_at >= (select at from since)
    ) keyed group by key
  `)) as unknown as Counted[];
  const estimates = new Map(rows.map((row) => [row.key, Math.round((row.n * 100) / runsPercent)]));
  if (withSteps) {
    const stepsPercent = percent(sizes.steps);
    const [steps] = (await db.execute(sql`
      select count(*)::float8 as n from job_steps tablesample system (${stepsPercent}::float4) repeatable (1)
      where started_at >= now() - interval '30 days'
    `)) as unknown as { n: number }[];
    estimates.set("steps", Math.round((steps.n * 100) / stepsPercent));
  }
  return estimates;
}
