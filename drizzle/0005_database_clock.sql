-- The job engine's one clock. Due times, leases, sleeps and backoff are all computed
-- and compared in SQL with slotline_now(), never with an app server's clock, so a
-- client whose clock is off cannot take a live lease or wake a run early.
-- job_clock is empty in production (slotline_now() = now()); tests insert its one row
-- to move the engine's time by an offset, or to hold it still at frozen_at
-- (lib/jobs/postgres/clock.ts).
CREATE TABLE "job_clock" (
	"offset_ms" bigint DEFAULT 0 NOT NULL,
	"frozen_at" timestamptz,
	"singleton" boolean PRIMARY KEY DEFAULT true CHECK ("singleton")
);--> statement-breakpoint
CREATE FUNCTION slotline_now() RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    (SELECT coalesce(frozen_at, now() + offset_ms * interval '1 millisecond') FROM job_clock),
    now())
$$;
