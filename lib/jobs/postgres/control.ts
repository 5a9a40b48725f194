import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { jobRuns, type JobRun } from "@/lib/db/schema";
import { RunActionError } from "../run-ledger";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function loadRun(runId: string): Promise<JobRun> {
  if (!UUID.test(runId)) throw new RunActionError(`"${runId}" is not a run id (expected a UUID)`);
  const [run] = await db.select().from(jobRuns).where(eq(jobRuns.id, runId));
  if (!run) throw new RunActionError(`No run ${runId}`);
  return run;
}

const notify = sql`select pg_notify('slotline_jobs', 'postgres')`;

/**
 * Cancels a queued, sleeping or running run. A running one is stopped by its worker
 * before its next step: the worker's fenced writes find the run no longer theirs.
 */
export async function cancelRun(runId: string): Promise<JobRun> {
  const current = await loadRun(runId);
  const [run] = await db
    .update(jobRuns)
    .set({
      status: "cancelled",
      lockedBy: null,
      claimToken: null,
      leaseExpiresAt: null,
      finishedAt: sql`now()`,
      cancelReason: "cancelled by an operator",
    })
    .where(and(eq(jobRuns.id, runId), inArray(jobRuns.status, ["queued", "sleeping", "running"])))
    .returning();
  if (!run)
    throw new RunActionError(
      `Run ${runId} is ${current.status}; only queued, sleeping or running runs can be cancelled`,
    );
  return run;
}

/**
 * Puts a failed or cancelled run back in the queue with a fresh set of attempts. Its
 * checkpoints stay, so finished steps are replayed, not repeated.
 */
export async function retryRun(runId: string): Promise<JobRun> {
  const current = await loadRun(runId);
  const run = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(jobRuns)
      .set({
        status: "queued",
        attempt: 0,
        runAt: sql`slotline_now()`,
        error: null,
        finishedAt: null,
        cancelReason: null,
        cancelledByEventId: null,
        lockedBy: null,
        claimToken: null,
        leaseExpiresAt: null,
      })
      .where(and(eq(jobRuns.id, runId), inArray(jobRuns.status, ["failed", "cancelled"])))
      .returning();
    if (updated) await tx.execute(notify);
    return updated;
  });
  if (!run)
    throw new RunActionError(
      `Run ${runId} is ${current.status}; only failed or cancelled runs can be retried (try replay)`,
    );
  return run;
}

/**
 * A new run for the same event or cron slot, from scratch (no checkpoints), linked to
 * the original by parent_run_id. Replays bypass the one-run-per-event rule on purpose.
 */
export async function replayRun(runId: string): Promise<JobRun> {
  const source = await loadRun(runId);
  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(jobRuns)
      .values({
        jobId: source.jobId,
        eventId: source.eventId,
        cronSlot: source.cronSlot,
        maxAttempts: source.maxAttempts,
        parentRunId: source.id,
      })
      .returning();
    await tx.execute(notify);
    return run;
  });
}
