import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { db, type Executor } from "@/lib/db/client";
import { jobRuns, type JobError } from "@/lib/db/schema";
import { onFailureJobId } from "../registry";
import { insertHeldSteps, stepTable, type StepCheckpoint } from "./checkpoints";
import { heldBy, heldByList, leaseOf, type Lease } from "./lease";
import { arrayParam, runStatement } from "./statement";

/**
 * Every state change a worker makes to a run it holds, each fenced on the claim that holds
 * it (heldBy, lib/jobs/postgres/lease.ts).
 */

/** Clears the claim: the run is no longer held by anyone. */
const unlocked = sql`locked_by = null, claim_token = null, lease_expires_at = null, updated_at = now()`;

const afterMs = (ms: number) => sql`slotline_now() + ${Math.max(0, Math.round(ms))} * interval '1 millisecond'`;

async function fencedUpdate(lease: Lease, set: SQL, executor?: Executor): Promise<boolean> {
  const rows = await runStatement<{ id: string }>(
    sql`update job_runs set ${set} where ${heldBy(lease)} returning id`,
    executor,
  );
  return rows.length === 1;
}

/** Extends the lease by `leaseMs` from the database's now; false when the run was lost. */
export function renewLease(lease: Lease, leaseMs: number) {
  return fencedUpdate(lease, sql`lease_expires_at = ${afterMs(leaseMs)}`);
}

/**
 * A run claimed ahead (RunFeed) that waited a quarter of its lease in the local queue gets
 * a new lease before its lane starts it, so a slow queue never starts runs on leases about
 * to expire.
 */
export const renewQueuedRuns = (leaseMs: number, onLost?: (claimToken: string) => void) => ({
  afterMs: leaseMs / 4,
  run: async (run: { id: string; claimToken: string }) => {
    const renewed = await renewLease(leaseOf(run), leaseMs);
    if (!renewed) onLost?.(run.claimToken);
    return renewed;
  },
});

/** A failed attempt with attempts left: back to the queue after the backoff delay. */
export function scheduleRetry(lease: Lease, error: JobError, delayMs: number) {
  return fencedUpdate(
    lease,
    sql`${unlocked}, status = 'queued', attempt = attempt + 1, error = ${JSON.stringify(error)}::jsonb, run_at = ${afterMs(delayMs)}`,
  );
}

/** A `step.sleep`: parked until `wakeAt` (a time the database computed), holding nothing. */
export function parkRun(lease: Lease, wakeAt: Date) {
  return fencedUpdate(lease, sql`${unlocked}, status = 'sleeping', run_at = ${wakeAt.toISOString()}::timestamptz`);
}

/** The drain's budget ran out (or the worker is stopping): hand the run back, no attempt counted. */
export function releaseRun(lease: Lease) {
  return fencedUpdate(lease, sql`${unlocked}, status = 'queued', run_at = slotline_now()`);
}

/** Hands back runs claimed into a local queue but never started (one statement). */
export async function releaseRuns(leases: Lease[]) {
  if (leases.length === 0) return 0;
  const rows = await runStatement<{ id: string }>(sql`
    update job_runs as run
    set ${unlocked}, status = 'queued', run_at = slotline_now()
    from unnest(${arrayParam(leases.map((l) => l.runId))}::uuid[], ${arrayParam(leases.map((l) => l.claimToken))}::uuid[])
      as held(id, claim_token)
    where ${heldByList("run", "held")}
    returning run.id
  `);
  return rows.length;
}

/**
 * Completes many runs in one statement (the lanes' group commit, lib/jobs/postgres/lanes.ts),
 * with the checkpoints of their last steps (see StepRunner.flush): a run's final `step.run`
 * is written by its completion, fenced the same way, instead of a statement of its own.
 * Returns the ids that were still held, so a lane whose run was taken over does not report
 * it completed (and its last steps are not written).
 */
export async function completeRuns(
  completions: { lease: Lease; output: unknown; steps?: StepCheckpoint[] }[],
): Promise<Set<string>> {
  if (completions.length === 0) return new Set();
  const rows = await runStatement<{ id: string }>(completionStatement(completions));
  return new Set(rows.map((row) => row.id));
}

/** The statement of completeRuns: one row (`id`) per run completed. */
export function completionStatement(completions: { lease: Lease; output: unknown; steps?: StepCheckpoint[] }[]) {
  const steps = completions.flatMap((completion) => completion.steps ?? []);
  // Runs with no step left to write (no-step jobs, or a last step written before) skip the step write.
  const writeSteps = steps.length > 0 ? sql`, step as (${stepTable(steps)}), written as (${insertHeldSteps})` : sql``;
  return sql`
    with held as (
      update job_runs as run
      set ${unlocked}, status = 'completed', output = done.output, error = null, finished_at = now()
      -- The arrays pass through a subquery the planner may not look into (offset 0), so it
      -- cannot count a batch's runs: it would find a custom plan for each small batch cheaper
      -- than the generic one, and plan every completion anew (about 0.2 ms each).
      from (select ${arrayParam(completions.map((c) => c.lease.runId))}::uuid[] as ids,
                   ${arrayParam(completions.map((c) => c.lease.claimToken))}::uuid[] as tokens,
                   ${arrayParam(completions.map((c) => JSON.stringify(c.output ?? null)))}::jsonb[] as outputs
            offset 0) as batch
      cross join lateral unnest(batch.ids, batch.tokens, batch.outputs) as done(id, claim_token, output)
      where ${heldByList("run", "done")}
      returning run.id, done.claim_token
    )${writeSteps}
    select id from held
  `;
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
      sql`${unlocked}, status = 'failed', error = ${JSON.stringify(failure.error)}::jsonb, finished_at = now(),
          attempt = attempt + ${failure.countAttempt ? 1 : 0}`,
      tx,
    );
    if (failed && failure.onFailure) {
      await tx.insert(jobRuns).values({
        jobId: onFailureJobId(failure.run.jobId),
        eventId: failure.run.eventId,
        cronSlot: failure.run.cronSlot,
        parentRunId: lease.runId,
        maxAttempts: failure.onFailure.maxAttempts,
        runAt: sql`slotline_now()`,
      });
      await tx.execute(sql`select pg_notify('slotline_jobs', 'postgres')`);
    }
    return failed;
  });
}
