CREATE TABLE "job_drains" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	"budget_ms" integer NOT NULL,
	"processed" integer NOT NULL,
	"remaining" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "cancelled_by_event_id" text;--> statement-breakpoint
CREATE INDEX "job_drains_started_idx" ON "job_drains" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "job_events_data_idx" ON "job_events" USING gin ("data" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "job_runs_idempotency_idx" ON "job_runs" USING btree ("job_id","idempotency_key","created_at") WHERE "job_runs"."idempotency_key" is not null;