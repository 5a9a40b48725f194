CREATE TABLE "job_cron_ledger" (
	"job_id" text PRIMARY KEY NOT NULL,
	"last_slot" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "email_deliveries_prunable_idx" ON "email_deliveries" USING btree ("created_at") WHERE "email_deliveries"."idempotency_key" not like 'billing-summary:%';--> statement-breakpoint
CREATE INDEX "email_outbox_prunable_idx" ON "email_outbox" USING btree ("created_at") WHERE "email_outbox"."idempotency_key" not like 'billing-summary:%';--> statement-breakpoint
CREATE INDEX "job_events_created_idx" ON "job_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "job_runs_event_idx" ON "job_runs" USING btree ("event_id") WHERE "job_runs"."event_id" is not null;--> statement-breakpoint
CREATE INDEX "job_runs_parent_idx" ON "job_runs" USING btree ("parent_run_id") WHERE "job_runs"."parent_run_id" is not null;--> statement-breakpoint
CREATE INDEX "job_runs_status_created_idx" ON "job_runs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "job_steps_started_brin" ON "job_steps" USING brin ("started_at");--> statement-breakpoint
-- A deployment upgrading to the ledger resumes catch-up from the latest slot it ran
-- (replays and onFailure runs carry a parent and do not count).
INSERT INTO "job_cron_ledger" ("job_id", "last_slot")
SELECT "job_id", max("cron_slot") FROM "job_runs"
WHERE "cron_slot" IS NOT NULL AND "parent_run_id" IS NULL
GROUP BY "job_id";
