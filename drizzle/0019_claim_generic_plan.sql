-- The flow-control claim of 0013, cheaper per run, same rules and results:
-- * Its statements run once per probe with new values each time, so PostgreSQL planned
--   each of them again on every call (a custom plan). Their one good plan does not depend
--   on the values (walk job_runs_due_idx in (run_at, id) order and stop at the first row;
--   enable_sort = off rules out fetching and sorting every due run), so a generic plan,
--   made once per connection, is forced.
-- * Each claimed run is returned as it is taken (RETURN NEXT), from the row the probe read
--   and the token the UPDATE set, instead of being read again with its event at the end.
--   claimed_at is v_now: slotline_now() is constant within the claim's transaction.
CREATE OR REPLACE FUNCTION slotline_claim_limited_runs(p_worker_id text, p_flow jsonb, p_lease_ms integer, p_limit integer)
RETURNS TABLE (
  id uuid, claim_token uuid, job_id text, event_id text, cron_slot timestamptz, attempt integer,
  max_attempts integer, parent_run_id uuid, error jsonb, first_claim boolean, claimed_at timestamptz,
  event_name text, event_data jsonb, event_ts timestamptz
)
LANGUAGE plpgsql VOLATILE
SET enable_sort = off
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
  v_now timestamptz := slotline_now();
  v_job_ids text[] := ARRAY(SELECT jsonb_object_keys(p_flow));
  v_blocked_jobs text[] := '{}';
  v_blocked_keys text[] := '{}';
  v_after_run_at timestamptz := '-infinity';
  v_after_id uuid := '00000000-0000-0000-0000-000000000000';
  v_probes integer := 0;
  v_taken integer := 0;
  v_candidate record;
  v_flow jsonb;
  v_limit jsonb;
  v_index integer;
  v_key text;
  v_tag text;
  v_ok boolean;
  v_count integer;
  v_throttle jsonb;
  v_throttle_key text;
  v_period interval;
  v_spacing interval;
  v_free_at timestamptz;
BEGIN
  WHILE v_taken < p_limit AND v_probes < p_limit * 4 + 16 LOOP
    v_probes := v_probes + 1;
    SELECT run.id, run.job_id, run.run_at, run.started_at IS NULL AS first_claim, run.event_id, run.cron_slot,
           run.attempt, run.max_attempts, run.parent_run_id, run.error, event.name, event.data, event.ts
      INTO v_candidate
      FROM job_runs AS run
      LEFT JOIN job_events AS event ON event.id = run.event_id
     WHERE run.status IN ('queued', 'sleeping')
       AND run.run_at <= v_now
       AND (run.run_at, run.id) > (v_after_run_at, v_after_id)
       AND run.job_id = ANY (v_job_ids)
       AND run.job_id <> ALL (v_blocked_jobs)
     ORDER BY run.run_at, run.id
     LIMIT 1
     FOR UPDATE OF run SKIP LOCKED;
    EXIT WHEN NOT FOUND;
    v_after_run_at := v_candidate.run_at;
    v_after_id := v_candidate.id;
    v_flow := p_flow -> v_candidate.job_id;
    v_ok := true;

    -- Concurrency: fewer than `limit` running runs of the job with this key.
    v_index := 0;
    FOR v_limit IN SELECT value FROM jsonb_array_elements(coalesce(v_flow -> 'concurrency', '[]'::jsonb)) LOOP
      v_index := v_index + 1;
      v_key := CASE WHEN v_limit ? 'path'
                    THEN coalesce(v_candidate.data #>> (v_limit ->> 'path')::text[], '') ELSE '' END;
      v_tag := v_candidate.job_id || chr(31) || 'concurrency' || v_index || chr(31) || v_key;
      IF v_tag = ANY (v_blocked_keys) OR NOT pg_try_advisory_xact_lock(hashtextextended(v_tag, 0)) THEN
        v_ok := false;
      ELSE
        SELECT count(*) INTO v_count
          FROM job_runs AS running
          LEFT JOIN job_events AS event ON event.id = running.event_id
         WHERE running.job_id = v_candidate.job_id AND running.status = 'running'
           AND (NOT v_limit ? 'path' OR coalesce(event.data #>> (v_limit ->> 'path')::text[], '') = v_key);
        v_ok := v_count < (v_limit ->> 'limit')::integer;
      END IF;
      IF NOT v_ok THEN
        v_blocked_keys := v_blocked_keys || v_tag;
        IF NOT v_limit ? 'path' THEN v_blocked_jobs := v_blocked_jobs || v_candidate.job_id; END IF;
        EXIT;
      END IF;
    END LOOP;
    CONTINUE WHEN NOT v_ok;

    -- Throttle: fewer than `limit` first starts of the job with this key in the last period.
    v_throttle := v_flow -> 'throttle';
    IF v_throttle IS NOT NULL AND v_candidate.first_claim THEN
      v_throttle_key := CASE WHEN v_throttle ? 'path'
                             THEN coalesce(v_candidate.data #>> (v_throttle ->> 'path')::text[], '') ELSE '' END;
      v_tag := v_candidate.job_id || chr(31) || 'throttle' || chr(31) || v_throttle_key;
      IF v_tag = ANY (v_blocked_keys) OR NOT pg_try_advisory_xact_lock(hashtextextended(v_tag, 0)) THEN
        v_blocked_keys := v_blocked_keys || v_tag;
        CONTINUE;
      END IF;
      v_period := (v_throttle ->> 'periodMs')::integer * interval '1 millisecond';
      DELETE FROM job_throttle_starts AS start
       WHERE start.job_id = v_candidate.job_id AND start.throttle_key = v_throttle_key
         AND start.started_at <= v_now - v_period;
      SELECT count(*) INTO v_count
        FROM job_throttle_starts AS start
       WHERE start.job_id = v_candidate.job_id AND start.throttle_key = v_throttle_key;
      IF v_count >= (v_throttle ->> 'limit')::integer THEN
        -- The window frees when its oldest start leaves it; then one start per spacing.
        SELECT min(start.started_at) + v_period INTO v_free_at
          FROM job_throttle_starts AS start
         WHERE start.job_id = v_candidate.job_id AND start.throttle_key = v_throttle_key;
        v_spacing := v_period / (v_throttle ->> 'limit')::integer;
        UPDATE job_runs AS run
           SET run_at = v_free_at + (waiting.position - 1) * v_spacing, updated_at = now()
          FROM (
            SELECT locked.id, row_number() OVER (ORDER BY locked.run_at, locked.id) AS position
              FROM (
                SELECT held.id, held.run_at
                  FROM job_runs AS held
                  LEFT JOIN job_events AS event ON event.id = held.event_id
                 WHERE held.job_id = v_candidate.job_id
                   AND held.status IN ('queued', 'sleeping') AND held.run_at <= v_now AND held.started_at IS NULL
                   AND (NOT v_throttle ? 'path'
                        OR coalesce(event.data #>> (v_throttle ->> 'path')::text[], '') = v_throttle_key)
                   FOR UPDATE OF held SKIP LOCKED
              ) AS locked
          ) AS waiting
         WHERE run.id = waiting.id;
        v_blocked_keys := v_blocked_keys || v_tag;
        IF NOT v_throttle ? 'path' THEN v_blocked_jobs := v_blocked_jobs || v_candidate.job_id; END IF;
        CONTINUE;
      END IF;
      INSERT INTO job_throttle_starts (job_id, throttle_key, started_at)
      VALUES (v_candidate.job_id, v_throttle_key, v_now);
    END IF;

    UPDATE job_runs AS run
       SET status = 'running',
           locked_by = p_worker_id,
           claim_token = gen_random_uuid(),
           lease_expires_at = v_now + p_lease_ms * interval '1 millisecond',
           started_at = coalesce(run.started_at, now()),
           updated_at = now()
     WHERE run.id = v_candidate.id
    RETURNING run.claim_token INTO claim_token;
    v_taken := v_taken + 1;
    id := v_candidate.id;
    job_id := v_candidate.job_id;
    event_id := v_candidate.event_id;
    cron_slot := v_candidate.cron_slot;
    attempt := v_candidate.attempt;
    max_attempts := v_candidate.max_attempts;
    parent_run_id := v_candidate.parent_run_id;
    error := v_candidate.error;
    first_claim := v_candidate.first_claim;
    claimed_at := v_now;
    event_name := v_candidate.name;
    event_data := v_candidate.data;
    event_ts := v_candidate.ts;
    RETURN NEXT;
  END LOOP;
END;
$$;
