import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";

export const ADVISOR_WINDOW_DAYS = 30;
/** Queue lag p95 is read from at most this many of the latest starts and of the latest wake-ups. */
export const LAG_SAMPLES = 20_000;

/** What the queue's own tables say about the last 30 days; the advisor judges it. */
export type QueueFigures = {
  windowDays: number;
  runs: number;
  completed: number;
  failed: number;
  /** Runs with at least one failed attempt (a retry followed, or the run failed). */
  runsWithFailedAttempt: number;
  steps: number;
  /** 95th percentile wait from due to started, in ms; null without samples. */
  queueLagP95Ms: number | null;
  queueLagSamples: number;
  drains: number;
  /** Drains that used their whole time budget: work was left for the next one. */
  drainsOutOfBudget: number;
  longestStep: { jobId: string; stepId: string; durationMs: number } | null;
};

/**
 * Every query is bounded to the window and reads an index on the column it bounds:
 * job_runs_created_idx, job_steps_started_idx, job_drains_started_idx. So the advisor
 * costs the same whether job_runs holds a thousand old runs or a million.
 */
export async function readQueueFigures(): Promise<QueueFigures> {
  const since = sql`now() - make_interval(days => ${ADVISOR_WINDOW_DAYS})`;
  const [[runs], [steps], [lag], [drains], [longest]] = (await Promise.all([
    db.execute(sql`
      select count(*)::int as runs,
        count(*) filter (where status = 'completed')::int as completed,
        count(*) filter (where status = 'failed')::int as failed
      from job_runs where created_at >= ${since}
    `),
    // Two scans, not one count(distinct) with a filter: that one sorts every step of the window.
    db.execute(sql`
      select (select count(*)::int from job_steps where started_at >= ${since}) as steps,
        (select count(distinct run_id)::int from job_steps where started_at >= ${since} and status = 'failed')
          as runs_with_failed_attempt
    `),
    // Due → started: a run's first claim after it was created (or its cron slot), and a
    // sleep's wake-up after its wake time (sleeps that had already passed are skipped).
    // The p95 is taken over the latest LAG_SAMPLES of each, read backwards along the index,
    // so its cost stops growing with volume.
    db.execute(sql`
      select percentile_cont(0.95) within group (order by lag_ms) as p95, count(*)::int as samples
      from (
        (select extract(epoch from started_at - coalesce(cron_slot, created_at)) * 1000 as lag_ms
         from job_runs
         where created_at >= ${since} and started_at is not null and parent_run_id is null
         order by created_at desc limit ${LAG_SAMPLES})
        union all
        (select extract(epoch from finished_at - wake_at) * 1000
         from job_steps
         where started_at >= ${since} and op = 'sleep' and wake_at > started_at and finished_at is not null
         order by started_at desc limit ${LAG_SAMPLES})
      ) as lags
    `),
    db.execute(sql`
      select count(*)::int as drains,
        count(*) filter (where finished_at - started_at >= make_interval(secs => budget_ms / 1000.0))::int as out_of_budget
      from job_drains where started_at >= ${since}
    `),
    db.execute(sql`
      select run.job_id, step.step_id, extract(epoch from step.finished_at - step.started_at) * 1000 as duration_ms
      from job_steps as step join job_runs as run on run.id = step.run_id
      where step.started_at >= ${since} and step.op = 'run' and step.finished_at is not null
      order by step.finished_at - step.started_at desc
      limit 1
    `),
  ])) as unknown as [
    { runs: number; completed: number; failed: number }[],
    { steps: number; runs_with_failed_attempt: number }[],
    { p95: number | null; samples: number }[],
    { drains: number; out_of_budget: number }[],
    { job_id: string; step_id: string; duration_ms: string | number }[],
  ];
  return {
    windowDays: ADVISOR_WINDOW_DAYS,
    runs: runs.runs,
    completed: runs.completed,
    failed: runs.failed,
    runsWithFailedAttempt: steps.runs_with_failed_attempt,
    steps: steps.steps,
    queueLagP95Ms: lag.p95 === null ? null : Math.round(Number(lag.p95)),
    queueLagSamples: lag.samples,
    drains: drains.drains,
    drainsOutOfBudget: drains.out_of_budget,
    longestStep: longest
      ? { jobId: longest.job_id, stepId: longest.step_id, durationMs: Math.round(Number(longest.duration_ms)) }
      : null,
  };
}
