-- The monthly summary (lib/billing/summary.ts) tells new clients from returning ones by
-- whether a client has an earlier (not cancelled) booking at the clinic. Keyed by clinic
-- first, one clinic's 40 such probes land on the same few index pages; keyed by client
-- (bookings_client_idx), each was a random page of a large index, which made the
-- probes the costliest part of a 10,000-clinic month close. drizzle-orm cannot declare
-- INCLUDE; lib/db/schema.ts names the index.
CREATE INDEX "bookings_clinic_client_idx" ON "bookings" USING btree ("clinic_id","client_id","starts_at") INCLUDE ("status");--> statement-breakpoint
-- Now only the foreign key's checks (deleting a client) use bookings_client_idx: its key alone will do.
DROP INDEX "bookings_client_idx";--> statement-breakpoint
CREATE INDEX "bookings_client_idx" ON "bookings" USING btree ("client_id");
