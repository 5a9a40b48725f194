import "server-only";
import { sql } from "drizzle-orm";
import { hasPostgresError } from "@/lib/db/postgres-errors";
import { db, type Tx } from "@/lib/db/client";
import { EMAIL_KEY_KEPT_FOR_GOOD } from "@/lib/db/schema";
import { env } from "@/lib/env";

/**
 * Retention: what the queue and the email ledger no longer need is deleted in bounded
 * batches, oldest first, by every Postgres drain and the worker. Ages are counted on
 * the database's clock. The rules (docs/architecture.md, "Retention"):
 *
 * - a completed run goes JOBS_RETAIN_COMPLETED_DAYS (7) after it finished; a failed or
 *   cancelled run JOBS_RETAIN_FAILED_DAYS (30) after, since an operator may still retry
 *   it. Queued, running and sleeping runs are never touched, however old. Steps go with
 *   their run (ON DELETE CASCADE).
 * - an event goes with the last run that points at it; an event that never had a run
 *   (relayed to Inngest, or no job subscribed) goes at the completed age. An event still
 *   waiting for the Inngest relay is kept.
 * - `email_outbox` and `email_deliveries` rows are idempotency keys: a row goes only when
 *   no run that could send it again is left, i.e. when it is older than the failed-run
 *   age (every finished run that could be retried or replayed is gone by then) and than
 *   the oldest unfinished run. Billing-summary keys are kept for good (see
 *   EMAIL_KEY_KEPT_FOR_GOOD): any month can be rerun with `trigger --at`.
 */
export type RetentionPolicy = { completedDays: number; failedDays: number };

export function retentionPolicy(): RetentionPolicy {
  const config = env();
  return { completedDays: config.JOBS_RETAIN_COMPLETED_DAYS, failedDays: config.JOBS_RETAIN_FAILED_DAYS };
}

export type PruneResult = { runs: number; events: number; emails: number; skipped: boolean };

/** Rows per statement: small enough that a batch and its steps' delete take well under a second. */
export const PRUNE_BATCH_SIZE = 1_000;
/** Events examined per pass for ones that never had a run, oldest first. */
const EVENT_SWEEP_WINDOW = 5 * PRUNE_BATCH_SIZE;
/** pg_try_advisory_xact_lock key: one pruner at a time, the others skip. */
const PRUNE_LOCK = 0x51_07_11_e0;

/**
 * Deletes a batch of each kind, and more while batches come back full and `timeCapMs`
 * allows. Always does at least one batch, so a drain whose budget the queue used up
 * still prunes a little. Concurrent callers do not wait on each other: the one holding
 * the advisory lock prunes, the rest return `skipped`.
 */
export async function pruneFinishedWork(
  options: { policy?: RetentionPolicy; batchSize?: number; timeCapMs?: number } = {},
): Promise<PruneResult> {
  const policy = options.policy ?? retentionPolicy();
  const batchSize = options.batchSize ?? PRUNE_BATCH_SIZE;
  const deadline = performance.now() + (options.timeCapMs ?? 1_000);
  const total: PruneResult = { runs: 0, events: 0, emails: 0, skipped: false };
  for (;;) {
    const batch = await pruneBatch(policy, batchSize).catch((error: unknown) => {
      // A replay created a run for an event this batch was deleting: the foreign key
      // stopped the delete and nothing changed. The next pass tries again.
      if (hasPostgresError(error, (code) => code === "23503")) return { runs: 0, events: 0, emails: 0, logs: 0 };
      throw error;
    });
    if (!batch) return { ...total, skipped: true };
    total.runs += batch.runs;
    total.events += batch.events;
    total.emails += batch.emails;
    const full =
      batch.runs === batchSize || batch.events >= batchSize || batch.emails >= batchSize || batch.logs >= batchSize;
    if (!full || performance.now() >= deadline) return total;
  }
}

function pruneBatch(policy: RetentionPolicy, batchSize: number) {
  return db.transaction(async (tx) => {
    const [lock] = (await tx.execute(sql`select pg_try_advisory_xact_lock(${PRUNE_LOCK}) as locked`)) as unknown as {
      locked: boolean;
    }[];
    if (!lock.locked) return null;
    const cutoffs = retentionCutoffs(policy);
    const pruned = await pruneRuns(tx, cutoffs, batchSize);
    const events = await pruneEventsWithoutRuns(tx, cutoffs, batchSize);
    const emails = await pruneEmailKeys(tx, cutoffs, batchSize);
    const logs = await pruneLogs(tx, batchSize);
    return { runs: pruned.runs, events: pruned.events + events, emails, logs };
  });
}

/** The advisor judges the last 30 days of drains (lib/jobs/advisor); older ones are only weight. */
export const DRAIN_LOG_DAYS = 31;

/** Inngest's longest throttle period: a run start older than this counts toward no throttle. */
const THROTTLE_PERIOD_MAX_DAYS = 7;

/**
 * The two logs, a batch each: every drain and kick writes a job_drains row, kept for the
 * advisor's window; the claim deletes a throttle key's old starts whenever it checks that
 * key, and starts of keys that stop coming (a clinic that closed) are left for this.
 * Returns the larger count, so a full batch of either asks for another pass.
 */
async function pruneLogs(tx: Tx, batchSize: number) {
  const drains = await pruneLog(tx, "job_drains", DRAIN_LOG_DAYS, batchSize);
  const starts = await pruneLog(tx, "job_throttle_starts", THROTTLE_PERIOD_MAX_DAYS, batchSize);
  return Math.max(drains, starts);
}

/** Deletes up to `batchSize` rows of a log whose `started_at` is more than `days` old, oldest first. */
async function pruneLog(tx: Tx, table: "job_drains" | "job_throttle_starts", days: number, batchSize: number) {
  const [row] = (await tx.execute(sql`
    with deleted as (
      delete from ${sql.identifier(table)} where ctid in (
        select ctid from ${sql.identifier(table)} where started_at < now() - make_interval(days => ${days}::int)
        order by started_at limit ${batchSize})
      returning 1
    )
    select count(*)::int as deleted from deleted
  `)) as unknown as { deleted: number }[];
  return row.deleted;
}

function retentionCutoffs(policy: RetentionPolicy) {
  return {
    completed: sql`now() - make_interval(days => ${policy.completedDays}::int)`,
    failed: sql`now() - make_interval(days => ${policy.failedDays}::int)`,
  };
}
type Cutoffs = ReturnType<typeof retentionCutoffs>;

/**
 * One batch of finished runs past their age, their steps (the trigger job_runs_delete_steps), and the events
 * no remaining run points at. The DELETE repeats the status and age test on the row
 * itself: a run retried by an operator since `doomed` was read is re-checked on its
 * new version (READ COMMITTED) and stays. created_at <= finished_at, so the age test on
 * created_at lets the (status, created_at) index find the candidates.
 */
async function pruneRuns(tx: Tx, cutoff: Cutoffs, batchSize: number) {
  const finishedLongAgo = (alias: string) => sql`(
    (${sql.raw(alias)}.status = 'completed' and ${sql.raw(alias)}.created_at < ${cutoff.completed}
      and ${sql.raw(alias)}.finished_at < ${cutoff.completed})
    or (${sql.raw(alias)}.status in ('failed', 'cancelled') and ${sql.raw(alias)}.created_at < ${cutoff.failed}
      and ${sql.raw(alias)}.finished_at < ${cutoff.failed}))`;
  const [row] = (await tx.execute(sql`
    with doomed as (
      select id from job_runs r where ${finishedLongAgo("r")}
      limit ${batchSize}
    ),
    deleted as (
      delete from job_runs r using doomed where r.id = doomed.id and ${finishedLongAgo("r")}
      returning r.id, r.event_id
    ),
    freed_events as (
      delete from job_events e
      where e.id in (select event_id from deleted where event_id is not null)
        and not (e.driver = 'inngest' and e.relayed_at is null)
        and not exists (
          select 1 from job_runs other
          where other.event_id = e.id and other.id not in (select id from deleted))
      returning e.id
    )
    select (select count(*) from deleted)::int as runs, (select count(*) from freed_events)::int as events
  `)) as unknown as { runs: number; events: number }[];
  return row;
}

/**
 * Events that never had a run. Only the oldest EVENT_SWEEP_WINDOW events past the age
 * are examined per pass, so events still pointed at by long-lived runs (a reminder
 * sleeping until next month) cost a bounded amount; they leave with their runs.
 */
async function pruneEventsWithoutRuns(tx: Tx, cutoff: Cutoffs, batchSize: number) {
  const [row] = (await tx.execute(sql`
    with oldest as (
      select id, driver, relayed_at from job_events
      where created_at < ${cutoff.completed}
      order by created_at
      limit ${EVENT_SWEEP_WINDOW}
    ),
    deleted as (
      delete from job_events e
      where e.id in (
        select oldest.id from oldest
        where not (oldest.driver = 'inngest' and oldest.relayed_at is null)
          and not exists (select 1 from job_runs r where r.event_id = oldest.id)
        limit ${batchSize})
      returning e.id
    )
    select count(*)::int as events from deleted
  `)) as unknown as { events: number }[];
  return row.events;
}

/** Email idempotency keys no run can ask for again (the rule above), oldest first. */
async function pruneEmailKeys(tx: Tx, cutoff: Cutoffs, batchSize: number) {
  const keptForGood = sql.raw(`'${EMAIL_KEY_KEPT_FOR_GOOD}%'`);
  const [row] = (await tx.execute(sql`
    with horizon as (
      select least(${cutoff.failed},
        (select min(created_at) from job_runs where status = 'queued'),
        (select min(created_at) from job_runs where status = 'running'),
        (select min(created_at) from job_runs where status = 'sleeping')) as before
    ),
    outbox as (
      delete from email_outbox where id in (
        select id from email_outbox
        where created_at < (select before from horizon) and idempotency_key not like ${keptForGood}
        order by created_at limit ${batchSize})
      returning 1
    ),
    deliveries as (
      delete from email_deliveries where id in (
        select id from email_deliveries
        where created_at < (select before from horizon) and idempotency_key not like ${keptForGood}
        order by created_at limit ${batchSize})
      returning 1
    )
    select ((select count(*) from outbox) + (select count(*) from deliveries))::int as emails
  `)) as unknown as { emails: number }[];
  return row.emails;
}
