import "server-only";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { jobEvents, jobRunStatus, jobRuns, jobSteps, type JobRun } from "@/lib/db/schema";

/** Read-only views of the queue for operators: `npm run jobs` and /admin/jobs share them. */
export const RUN_STATUSES = jobRunStatus.enumValues;
export type RunStatus = (typeof RUN_STATUSES)[number];

export async function listRuns(filter: { status?: RunStatus; jobId?: string; limit?: number } = {}) {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(jobRuns.status, filter.status));
  if (filter.jobId) conditions.push(eq(jobRuns.jobId, filter.jobId));
  return db
    .select()
    .from(jobRuns)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
    .limit(filter.limit ?? 50);
}

export type RunDetail = {
  run: JobRun;
  event: { id: string; name: string; data: unknown; ts: Date } | null;
  steps: {
    id: number;
    stepId: string;
    op: string;
    status: string;
    attempt: number;
    output: unknown;
    error: unknown;
    wakeAt: Date | null;
    startedAt: Date;
    finishedAt: Date | null;
    durationMs: number | null;
  }[];
  children: { id: string; jobId: string; status: string; createdAt: Date }[];
};

export async function showRun(runId: string): Promise<RunDetail | null> {
  const [run] = await db.select().from(jobRuns).where(eq(jobRuns.id, runId));
  if (!run) return null;
  const [event] = run.eventId
    ? await db
        .select({ id: jobEvents.id, name: jobEvents.name, data: jobEvents.data, ts: jobEvents.ts })
        .from(jobEvents)
        .where(eq(jobEvents.id, run.eventId))
    : [];
  const steps = await db.select().from(jobSteps).where(eq(jobSteps.runId, runId)).orderBy(asc(jobSteps.id));
  const children = await db
    .select({ id: jobRuns.id, jobId: jobRuns.jobId, status: jobRuns.status, createdAt: jobRuns.createdAt })
    .from(jobRuns)
    .where(eq(jobRuns.parentRunId, runId))
    .orderBy(asc(jobRuns.createdAt));
  return {
    run,
    event: event ?? null,
    steps: steps.map((step) => ({
      id: step.id,
      stepId: step.stepId,
      op: step.op,
      status: step.status,
      attempt: step.attempt,
      output: step.output,
      error: step.error,
      wakeAt: step.wakeAt,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
      durationMs: step.finishedAt ? step.finishedAt.getTime() - step.startedAt.getTime() : null,
    })),
    children,
  };
}

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
};

export async function jobStats(now = new Date()): Promise<JobStats> {
  const rows = await db
    .select({ jobId: jobRuns.jobId, status: jobRuns.status, count: sql<number>`count(*)::int` })
    .from(jobRuns)
    .groupBy(jobRuns.jobId, jobRuns.status)
    .orderBy(jobRuns.jobId);
  const byJob = new Map<string, JobStats["byJob"][number]>();
  for (const row of rows) {
    const entry = byJob.get(row.jobId) ?? {
      jobId: row.jobId,
      counts: Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>,
      total: 0,
    };
    entry.counts[row.status] = row.count;
    entry.total += row.count;
    byJob.set(row.jobId, entry);
  }

  const at = now.toISOString();
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const [figures] = (await db.execute(sql`
    select
      (select min(run_at) from job_runs where status in ('queued', 'sleeping') and run_at <= ${at}::timestamptz) as oldest_due,
      (select count(*)::int from job_runs where created_at >= ${since}::timestamptz) as runs,
      (select count(*)::int from job_steps where started_at >= ${since}::timestamptz) as steps,
      (select count(*)::int from job_runs where status = 'completed' and finished_at >= ${since}::timestamptz) as completed,
      (select count(*)::int from job_runs where status = 'failed' and finished_at >= ${since}::timestamptz) as failed
  `)) as unknown as { oldest_due: string | null; runs: number; steps: number; completed: number; failed: number }[];
  const finished = figures.completed + figures.failed;
  return {
    byJob: [...byJob.values()],
    oldestDueRunAgeMs: figures.oldest_due ? Math.max(0, now.getTime() - new Date(figures.oldest_due).getTime()) : null,
    last30Days: {
      runs: figures.runs,
      steps: figures.steps,
      completed: figures.completed,
      failed: figures.failed,
      failureRate: finished ? figures.failed / finished : null,
      // Inngest counts each function run and each step as an execution.
      inngestExecutions: figures.runs + figures.steps,
    },
  };
}
