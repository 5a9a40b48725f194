-- A treatment's buffer: time kept free after each of its appointments. A booking records the
-- end of the time it holds (blocked_until, null for none), and the no-double-booking constraint
-- compares those ranges, so PostgreSQL keeps the buffer free under any race, as it keeps the
-- appointment itself. coalesce keeps the expression immutable and every older booking as it was.
ALTER TABLE "bookings" ADD COLUMN "blocked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "buffer_minutes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_blocked_until_check" CHECK ("bookings"."blocked_until" is null or "bookings"."blocked_until" >= "bookings"."ends_at");--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_buffer_check" CHECK ("services"."buffer_minutes" between 0 and 240);--> statement-breakpoint
ALTER TABLE "bookings" DROP CONSTRAINT "bookings_no_overlap";--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap"
  EXCLUDE USING gist ("practitioner_id" WITH =, tstzrange("starts_at", coalesce("blocked_until", "ends_at"), '[)') WITH &&)
  WHERE ("status" <> 'cancelled');