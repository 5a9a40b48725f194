-- The monthly summary (lib/billing/summary.ts) reads a clinic's bookings of two months
-- and its clients' earlier bookings. With the columns it needs in the indexes, those are
-- index-only scans: a clinic's bookings lie on as many heap pages as it has bookings
-- (they arrive interleaved with every other clinic's), which made a 10,000-clinic month
-- close read millions of pages. Same keys as before, so every other query is unchanged.
-- drizzle-orm cannot declare INCLUDE; lib/db/schema.ts names these indexes.
DROP INDEX IF EXISTS "bookings_clinic_starts_idx";--> statement-breakpoint
CREATE INDEX "bookings_clinic_starts_idx" ON "bookings" USING btree ("clinic_id","starts_at") INCLUDE ("status","price_minor","service_id","client_id");--> statement-breakpoint
DROP INDEX IF EXISTS "bookings_client_idx";--> statement-breakpoint
CREATE INDEX "bookings_client_idx" ON "bookings" USING btree ("client_id") INCLUDE ("clinic_id","starts_at","status");
