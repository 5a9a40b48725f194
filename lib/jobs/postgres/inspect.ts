import "server-only";
import { and, asc, desc, eq, type SQL } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { jobEvents, jobRuns, jobSteps, type JobRun } from "@/lib/db/schema";
import { RUN_STATUSES, type RunStatus } from "../run-ledger";

/**
 * Read-only views of the queue for operators: `npm run jobs` and /admin/jobs share them
 * (the figures are in ./stats.ts). Each is a bounded index scan, so it answers as fast
 * with a million runs as with a hundred (npm run bench -- inspect).
 */

/** Newest first. Each filter walks an index backwards and stops at `limit`. */
export async function listRuns(filter: { status?: RunStatus; jobId?: string; limit?: number } = {}) {
  const limit = filter.limit ?? 50;
  const { jobId, status } = filter;
  if (!status) {
    // Every status: one short scan per status of (status, created_at), or of (job_id,
    // status, created_at) for one job, merged here. job_runs has no index on created_at
    // alone (schema.ts), and one query over a job's runs would read and sort all of them.
    const perStatus = await Promise.all(RUN_STATUSES.map((each) => newestRuns([jobId, each], limit)));
    return perStatus
      .flat()
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, limit);
  }
  return newestRuns([jobId, status], limit);
}

function newestRuns([jobId, status]: [string | undefined, RunStatus | undefined], limit: number) {
  const conditions: SQL[] = [];
  if (status) conditions.push(eq(jobRuns.status, status));
  if (jobId) conditions.push(eq(jobRuns.jobId, jobId));
  return db
    .select()
    .from(jobRuns)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
    .limit(limit);
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
