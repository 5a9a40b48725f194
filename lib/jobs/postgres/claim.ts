import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import type { JobError } from "@/lib/db/schema";
import type { ClaimScope } from "./flow-limits";
import type { ClaimFrom, DueWalk } from "./due-walk";
import { arrayParam, runStatement } from "./statement";

/** A run this worker now holds under a lease, with the event that caused it. */
export type ClaimedRun = {
  id: string;
  /** This claim's fencing token: every write to the run while held must present it. */
  claimToken: string;
  jobId: string;
  eventId: string | null;
  cronSlot: Date | null;
  attempt: number;
  maxAttempts: number;
  parentRunId: string | null;
  /** True on the run's very first claim: it can have no checkpoints yet, so none are read. */
  firstClaim: boolean;
  /** Its due time in µs since 1970, when claimed in run_at order (claimDueRuns): where a DueWalk goes on. */
  runAtUs?: number;
  /** The database clock when the claim was made (slotline_now()). */
  claimedAt: Date;
  error: JobError | null;
  event: { id: string; name: string; data: Record<string, unknown>; ts: Date } | null;
};

type ClaimRow = {
  id: string;
  claim_token: string;
  job_id: string;
  event_id: string | null;
  cron_slot: string | null;
  attempt: number;
  max_attempts: number;
  parent_run_id: string | null;
  first_claim: boolean;
  claimed_at: string;
  error: JobError | null;
  event_name: string | null;
  event_data: Record<string, unknown> | null;
  event_ts: string | null;
  run_at_us?: string;
};

export const LEASE_EXPIRED_ERROR = "LeaseExpiredError";

/**
 * Claims commit without waiting for their WAL flush (`synchronous_commit` off for the
 * claim's own transaction; `set_config(..., true)` ends with it). Losing a claim in a
 * database crash loses nothing: its runs are left queued instead of running under a lease,
 * and either way they run again after the crash. Anything the run then writes (a
 * checkpoint, its completion) does wait for the flush, which carries the claim with it,
 * since WAL is written in order. It takes one disk flush out of every pickup and every
 * claim a worker's lanes wait on.
 */
const withoutFlushWait = sql`(select set_config('synchronous_commit', 'off', true)) as async_commit`;

/**
 * Takes up to `limit` due runs of the given jobs and leases them for `leaseMs`, each
 * with a fresh fencing token. Jobs without flow control are claimed in one statement:
 * only queued and sleeping runs, walked in run_at order on job_runs_due_idx and cut off
 * at LIMIT, so a claim costs the same with 100 or 100,000 runs due (expired leases come
 * back through reclaimExpiredLeases). Jobs with concurrency or a throttle (a ClaimScope's
 * `limited`) are claimed first, by a function that checks each run against its limits.
 * All times are the database's (slotline_now()).
 */
export async function claimDueRuns(options: {
  workerId: string;
  /** A registry's scope (lib/jobs/postgres/flow-limits.ts), or job ids to claim without limits. */
  scope: ClaimScope | string[];
  leaseMs: number;
  limit?: number;
  /**
   * A caller's transaction to claim in. The claim commits with it, and so the whole
   * transaction commits without waiting for the flush: put nothing in it a crash must not lose.
   */
  executor?: Executor;
  /** A claimer's place in the due index, so a backlog's claims start after its last one (due-walk.ts). */
  walk?: DueWalk;
}) {
  const { workerId, leaseMs, limit = 1, executor, walk } = options;
  const scope = Array.isArray(options.scope) ? { jobIds: options.scope, limited: {} } : options.scope;
  if (limit < 1) return [];
  const limited =
    Object.keys(scope.limited).length > 0 ? await claimLimitedRuns(workerId, scope, leaseMs, limit, executor) : [];
  if (scope.jobIds.length === 0 || limited.length >= limit) return limited;
  const wanted = limit - limited.length;
  // The statement itself is the SQL function slotline_claim_due_runs (drizzle/0007, 0020, now 0030; its plan, 0031).
  const claim: ClaimFrom<ClaimedRun> = async (from, count) => {
    const rows = await runStatement<ClaimRow>(
      sql`
        select claim.* from ${withoutFlushWait},
          slotline_claim_due_runs(${workerId}, ${arrayParam(scope.jobIds)}::text[], ${Math.round(leaseMs)}::int, ${count}::int,
            ${from ? String(from.runAtUs) : null}::bigint, ${from?.id ?? null}::uuid) as claim
      `,
      executor,
    );
    return rows.map(toClaimedRun);
  };
  const runs = walk ? await walk.claim(claim, wanted) : await claim(undefined, wanted);
  return [...limited, ...runs];
}

/** The runs of jobs with flow control, checked one by one (drizzle/0019_claim_generic_plan.sql). */
async function claimLimitedRuns(
  workerId: string,
  scope: ClaimScope,
  leaseMs: number,
  limit: number,
  executor: Executor | undefined,
) {
  const rows = await runStatement<ClaimRow>(
    sql`
      select claim.* from ${withoutFlushWait},
        slotline_claim_limited_runs(${workerId}, ${JSON.stringify(scope.limited)}::jsonb, ${Math.round(leaseMs)}::int, ${limit}::int) as claim
    `,
    executor,
  );
  return rows.map(toClaimedRun);
}

/**
 * Takes up to `limit` due runs of the given events, oldest due first (the kick's own work,
 * before anything else, and the events a NOTIFY named to an idle worker). Same lease and
 * token as claimDueRuns; found through job_runs_event_key, so it costs the same however many
 * claimed runs the due index still holds entries for. The engine's clock is read once per
 * claim (slotline_now() reads job_clock on every call).
 */
export async function claimRunsOfEvents(options: {
  workerId: string;
  jobIds: string[];
  eventIds: string[];
  leaseMs: number;
  /** As claimDueRuns': a worker takes no more than its lanes and prefetch want, however many events were named. */
  limit: number;
}) {
  const { workerId, jobIds, eventIds, leaseMs, limit } = options;
  if (jobIds.length === 0 || eventIds.length === 0 || limit < 1) return [];
  const rows = await runStatement<ClaimRow>(sql`
    with clock as materialized (select slotline_now() as now),
    due as (
      select id, started_at is null as first_claim from job_runs
      where job_id = any(${arrayParam(jobIds)}::text[]) and event_id = any(${arrayParam(eventIds)}::text[])
        and parent_run_id is null and status in ('queued', 'sleeping') and run_at <= (select now from clock)
      order by run_at, id
      limit ${limit}::int
      for update skip locked
    ),
    claimed as (
      update job_runs as run
      set status = 'running', locked_by = ${workerId}, claim_token = gen_random_uuid(),
          lease_expires_at = clock.now + ${Math.round(leaseMs)} * interval '1 millisecond',
          started_at = coalesce(run.started_at, now()), updated_at = now()
      from due, clock
      where run.id = due.id
      returning run.id, run.claim_token, run.job_id, run.event_id, run.cron_slot, run.attempt, run.max_attempts,
                run.parent_run_id, run.error, due.first_claim, clock.now as claimed_at
    )
    select claimed.*, event.name as event_name, event.data as event_data, event.ts as event_ts
    from ${withoutFlushWait}, claimed left join job_events as event on event.id = claimed.event_id
  `);
  return rows.map(toClaimedRun);
}

/**
 * Maintenance, apart from the claim: runs whose worker crashed or outlived its lease go
 * back to the queue, due at once. Taking over an expired lease counts as a failed
 * attempt (the executor fails a run past its last one), so a run that kills its worker
 * every time ends as failed instead of looping forever. Cheap: the few running runs are
 * read on (status, created_at), and at most `limit` are moved per call.
 */
export async function reclaimExpiredLeases(limit = 500): Promise<number> {
  const rows = await runStatement<{ id: string }>(sql`
    with expired as (
      select id from job_runs
      where status = 'running' and lease_expires_at <= (select slotline_now())
      order by lease_expires_at
      limit ${limit}
      for update skip locked
    )
    update job_runs as run
    set status = 'queued',
        run_at = slotline_now(),
        attempt = run.attempt + 1,
        error = jsonb_build_object('name', ${LEASE_EXPIRED_ERROR}::text, 'message',
          'attempt ' || (run.attempt + 1) || ' stopped without finishing: its worker crashed or timed out ('
          || coalesce(run.locked_by, '?') || ')'),
        locked_by = null, claim_token = null, lease_expires_at = null, updated_at = now()
    from expired
    where run.id = expired.id
    returning run.id
  `);
  return rows.length;
}

function toClaimedRun(row: ClaimRow): ClaimedRun {
  return {
    id: row.id,
    claimToken: row.claim_token,
    jobId: row.job_id,
    eventId: row.event_id,
    cronSlot: row.cron_slot ? new Date(row.cron_slot) : null,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    parentRunId: row.parent_run_id,
    firstClaim: row.first_claim,
    runAtUs: row.run_at_us === undefined ? undefined : Number(row.run_at_us),
    claimedAt: new Date(row.claimed_at),
    error: row.error,
    event:
      row.event_id && row.event_name
        ? { id: row.event_id, name: row.event_name, data: row.event_data ?? {}, ts: new Date(row.event_ts as string) }
        : null,
  };
}

/** How much work is due now for these jobs: what a drain leaves behind. */
export async function countDueRuns(jobIds: string[]): Promise<number> {
  if (jobIds.length === 0) return 0;
  const [row] = await runStatement<{ due: number }>(sql`
    select count(*)::int as due from job_runs
    where job_id = any(${arrayParam(jobIds)}::text[])
      and ((status in ('queued', 'sleeping') and run_at <= slotline_now())
        or (status = 'running' and lease_expires_at <= slotline_now()))
  `);
  return row.due;
}

/** Milliseconds until the next queued/sleeping run of these jobs is due or a lease expires. */
export function msUntilNextDue(jobIds: string[]): Promise<number> {
  // The first walks job_runs_due_idx from its oldest entry; the second reads the few running
  // runs, found on (status, created_at).
  return msUntil(sql`least(
    (select min(run_at) from job_runs where status in ('queued', 'sleeping') and job_id = any(${arrayParam(jobIds)}::text[])),
    (select min(lease_expires_at) from job_runs where status = 'running' and job_id = any(${arrayParam(jobIds)}::text[]))
  )`);
}

/**
 * Milliseconds until the next never-started run of these jobs is due: the runs a
 * throttle scheduled ahead, or ones concurrency holds back (0). Retries and sleeps,
 * which have started, are not counted.
 */
export function msUntilNextFirstStart(jobIds: string[]): Promise<number> {
  return msUntil(sql`(
    select min(run_at) from job_runs
    where status = 'queued' and started_at is null and job_id = any(${arrayParam(jobIds)}::text[])
  )`);
}

/** Milliseconds from the engine's clock to `moment` (0 if past, Infinity if null). */
async function msUntil(moment: SQL) {
  const [row] = await runStatement<{ ms: string | null }>(
    sql`select extract(epoch from (${moment} - slotline_now())) * 1000 as ms`,
  );
  return row.ms === null ? Infinity : Math.max(0, Number(row.ms));
}
