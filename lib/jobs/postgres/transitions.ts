import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { db, type Executor } from "@/lib/db/client";
import { jobRuns, type JobError } from "@/lib/db/schema";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { onFailureJobId } from "../registry";

/**
 * Every state change a worker makes to a run it holds. Each one is fenced on
 * `locked_by = worker and status = 'running'`: if the run was cancelled meanwhile, or
 * its lease expired and another worker took it over, the update matches nothing and
 * the caller learns it no longer owns the run (and must not report success).
 */
export type Lease = { runId: string; workerId: string };

const held = (lease: Lease) =>
  and(eq(jobRuns.id, lease.runId), eq(jobRuns.lockedBy, lease.workerId), eq(jobRuns.status, "running"));
const unlocked = { lockedBy: null, leaseExpiresAt: null } as const;

async function fencedUpdate(
  lease: Lease,
  values: PgUpdateSetSource<typeof jobRuns>,
  executor: Executor = db,
): Promise<boolean> {
  const rows = await executor.update(jobRuns).set(values).where(held(lease)).returning({ id: jobRuns.id });
  return rows.length === 1;
}

/** Extends the lease; false when the run was cancelled or taken over. */
export function renewLease(lease: Lease, until: Date) {
  return fencedUpdate(lease, { leaseExpiresAt: until });
}

/**
 * A step succeeded and was checkpointed: the failures counted so far were that step's,
 * so the next failure is the first of the next step (Inngest counts retries per step,
 * and backoff starts again from its shortest delay). Called in the checkpoint's
 * transaction; a lease takeover still counts, since a replay writes no checkpoint.
 */
export function resetAttempt(lease: Lease, executor: Executor) {
  return fencedUpdate(lease, { attempt: 0 }, executor);
}

export function completeRun(lease: Lease, output: unknown) {
  return fencedUpdate(lease, {
    ...unlocked,
    status: "completed",
    output: output ?? null,
    error: null,
    finishedAt: new Date(),
  });
}

/** A failed attempt with attempts left: back to the queue after the backoff delay. */
export function scheduleRetry(lease: Lease, error: JobError, runAt: Date) {
  return fencedUpdate(lease, { ...unlocked, status: "queued", attempt: sql`${jobRuns.attempt} + 1`, error, runAt });
}

/** A `step.sleep`: parked until `wakeAt`, holding nothing. */
export function parkRun(lease: Lease, wakeAt: Date) {
  return fencedUpdate(lease, { ...unlocked, status: "sleeping", runAt: wakeAt });
}

/** The drain's budget ran out (or the worker is stopping): hand the run back, no attempt counted. */
export function releaseRun(lease: Lease, now: Date) {
  return fencedUpdate(lease, { ...unlocked, status: "queued", runAt: now });
}

/**
 * The dead-letter state. The onFailure handler, when the job has one, becomes its own
 * run in the same transaction, so it runs durably (with retries) exactly once per failure.
 */
export async function failRun(
  lease: Lease,
  failure: {
    error: JobError;
    countAttempt: boolean;
    run: { jobId: string; eventId: string | null; cronSlot: Date | null };
    onFailure?: { maxAttempts: number };
  },
) {
  return db.transaction(async (tx) => {
    const failed = await fencedUpdate(
      lease,
      {
        ...unlocked,
        status: "failed",
        error: failure.error,
        finishedAt: new Date(),
        ...(failure.countAttempt ? { attempt: sql`${jobRuns.attempt} + 1` } : {}),
      },
      tx,
    );
    if (failed && failure.onFailure) {
      await tx.insert(jobRuns).values({
        jobId: onFailureJobId(failure.run.jobId),
        eventId: failure.run.eventId,
        cronSlot: failure.run.cronSlot,
        parentRunId: lease.runId,
        maxAttempts: failure.onFailure.maxAttempts,
      });
      await tx.execute(sql`select pg_notify('slotline_jobs', 'postgres')`);
    }
    return failed;
  });
}

/** Lets go of every run a stopping worker still holds (a hung step past the grace period). */
export async function releaseAllHeldBy(workerId: string, now: Date) {
  const rows = await db
    .update(jobRuns)
    .set({ ...unlocked, status: "queued", runAt: now })
    .where(and(eq(jobRuns.lockedBy, workerId), eq(jobRuns.status, "running")))
    .returning({ id: jobRuns.id });
  return rows.length;
}
