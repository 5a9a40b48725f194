import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { arrayParam, runStatement } from "./statement";
import { heldByList, type Lease } from "./lease";

/** A finished step, to be checkpointed under the claim that ran it. */
export type StepCheckpoint = {
  lease: Lease;
  stepId: string;
  /** Already JSON-safe: what a replay will return. */
  output: unknown;
  /** The attempt the step ran in (failures of this step before it). */
  attempt: number;
  durationMs: number;
  /** When the step finished, on this process's monotonic clock (performance.now()). */
  finishedAt: number;
};

export type CheckpointStatus = "completed" | "sleeping";

/**
 * How long ago a step finished, so a checkpoint written a moment later still dates the
 * step on the database's clock: it finished at now() minus this, and started its
 * duration before that.
 */
const finishedAgoMs = (step: StepCheckpoint, at: number) => Math.max(0, Math.round(at - step.finishedAt));

/**
 * What a checkpoint does to its run. It locks the run's row (FOR NO KEY UPDATE, the lock an
 * UPDATE takes: a concurrent cancel or takeover waits until the checkpoint commits, and one
 * that committed first makes the lock match nothing), and writes the row only when there is
 * something to write: the lease once less than half of it is left, and the attempt count
 * once a step succeeds after failures (Inngest counts retries per step). A lock writes no
 * new version of the row, where an UPDATE wrote one per step: the lock took a fifth off a
 * checkpoint's executor time (docs/benchmarks.md).
 *
 * `runs` yields the (id, claim_token) pairs to check; the CTEs it defines are `held` (the
 * runs this claim still holds, locked) and `renewed`. `now` is the engine's clock.
 */
const lockHeldRuns = (runs: SQL, leaseMs: number, now: SQL) => sql`
    held as (
      select run.id, run.claim_token, run.attempt,
             run.lease_expires_at < ${now} + ${leaseMs / 2} * interval '1 millisecond' as lease_short
      from job_runs as run, (${runs}) as checked(id, claim_token)
      where ${heldByList("run", "checked")}
      for no key update of run
    ),
    renewed as (
      update job_runs as run
      set lease_expires_at = case when held.lease_short then ${now} + ${leaseMs} * interval '1 millisecond'
                                  else run.lease_expires_at end,
          attempt = 0, updated_at = now()
      from held
      where run.id = held.id and (held.lease_short or held.attempt <> 0)
    )`;

/**
 * One step's checkpoint in one statement, and only while this claim still holds the run
 * (lockHeldRuns; the executor's heartbeat also renews the lease every third of it). The
 * INSERT takes its row from `held`, so a run that was cancelled or taken over gets no
 * checkpoint (undefined) and its lane stops. A sleep's step stays `sleeping` until its
 * wake time (`wakeAt`, SQL computed on the database's clock).
 */
export async function writeStepCheckpoint(
  step: StepCheckpoint & { op: "run" | "sendEvent" | "sleep"; wakeAt?: SQL },
  leaseMs: number,
  executor?: Executor,
): Promise<{ status: CheckpointStatus; wakeAt: Date | null } | undefined> {
  const wakeAt = step.wakeAt ?? sql`null::timestamptz`;
  const finished = sql`now() - ${finishedAgoMs(step, performance.now())} * interval '1 millisecond'`;
  const { runId, claimToken } = step.lease;
  const [row] = await runStatement<{ status: CheckpointStatus; wake_at: string | null }>(
    sql`
      with ${lockHeldRuns(sql`select ${runId}::uuid, ${claimToken}::uuid`, leaseMs, sql`slotline_now()`)},
      step as (
        select ${wakeAt} as wake_at
      )
      insert into job_steps (run_id, step_id, op, status, output, attempt, wake_at, started_at, finished_at)
      select held.id, ${step.stepId}, ${step.op},
             (case when step.wake_at > slotline_now() then 'sleeping' else 'completed' end)::job_step_status,
             ${JSON.stringify(step.output ?? null)}::jsonb, ${step.attempt}, step.wake_at,
             ${finished} - ${Math.round(step.durationMs)} * interval '1 millisecond',
             case when step.wake_at > slotline_now() then null else ${finished} end
      from held, step
      returning status, wake_at
    `,
    executor,
  );
  return row && { status: row.status, wakeAt: row.wake_at ? new Date(row.wake_at) : null };
}

/**
 * `step.run` checkpoints as a table for a statement's WITH list:
 * `step(run_id, claim_token, step_id, output, attempt, duration_ms, finished_ago_ms, ord)`.
 */
export function stepTable(steps: StepCheckpoint[]) {
  const at = performance.now();
  return sql`
    select * from unnest(${arrayParam(steps.map((step) => step.lease.runId))}::uuid[],
                         ${arrayParam(steps.map((step) => step.lease.claimToken))}::uuid[],
                         ${arrayParam(steps.map((step) => step.stepId))}::text[],
                         ${arrayParam(steps.map((step) => JSON.stringify(step.output ?? null)))}::jsonb[],
                         ${arrayParam(steps.map((step) => step.attempt))}::int[],
                         ${arrayParam(steps.map((step) => Math.round(step.durationMs)))}::int[],
                         ${arrayParam(steps.map((step) => finishedAgoMs(step, at)))}::int[])
      with ordinality as step(run_id, claim_token, step_id, output, attempt, duration_ms, finished_ago_ms, ord)`;
}

/**
 * Inserts the rows of `step` (stepTable) whose run the same statement's fenced UPDATE
 * returned as `held(id, claim_token)`, in the order the steps finished.
 */
export const insertHeldSteps = sql`
  insert into job_steps (run_id, step_id, op, status, output, attempt, started_at, finished_at)
  select step.run_id, step.step_id, 'run', 'completed', step.output, step.attempt,
         now() - (step.finished_ago_ms + step.duration_ms) * interval '1 millisecond',
         now() - step.finished_ago_ms * interval '1 millisecond'
  from step
  where exists (select from held where held.id = step.run_id and held.claim_token = step.claim_token)
  order by step.ord
  returning run_id, step_id`;

/**
 * The checkpoints of `step.run` steps of many runs in one statement (the lanes of a
 * worker or drain share a GroupCommit of these). Per step it does what a single
 * checkpoint does: lockHeldRuns, and only steps whose run it locked get their row; a run cancelled
 * or taken over gets none, and its lane stops. Two steps of one run (Promise.all over
 * steps) may share a statement: the run is locked and both rows are written, in
 * the order they finished. Returns, per step, whether it was checkpointed. A lone step
 * takes writeStepCheckpoint's simpler statement, which costs the server half as much.
 */
export async function writeStepCheckpoints(steps: StepCheckpoint[], leaseMs: number): Promise<boolean[]> {
  if (steps.length === 0) return [];
  if (steps.length === 1) return [(await writeStepCheckpoint({ ...steps[0], op: "run" }, leaseMs)) !== undefined];
  const rows = await runStatement<{ ord: string }>(stepCheckpointsStatement(steps, leaseMs));
  const written = new Set(rows.map((row) => Number(row.ord)));
  return steps.map((_, index) => written.has(index + 1));
}

/** The statement of writeStepCheckpoints: one row (`ord`) per step checkpointed. */
export function stepCheckpointsStatement(steps: StepCheckpoint[], leaseMs: number) {
  return sql`
    with step as (${stepTable(steps)}),
    clock as materialized (select slotline_now() as now),
    ${lockHeldRuns(sql`select run_id, claim_token from step`, leaseMs, sql`(select now from clock)`)},
    written as (${insertHeldSteps})
    select step.ord from step join written on written.run_id = step.run_id and written.step_id = step.step_id
  `;
}
