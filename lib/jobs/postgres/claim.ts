import "server-only";
import { sql } from "drizzle-orm";
import { db, type Executor } from "@/lib/db/client";
import type { JobError } from "@/lib/db/schema";

/** A run this worker now holds under a lease, with the event that caused it. */
export type ClaimedRun = {
  id: string;
  jobId: string;
  eventId: string | null;
  cronSlot: Date | null;
  attempt: number;
  maxAttempts: number;
  parentRunId: string | null;
  /** `running` means the lease of a crashed or timed-out worker expired and we took over. */
  previousStatus: "queued" | "sleeping" | "running";
  error: JobError | null;
  event: { id: string; name: string; data: Record<string, unknown>; ts: Date } | null;
};

type ClaimRow = {
  id: string;
  job_id: string;
  event_id: string | null;
  cron_slot: string | null;
  attempt: number;
  max_attempts: number;
  parent_run_id: string | null;
  previous_status: ClaimedRun["previousStatus"];
  error: JobError | null;
  event_name: string | null;
  event_data: Record<string, unknown> | null;
  event_ts: string | null;
};

export const LEASE_EXPIRED_ERROR = "LeaseExpiredError";

/**
 * Takes up to `limit` due runs of the given jobs and leases them to `workerId` until
 * `now + leaseMs`. Timestamps go in as ISO text: Drizzle sets the shared postgres.js
 * client to pass dates through untouched, so raw SQL casts explicitly.
 */
export async function claimDueRuns(options: {
  workerId: string;
  jobIds: string[];
  now: Date;
  leaseMs: number;
  limit?: number;
  executor?: Executor;
}) {
  const { workerId, jobIds, now, leaseMs, limit = 1, executor = db } = options;
  if (jobIds.length === 0) return [];
  const at = now.toISOString();
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  const rows = (await executor.execute(sql`
    with due as (
      -- Due work: queued or sleeping runs whose time has come, and running runs whose
      -- lease ran out because their worker crashed or outlived its time limit.
      select id, status as previous_status
      from job_runs
      where job_id = any(${sql.param(jobIds)}::text[])
        and ((status in ('queued', 'sleeping') and run_at <= ${at}::timestamptz)
          or (status = 'running' and lease_expires_at <= ${at}::timestamptz))
      order by run_at, id
      limit ${limit}
      -- Safe under concurrency: FOR UPDATE locks the chosen rows until this statement's
      -- transaction ends, and SKIP LOCKED makes other claimers pass over them instead of
      -- waiting, so two drainers never take the same run. A row changed since our
      -- snapshot is re-checked against the WHERE clause before it is locked (READ
      -- COMMITTED), so a run just completed or cancelled elsewhere is not picked up.
      for update skip locked
    ),
    claimed as (
      update job_runs as run
      set status = 'running',
          locked_by = ${workerId},
          lease_expires_at = ${leaseUntil}::timestamptz,
          -- Taking over an expired lease counts as a failed attempt, so a run that kills
          -- its worker every time ends as failed instead of looping forever.
          attempt = run.attempt + case when due.previous_status = 'running' then 1 else 0 end,
          error = case when due.previous_status = 'running'
            then jsonb_build_object('name', ${LEASE_EXPIRED_ERROR}::text, 'message',
              'attempt ' || (run.attempt + 1) || ' stopped without finishing: its worker crashed or timed out (' || coalesce(run.locked_by, '?') || ')')
            else run.error end,
          started_at = coalesce(run.started_at, now()),
          updated_at = now()
      from due
      where run.id = due.id
      returning run.id, run.job_id, run.event_id, run.cron_slot, run.attempt, run.max_attempts,
                run.parent_run_id, run.error, due.previous_status
    )
    select claimed.*, event.name as event_name, event.data as event_data, event.ts as event_ts
    from claimed
    left join job_events as event on event.id = claimed.event_id
  `)) as unknown as ClaimRow[];
  return rows.map(toClaimedRun);
}

function toClaimedRun(row: ClaimRow): ClaimedRun {
  return {
    id: row.id,
    jobId: row.job_id,
    eventId: row.event_id,
    cronSlot: row.cron_slot ? new Date(row.cron_slot) : null,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    parentRunId: row.parent_run_id,
    previousStatus: row.previous_status,
    error: row.error,
    event:
      row.event_id && row.event_name
        ? { id: row.event_id, name: row.event_name, data: row.event_data ?? {}, ts: new Date(row.event_ts as string) }
        : null,
  };
}

/** How much work is due at `now` for these jobs: what a drain leaves behind. */
export async function countDueRuns(jobIds: string[], now: Date, executor: Executor = db): Promise<number> {
  if (jobIds.length === 0) return 0;
  const at = now.toISOString();
  const [row] = (await executor.execute(sql`
    select count(*)::int as due from job_runs
    where job_id = any(${sql.param(jobIds)}::text[])
      and ((status in ('queued', 'sleeping') and run_at <= ${at}::timestamptz)
        or (status = 'running' and lease_expires_at <= ${at}::timestamptz))
  `)) as unknown as { due: number }[];
  return row.due;
}
