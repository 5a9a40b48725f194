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
/** The window of `last30Days` (and of the advisor, which reads them). */
export const STATS_WINDOW_DAYS = 30;
/** Rows a sample aims at: enough for a few percent of error on the counts shown. */
const SAMPLE_ROWS = 30_000;

type Counted = { key: string; n: number };
type SampledGroup = {
  job_id: string;
  status: RunStatus;
  n: number;
  created_in_window: number;
  finished_in_window: number;
};
const CAP = EXACT_UP_TO + 1;
/** The start of the window, on the database's clock (the advisor's queries use it too). */
export const windowStart = sql`now() - make_interval(days => ${STATS_WINDOW_DAYS})`;

/**
 * The window's runs, steps, completed and failed runs as rows of (key, n), each count
 * stopping at the cap: runs a status at a time on (status, created_at), steps on their
 * BRIN index, finished runs on (status, created_at) filtered by finished_at.
 */
const cappedWindowCounts = sql`
  select 'runs' as key, sum(c.n)::int as n
  from unnest(enum_range(null::job_run_status)) as s (status)
  cross join lateral (
    select count(*) as n from (
      select 1 from job_runs r where r.status = s.status and r.created_at >= ${windowStart} limit ${CAP}) x) c
  union all
  select 'steps', count(*)::int from (select 1 from job_steps where started_at >= ${windowStart} limit ${CAP}) x
  union all
  select 'completed', count(*)::int from (
    select 1 from job_runs where status = 'completed' and finished_at >= ${windowStart} limit ${CAP}) x
  union all
  select 'failed', count(*)::int from (
    select 1 from job_runs where status = 'failed' and finished_at >= ${windowStart} limit ${CAP}) x`;

/** Replaces the counts that reached the cap by estimates from a sample (sampledCounts). */
async function estimatePastCap(counted: Counted[]) {
  const figures = new Map(counted.map((row) => [row.key, row.n]));
  const overCap = counted.filter((row) => row.n >= CAP).map((row) => row.key);
  if (overCap.length > 0) {
    const estimates = await sampledCounts(overCap.some((key) => key === "steps"));
    for (const key of overCap) figures.set(key, Math.max(CAP, estimates.get(key) ?? CAP));
  }
  return { figures, estimated: overCap.length > 0 };
}

/** The window's figures alone (the advisor's): as in jobStats, exact up to EXACT_UP_TO. */
export async function windowCounts() {
  const { figures, estimated } = await estimatePastCap((await db.execute(cappedWindowCounts)) as unknown as Counted[]);
  const figure = (key: string) => figures.get(key) ?? 0;
  return {
    runs: figure("runs"),
    steps: figure("steps"),
    completed: figure("completed"),
    failed: figure("failed"),
    estimated,
  };
}

/** Figures for operators, on the database's clock. */
export async function jobStats(): Promise<JobStats> {
  // Exact counts that stop at the cap. Job ids are found by a loose index scan (one
  // probe per job) and each (job, status) pair is an index-only range scan.
  const counted = (await db.execute(sql`
    with recursive jobs (job_id) as (
      (select job_id from job_runs order by job_id limit 1)
      union all
      select (select r.job_id from job_runs r where r.job_id > jobs.job_id order by r.job_id limit 1)
      from jobs where jobs.job_id is not null
    )
    select j.job_id || '|' || s.status as key, c.n
    from jobs j
    cross join unnest(enum_range(null::job_run_status)) as s (status)
    cross join lateral (
      select count(*)::int as n from (
        select 1 from job_runs r where r.job_id = j.job_id and r.status = s.status limit ${CAP}) x) c
    where j.job_id is not null and c.n > 0
    union all
    ${cappedWindowCounts}
    union all
    select 'oldest-due-ms', coalesce((
      select (extract(epoch from now() - min(run_at)) * 1000)::float8 from job_runs
      where status in ('queued', 'sleeping') and run_at <= now()), -1)
  `)) as unknown as Counted[];
  // The oldest due run's age is a time, not a count: it is never capped or estimated.
  const oldestDue = counted.find((row) => row.key === "oldest-due-ms")?.n ?? -1;
  const { figures, estimated } = await estimatePastCap(counted.filter((row) => row.key !== "oldest-due-ms"));

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
    estimated,
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
  const stepsPercent = percent(sizes.steps);
  // One sample of job_runs answers every figure, so they agree with each other. The
  // sample of job_steps is read alongside it, on a second connection.
  const [groups, [steps]] = (await Promise.all([
    db.execute(sql`
      select job_id, status, count(*)::float8 as n,
             count(*) filter (where created_at >= ${windowStart})::float8 as created_in_window,
             count(*) filter (where finished_at >= ${windowStart})::float8 as finished_in_window
      from job_runs tablesample system (${runsPercent}::float4) repeatable (1)
      group by job_id, status
    `),
    withSteps
      ? db.execute(sql`
          select count(*)::float8 as n from job_steps tablesample system (${stepsPercent}::float4) repeatable (1)
          where started_at >= ${windowStart}
        `)
      : [],
  ])) as unknown as [SampledGroup[], { n: number }[]];
  const sampled = new Map<string, number>();
  const add = (key: string, n: number) => sampled.set(key, (sampled.get(key) ?? 0) + n);
  for (const group of groups) {
    add(`${group.job_id}|${group.status}`, group.n);
    add("runs", group.created_in_window);
    if (group.status === "completed" || group.status === "failed") add(group.status, group.finished_in_window);
  }
  const estimates = new Map([...sampled].map(([key, n]) => [key, Math.round((n * 100) / runsPercent)]));
  if (steps) estimates.set("steps", Math.round((steps.n * 100) / stepsPercent));
  return estimates;
}
