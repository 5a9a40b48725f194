import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { cronSlotAt } from "./cron-schedule";
import { cronTriggers, findJob, resolveJobs, type JobList } from "./registry";
import { DEFAULT_RETRIES } from "./types";

export { cronExpressionOfSlot, cronSlotAt, parseCronExpression, scheduleOf } from "./cron-schedule";

export class NotACronJobError extends Error {
  override name = "NotACronJobError";
}

/**
 * Creates the run of a cron job for the slot due at `at` (the latest scheduled time at
 * or before it). The unique index job_runs_job_slot_key makes a late, doubled or
 * manual call for the same slot harmless: it returns the run that already exists.
 */
export async function createCronRun(jobId: string, at: Date = new Date(), options: { jobs?: JobList } = {}) {
  if (Number.isNaN(at.getTime())) throw new RangeError("createCronRun needs a valid date");
  const { job, isOnFailure } = findJob(resolveJobs(options.jobs), jobId);
  const triggers = cronTriggers(job);
  if (isOnFailure || triggers.length === 0) throw new NotACronJobError(`Job "${jobId}" has no cron trigger`);
  const slots = triggers.map((expression) => cronSlotAt(expression, at)).filter((slot): slot is Date => slot !== null);
  if (slots.length === 0) throw new NotACronJobError(`Job "${jobId}" has no scheduled time at or before ${at.toISOString()}`);
  const slot = new Date(Math.max(...slots.map((candidate) => candidate.getTime())));

  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(jobRuns)
      .values({ jobId, cronSlot: slot, maxAttempts: (job.options.retries ?? DEFAULT_RETRIES) + 1, runAt: slot })
      .onConflictDoNothing()
      .returning();
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
