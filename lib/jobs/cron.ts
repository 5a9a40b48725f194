import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db, type Executor } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { databaseNow, recordSlot, scheduleSlots } from "./cron-ledger";
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

const maxAttemptsOf = (job: JobDefinition) => (job.options.retries ?? DEFAULT_RETRIES) + 1;
const cronRunValues = (job: JobDefinition, slot: Date) => ({
  jobId: job.options.id,
  cronSlot: slot,
  maxAttempts: maxAttemptsOf(job),
  runAt: slot,
});
const cronRunValuesForLedger = (job: JobDefinition, slot: Date) => ({
  jobId: job.options.id,
  slot,
  maxAttempts: maxAttemptsOf(job),
});

function cronJobSlotAt(jobId: string, at: Date, jobs?: JobList) {
  if (Number.isNaN(at.getTime())) throw new RangeError("createCronRun needs a valid date");
  const { job, isOnFailure } = findJob(resolveJobs(jobs), jobId);
  if (isOnFailure || cronTriggers(job).length === 0) throw new NotACronJobError(`Job "${jobId}" has no cron trigger`);
  const slot = latestSlot(job, at);
  if (!slot) throw new NotACronJobError(`Job "${jobId}" has no scheduled time at or before ${at.toISOString()}`);
  return { job, slot };
}

const notifyWorkers = sql`select pg_notify('slotline_jobs', 'postgres')`;

async function findSlotRun(executor: Executor, jobId: string, slot: Date) {
  const [existing] = await executor
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.jobId, jobId), eq(jobRuns.cronSlot, slot), isNull(jobRuns.parentRunId)));
  return existing;
}

/**
 * Creates the run of a cron job for the slot due at `at` (the latest scheduled time at
 * or before it), on request: `npm run jobs -- trigger <job> [--at <time>]`. Any slot,
 * earlier ones included, gets its run if it has none; the unique index
 * job_runs_job_slot_key makes a second call for the same slot return the run that
 * exists. The cron ledger moves forward to the slot if it is the latest.
 */
export async function createCronRun(jobId: string, at: Date = new Date(), options: { jobs?: JobList } = {}) {
  const { job, slot } = cronJobSlotAt(jobId, at, options.jobs);
  return db.transaction(async (tx) => {
    const [inserted] = await tx.insert(jobRuns).values(cronRunValues(job, slot)).onConflictDoNothing().returning();
    await recordSlot(tx, jobId, slot);
    if (inserted) {
      await tx.execute(notifyWorkers);
      return { run: inserted, slot, created: true };
    }
    return { run: await findSlotRun(tx, jobId, slot), slot, created: false };
  });
}

/**
 * What Vercel Cron's call for a job does (GET /api/cron/<job>): the slot due now gets its
 * run unless the cron ledger already scheduled it. A doubled or late call for a slot
 * returns its run (`created: false`), or none once that run was pruned.
 */
export async function createScheduledCronRun(jobId: string, options: { jobs?: JobList; at?: Date } = {}) {
  const { job, slot } = cronJobSlotAt(jobId, options.at ?? (await databaseNow()), options.jobs);
  return db.transaction(async (tx) => {
    const [scheduled] = await scheduleSlots([cronRunValuesForLedger(job, slot)], "scheduled", tx);
    if (scheduled) await tx.execute(notifyWorkers);
    return { runId: scheduled?.runId ?? (await findSlotRun(tx, jobId, slot))?.id ?? null, slot, created: !!scheduled };
  });
}

export type CreatedCronRun = { jobId: string; slot: Date; runId: string };

/**
 * Catches up missed cron slots: every cron job whose latest slot at or before `now` is
 * later than the cron ledger's gets that slot's run (a job the ledger has never seen
 * only records its starting point; see lib/jobs/cron-ledger.ts). Vercel does not retry
 * a failed cron call and a self-hosted worker has no Vercel Cron at all, so every
 * Postgres-mode drain and the worker's poll call this. One statement; concurrent
 * callers race harmlessly on the ledger row.
 */
export async function createDueCronRuns(options: { jobs?: JobList; now?: Date } = {}): Promise<CreatedCronRun[]> {
  const jobs = cronJobs(resolveJobs(options.jobs));
  if (jobs.length === 0) return [];
  const now = options.now ?? (await databaseNow());
  const slots = jobs.flatMap((job) => {
    try {
      const slot = latestSlot(job, now);
      return slot ? [cronRunValuesForLedger(job, slot)] : [];
    } catch (error) {
      // A bad expression must not stop every other job from draining; the
      // vercel.json check (tests/unit/jobs-vercel-crons.test.ts) catches it in CI.
      console.error(`[jobs] cannot compute the cron slot of "${job.options.id}"; no run created`, error);
      return [];
    }
  });
  const created = await scheduleSlots(slots, "catch-up");
  // Other idle workers learn of the new runs at once, as with createCronRun.
  if (created.length > 0) await db.execute(notifyWorkers);
  return created;
}
