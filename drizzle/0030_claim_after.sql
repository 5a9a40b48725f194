-- The claim of 0020, able to start its walk of job_runs_due_idx after a given (run_at, id)
-- instead of at the oldest entry, and returning each run's run_at (in microseconds) so the caller can say
-- where the next claim starts (lib/jobs/postgres/due-walk.ts). Every run a claim takes
-- leaves its entry in the index until a vacuum, and while any snapshot older than the claim
-- is open (autovacuum's ANALYZE, a backup, a report) no scan may mark it dead, so a claim from
-- the oldest entry visits every run claimed since that snapshot was taken. With no position
-- given, it walks from the oldest entry as before.
DROP FUNCTION slotline_claim_due_runs(text, text[], integer, integer);--> statement-breakpoint
CREATE FUNCTION slotline_claim_due_runs(
  p_worker_id text, p_job_ids text[], p_lease_ms integer, p_limit integer,
  p_after_run_at_us bigint DEFAULT NULL, p_after_id uuid DEFAULT NULL
)
RETURNS TABLE (
  id uuid, claim_token uuid, job_id text, event_id text, cron_slot timestamptz, attempt integer,
  max_attempts integer, parent_run_id uuid, error jsonb, first_claim boolean, claimed_at timestamptz,
  event_name text, event_data jsonb, event_ts timestamptz, run_at_us bigint
)
LANGUAGE sql VOLATILE
SET enable_sort = off
AS $$
  WITH clock AS MATERIALIZED (SELECT slotline_now() AS now),
  due AS (
    SELECT due_run.id, due_run.run_at, due_run.started_at IS NULL AS first_claim
    FROM job_runs AS due_run
    WHERE due_run.status IN ('queued', 'sleeping')
      -- One row comparison, always present, so it is the start of the index scan: from the
      -- given position, or from the very first entry.
      AND (due_run.run_at, due_run.id) > (
        coalesce('epoch'::timestamptz + p_after_run_at_us * interval '1 microsecond', '-infinity'),
        coalesce(p_after_id, '00000000-0000-0000-0000-000000000000')
      )
      AND due_run.run_at <= (SELECT clock.now FROM clock)
      AND due_run.job_id = ANY (p_job_ids)
    ORDER BY due_run.run_at, due_run.id
    LIMIT p_limit
    -- Safe under concurrency: FOR UPDATE locks the chosen rows until this statement
    -- commits and SKIP LOCKED makes other claimers pass over them instead of waiting,
    -- so two claimers never take the same run. A row changed since our snapshot is
    -- re-checked against the WHERE clause before it is locked (READ COMMITTED), so a
    -- run just cancelled elsewhere is not picked up.
    FOR UPDATE SKIP LOCKED
  ),
  claimed AS (
    UPDATE job_runs AS run
    SET status = 'running',
        locked_by = p_worker_id,
        -- The fencing token: every later write to this run must present it.
        claim_token = gen_random_uuid(),
        lease_expires_at = clock.now + p_lease_ms * interval '1 millisecond',
        started_at = coalesce(run.started_at, now()),
        updated_at = now()
    FROM due, clock
    WHERE run.id = due.id
    RETURNING run.id, run.claim_token, run.job_id, run.event_id, run.cron_slot, run.attempt,
              run.max_attempts, run.parent_run_id, run.error, due.first_claim, clock.now AS claimed_at,
              due.run_at
  )
  SELECT claimed.id, claimed.claim_token, claimed.job_id, claimed.event_id, claimed.cron_slot,
         claimed.attempt, claimed.max_attempts, claimed.parent_run_id, claimed.error, claimed.first_claim,
         claimed.claimed_at, event.name, event.data, event.ts,
         -- In microseconds since 1970 (a JavaScript Date keeps milliseconds), for the next claim's start.
         (extract(epoch FROM claimed.run_at) * 1000000)::bigint
  FROM claimed
  LEFT JOIN job_events AS event ON event.id = claimed.event_id
$$;
