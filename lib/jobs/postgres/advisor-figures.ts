import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { STATS_WINDOW_DAYS, windowCounts, windowStart } from "./stats";

export const ADVISOR_WINDOW_DAYS = STATS_WINDOW_DAYS;
/** Queue lag p95 is read from at most this many of the latest starts and of the latest wake-ups. */
export const LAG_SAMPLES = 2_000;

/** What the queue's own tables say about the last 30 days; the advisor judges it. */
export type QueueFigures = {
  windowDays: number;
  runs: number;
  completed: number;
  failed: number;
  /** Runs with at least one failed attempt (a retry followed, or the run failed). */
  runsWithFailedAttempt: number;
  steps: number;
  /** True when runs, steps, completed or failed passed EXACT_UP_TO and were estimated from a sample. */
  estimated: boolean;
  /** 95th percentile wait from due to started, in ms; null without samples. */
  queueLagP95Ms: number | null;
  queueLagSamples: number;
  drains: number;
  /** Drains that used their whole time budget: work was left for the next one. */
  drainsOutOfBudget: number;
  longestStep: { jobId: string; stepId: string; durationMs: number } | null;
};

/** Steps at least this long are indexed (job_steps_long_idx), so the longest is found without reading every step. */
export const LONG_STEP_MS = 10_000;
/** Without a long step, the longest of this many of the window's latest steps is shown. */
const RECENT_STEPS = 1_000;

/**
 * Bounded at any volume, so /admin/jobs answers as fast with a million runs as with a
 * hundred (npm run bench -- inspect):
 * - runs, steps, completed and failed are `jobs stats`' figures for the same 30 days
 *   (windowCounts): exact up to EXACT_UP_TO, estimated from a page sample past it;
 * - the rest read partial indexes that hold only the rare rows they count (failed steps,
 *   sleeps, steps over LONG_STEP_MS), or an index backwards up to a fixed number of rows:
 *   the latest starts a status at a time on job_runs_status_created_idx, and drains on
 *   job_drains_started_idx.
 */
export async function readQueueFigures(): Promise<QueueFigures> {
  const [counts, [failedAttempts], [lag], [drains], [longest]] = (await Promise.all([
    windowCounts(),
    db.execute(sql`
      select count(distinct run_id)::int as runs from job_steps where status = 'failed' and started_at >= ${windowStart}
    `),
    // Due → started: a run's first claim after it was created (or its cron slot), and a
    // sleep's wake-up after its wake time (sleeps that had already passed are skipped).
    // The p95 is taken over the latest LAG_SAMPLES of each, read backwards along the
    // indexes (runs a status at a time, merged), so its cost stops growing with volume.
    db.execute(sql`
      select percentile_cont(0.95) within group (order by lag_ms) as p95, count(*)::int as samples
      from (
        (select latest.lag_ms
         from unnest(enum_range(null::job_run_status)) as s (status)
         cross join lateral (
           select created_at, extract(epoch from started_at - coalesce(cron_slot, created_at)) * 1000 as lag_ms
           from job_runs
           where status = s.status and created_at >= ${windowStart} and started_at is not null and parent_run_id is null
           order by created_at desc limit ${LAG_SAMPLES}) latest
         order by latest.created_at desc limit ${LAG_SAMPLES})
        union all
        (select extract(epoch from finished_at - wake_at) * 1000
         from job_steps
         where started_at >= ${windowStart} and op = 'sleep' and wake_at > started_at and finished_at is not null
         order by started_at desc limit ${LAG_SAMPLES})
      ) as lags
    `),
    db.execute(sql`
      select count(*)::int as drains,
        count(*) filter (where finished_at - started_at >= make_interval(secs => budget_ms / 1000.0))::int as out_of_budget
      from job_drains where started_at >= ${windowStart}
    `),
    // The longest step over LONG_STEP_MS in the window, else the longest of the latest steps.
    db.execute(sql`
      with long as (
        select run_id, step_id, finished_at - started_at as took from job_steps
        where op = 'run' and finished_at - started_at >= interval '${sql.raw(String(LONG_STEP_MS / 1000))} seconds'
          and started_at >= ${windowStart}
        order by took desc limit 1
      ),
      recent as (
        select run_id, step_id, finished_at - started_at as took from (
          select run_id, step_id, started_at, finished_at from job_steps
          where op = 'run' and finished_at is not null and not exists (select from long)
          order by id desc limit ${RECENT_STEPS}) latest
        where started_at >= ${windowStart}
        order by took desc limit 1
      )
      select run.job_id, step.step_id, extract(epoch from step.took) * 1000 as duration_ms
      from (select * from long union all select * from recent) as step
      join job_runs as run on run.id = step.run_id
    `),
  ])) as unknown as [
    Awaited<ReturnType<typeof windowCounts>>,
    { runs: number }[],
    { p95: number | null; samples: number }[],
    { drains: number; out_of_budget: number }[],
    { job_id: string; step_id: string; duration_ms: string | number }[],
  ];
  return {
    windowDays: ADVISOR_WINDOW_DAYS,
    ...counts,
    runsWithFailedAttempt: failedAttempts.runs,
    queueLagP95Ms: lag.p95 === null ? null : Math.round(Number(lag.p95)),
    queueLagSamples: lag.samples,
    drains: drains.drains,
    drainsOutOfBudget: drains.out_of_budget,
    longestStep: longest
      ? { jobId: longest.job_id, stepId: longest.step_id, durationMs: Math.round(Number(longest.duration_ms)) }
      : null,
  };
}
