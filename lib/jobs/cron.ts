import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { cronSlotAt } from "./cron-schedule";
import { cronJobs, cronTriggers, findJob, resolveJobs, type JobList } from "./registry";
import { DEFAULT_RETRIES, type JobDefinition } from "./types";

export { cronExpressionOfSlot, cronSlotAt, parseCronExpression, scheduleOf } from "./cron-schedule";

export class NotACronJobError extends Error {
  override name = "NotACronJobError";
}

/** The latest scheduled time at or before `at` over all of a job's cron triggers. */
function latestSlot(job: JobDefinition, at: Date): Date | null {
  const slots = cronTriggers(job)
    .map((expression) => cronSlotAt(expression, at))
    .filter((slot): slot is Date => slot !== null);
  return slots.length === 0 ? null : new Date(Math.max(...slots.map((slot) => slot.getTime())));
}

const cronRunValues = (job: JobDefinition, slot: Date) => ({
  jobId: job.options.id,
  cronSlot: slot,
  maxAttempts: (job.options.retries ?? DEFAULT_RETRIES) + 1,
  runAt: slot,
});

/**
 * Creates the run of a cron job for the slot due at `at` (the latest scheduled time at
 * or before it). The unique index job_runs_job_slot_key makes a late, doubled or
 * manual call for the same slot harmless: it returns the run that already exists.
 */
export async function createCronRun(jobId: string, at: Date = new Date(), options: { jobs?: JobList } = {}) {
  if (Number.isNaN(at.getTime())) throw new RangeError("createCronRun needs a valid date");
  const { job, isOnFailure } = findJob(resolveJobs(options.jobs), jobId);
  if (isOnFailure || cronTriggers(job).length === 0) throw new NotACronJobError(`Job "${jobId}" has no cron trigger`);
  const slot = latestSlot(job, at);
  if (!slot) throw new NotACronJobError(`Job "${jobId}" has no scheduled time at or before ${at.toISOString()}`);

  return db.transaction(async (tx) => {
    const [inserted] = await tx.insert(jobRuns).values(cronRunValues(job, slot)).onConflictDoNothing().returning();
    if (inserted) {
      await tx.execute(sql`select pg_notify('slotline_jobs', 'postgres')`);
      return { run: inserted, slot, created: true };
    }
    const [existing] = await tx
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.jobId, jobId), eq(jobRuns.cronSlot, slot), isNull(jobRuns.parentRunId)));
    return { run: existing, slot, created: false };
  });
}

export type CreatedCronRun = { jobId: string; slot: Date; runId: string };

/**
 * Catches up missed cron slots: every cron job gets the run of its latest slot at or
 * before `now` if that slot has none yet. Vercel does not retry a failed cron call and
 * a self-hosted worker has no Vercel Cron at all, so every Postgres-mode drain and the
 * worker's poll call this. It is one multi-row INSERT ... ON CONFLICT DO NOTHING: once
 * a slot has its run (whatever its status), job_runs_job_slot_key makes it a no-op, and
 * concurrent callers race harmlessly on that unique index.
 */
export async function createDueCronRuns(options: { jobs?: JobList; now?: Date } = {}): Promise<CreatedCronRun[]> {
  const now = options.now ?? new Date();
  const values = cronJobs(resolveJobs(options.jobs)).flatMap((job) => {
    try {
      const slot = latestSlot(job, now);
      return slot ? [cronRunValues(job, slot)] : [];
    } catch (error) {
      // A bad expression must not stop every other job from draining; the
      // vercel.json check (tests/unit/jobs-vercel-crons.test.ts) catches it in CI.
      console.error(`[jobs] cannot compute the cron slot of "${job.options.id}"; no run created`, error);
      return [];
    }
  });
  if (values.length === 0) return [];
  const created = await db
    .insert(jobRuns)
    .values(values)
    .onConflictDoNothing()
    .returning({ jobId: jobRuns.jobId, slot: jobRuns.cronSlot, runId: jobRuns.id });
  // Other idle workers learn of the new runs at once, as with createCronRun.
  if (created.length > 0) await db.execute(sql`select pg_notify('slotline_jobs', 'postgres')`);
  return created.map((run) => ({ jobId: run.jobId, slot: run.slot as Date, runId: run.runId }));
}
