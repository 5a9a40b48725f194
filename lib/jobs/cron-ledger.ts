import "server-only";
import { sql } from "drizzle-orm";
import { db, type Executor } from "@/lib/db/client";

/**
 * The cron ledger (`job_cron_ledger`): the last slot scheduled per cron job. Whether a
 * slot is due is read here, never from job_runs, because finished runs are pruned
 * (lib/jobs/postgres/prune.ts): a pruned monthly run must not make its month due again.
 */

export type SlotToSchedule = { jobId: string; slot: Date; maxAttempts: number };
export type ScheduledSlot = { jobId: string; slot: Date; runId: string };

/**
 * - `catch-up` (drains, the worker): a slot gets its run only if it is later than the
 *   ledger's. A job the ledger has never seen (a new deployment, a new job) records the
 *   slot as its starting point and runs nothing: its first run is the next slot, so a
 *   deployment made on the 20th does not bill the month before. Earlier slots run only
 *   on request (`npm run jobs -- trigger <job> --at <time>`).
 * - `scheduled` (the Vercel Cron route, called at the slot's time): the slot gets its run
 *   unless the ledger already has it, whether or not the job was seen before.
 */
export type ScheduleMode = "catch-up" | "scheduled";

type Row = { job_id: string; cron_slot: string; id: string };

/**
 * Advances the ledger and creates the runs of the slots it advanced past, in one
 * statement. Safe under concurrency: the upsert takes the ledger row's lock, and its
 * `where ledger.last_slot < excluded.last_slot` is re-checked against the row as the
 * first caller left it, so of two drains racing for a slot exactly one advances the
 * ledger and creates the run; the other's upsert returns nothing. job_runs_job_slot_key
 * still guards the run itself (a slot created earlier by `trigger --at`, say).
 */
export async function scheduleSlots(
  slots: SlotToSchedule[],
  mode: ScheduleMode,
  executor: Executor = db,
): Promise<ScheduledSlot[]> {
  if (slots.length === 0) return [];
  const rows = (await executor.execute(sql`
    with due (job_id, slot, max_attempts) as (
      -- Arrays go in as text[] (the shared client passes values through untyped), cast here.
      select * from unnest(
        ${sql.param(slots.map((s) => s.jobId))}::text[],
        ${sql.param(slots.map((s) => s.slot.toISOString()))}::text[]::timestamptz[],
        ${sql.param(slots.map((s) => String(s.maxAttempts)))}::text[]::int[])
    ),
    -- Read before the upsert below (one snapshot): which jobs had a starting point.
    known as (
      select ledger.job_id from job_cron_ledger ledger join due using (job_id)
    ),
    advanced as (
      insert into job_cron_ledger as ledger (job_id, last_slot)
      select job_id, slot from due
      on conflict (job_id) do update set last_slot = excluded.last_slot, updated_at = now()
        where ledger.last_slot < excluded.last_slot
      returning ledger.job_id, ledger.last_slot
    )
    insert into job_runs (job_id, cron_slot, max_attempts, run_at)
    select advanced.job_id, advanced.last_slot, due.max_attempts, advanced.last_slot
    from advanced join due using (job_id)
    where ${sql.raw(mode === "scheduled" ? "true" : "false")} or advanced.job_id in (select job_id from known)
    on conflict do nothing
    returning job_id, cron_slot, id
  `)) as unknown as Row[];
  return rows.map((row) => ({ jobId: row.job_id, slot: new Date(row.cron_slot), runId: row.id }));
}

/** A slot created on request (`trigger`): the ledger moves forward to it, never back. */
export async function recordSlot(executor: Executor, jobId: string, slot: Date) {
  await executor.execute(sql`
    insert into job_cron_ledger as ledger (job_id, last_slot)
    values (${jobId}, ${slot.toISOString()}::timestamptz)
    on conflict (job_id) do update set last_slot = excluded.last_slot, updated_at = now()
      where ledger.last_slot < excluded.last_slot
  `);
}

/** The database's clock: cron slots are due by it, like every other due time. */
export async function databaseNow(executor: Executor = db): Promise<Date> {
  const [row] = (await executor.execute(sql`select (extract(epoch from now()) * 1000)::float8 as ms`)) as unknown as {
    ms: number;
  }[];
  return new Date(Number(row.ms));
}
