-- Every claim and every completion of a run changes its status, so each writes a new entry
-- into every index of job_runs: index inserts were close to half of the server's time in a
-- drain. Two go. The unique key of (job, event) now leads with event_id and is no longer
-- partial (a replay's third column is NULL, so replays never collide), which lets it serve
-- the lookups of an event's runs that job_runs_event_idx served; the few running runs are
-- found on (status, created_at) instead of job_runs_lease_idx. The same runs are unique as before.
CREATE UNIQUE INDEX "job_runs_event_key" ON "job_runs" USING btree ("event_id","job_id",("parent_run_id" is null or null));--> statement-breakpoint
DROP INDEX "job_runs_job_event_key";--> statement-breakpoint
DROP INDEX "job_runs_lease_idx";--> statement-breakpoint
DROP INDEX "job_runs_event_idx";
