-- Every claim and every completion of a run changes its indexed status, so each writes
-- a new entry into every index of job_runs. The index on created_at alone cost about a
-- tenth of the server's time per run in a 20,000-run drain; the listings and counts that
-- read it now read (status, created_at) a status at a time.
DROP INDEX "job_runs_created_idx";--> statement-breakpoint
-- The advisor read every step of 30 days (seconds with three million steps). These hold
-- only the rare rows it looks for: failed attempts, sleeps, steps of 10 s or more.
CREATE INDEX "job_steps_failed_idx" ON "job_steps" USING btree ("started_at","run_id") WHERE "job_steps"."status" = 'failed';--> statement-breakpoint
CREATE INDEX "job_steps_sleep_idx" ON "job_steps" USING btree ("started_at") WHERE "job_steps"."op" = 'sleep';--> statement-breakpoint
CREATE INDEX "job_steps_long_idx" ON "job_steps" USING btree ("started_at") WHERE "job_steps"."op" = 'run' and "job_steps"."finished_at" - "job_steps"."started_at" >= interval '10 seconds';