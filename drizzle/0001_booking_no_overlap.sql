-- No double booking, enforced by PostgreSQL itself: two active bookings of one
-- practitioner can never overlap, whatever the application code does. Concurrent
-- inserts for the same time conflict on this constraint and exactly one commits.
-- '[)' ranges let one appointment end exactly when the next begins.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap"
  EXCLUDE USING gist ("practitioner_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" <> 'cancelled');
