CREATE TYPE "public"."email_delivery_status" AS ENUM('sending', 'sent');--> statement-breakpoint
CREATE TABLE "email_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"status" "email_delivery_status" DEFAULT 'sending' NOT NULL,
	"resend_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "email_deliveries_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "email_deliveries_sent_check" CHECK ("email_deliveries"."status" = 'sending' or ("email_deliveries"."resend_id" is not null and "email_deliveries"."sent_at" is not null))
);
