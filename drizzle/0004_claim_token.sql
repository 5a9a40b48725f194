DROP INDEX "job_runs_due_idx";--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "claim_token" uuid;--> statement-breakpoint
CREATE INDEX "job_runs_due_idx" ON "job_runs" USING btree ("run_at","id") WHERE "job_runs"."status" in ('queued', 'sleeping');