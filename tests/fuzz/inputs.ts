import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";

/**
 * What the fuzz tests send in place of each field: too long, control characters,
 * broken UTF-16, wrong types as a form can carry them, and look-alikes of valid values.
 */
export const BAD_VALUES: Record<string, string> = {
  "3,000 characters": "x".repeat(3_000),
  "an email of 3,000 characters": `${"a".repeat(2_988)}@example.com`,
  "200 KB": "y".repeat(200_000),
  "1 MB": "z".repeat(1_000_000),
  NUL: "Ann\u0000Lee",
  "only a NUL": "\u0000",
  "escape and bell": "Ann\u001b[31mLee\u0007",
  DEL: "Ann\u007fLee",
  "C1 control": "Ann\u0085Lee",
  "lone surrogate": "Ann\ud800Lee",
  "NUL after an email": "ann@example.com\u0000",
  "SQL text": "'; drop table bookings; --",
  "JSON object": '{"$ne":null}',
  "a number where text goes": "1e309",
  "negative zero": "-0",
  NaN: "NaN",
  "whitespace only": " \t\n ",
  "a date far off": "9999-12-31T23:59:59Z",
  "a date before the epoch": "0001-01-01T00:00:00Z",
};

/** Valid text a form must accept: accents, other scripts, emoji. */
export const UNICODE_NAME = "Zoë Ørsted 山田 🌿";

/** The rows every form or route could write, in one query (one snapshot, not eleven). */
export async function rowCounts(): Promise<Record<string, number>> {
  const [row] = await db.execute<Record<string, number>>(sql`
    select
      (select count(*)::int from clinics) as clinics,
      (select count(*)::int from users) as users,
      (select count(*)::int from accounts) as accounts,
      (select count(*)::int from sessions) as sessions,
      (select count(*)::int from verifications) as verifications,
      (select md5(string_agg(a.password, ',' order by a.id)) from accounts a) as passwords_digest,
      (select count(*)::int from memberships) as memberships,
      (select count(*)::int from invitations) as invitations,
      (select count(*)::int from invitations where accepted_at is not null or revoked_at is not null) as invitations_settled,
      (select count(*)::int from practitioners) as practitioners,
      (select count(*)::int from working_hours) as working_hours,
      (select count(*)::int from time_off) as time_off,
      (select count(*)::int from services) as services,
      (select count(*)::int from clients) as clients,
      (select count(*)::int from bookings) as bookings,
      (select count(*)::int from bookings where status <> 'confirmed') as bookings_changed,
      (select count(*)::int from job_events) as job_events,
      (select count(*)::int from job_runs) as job_runs,
      (select count(*)::int from job_runs where status <> 'queued') as job_runs_changed,
      (select md5(string_agg(c::text, ',' order by c.id)) from clinics c) as clinics_digest,
      (select md5(string_agg(s::text, ',' order by s.id)) from services s) as services_digest,
      (select md5(string_agg(p::text, ',' order by p.id)) from practitioners p) as practitioners_digest,
      (select md5(string_agg(c::text, ',' order by c.id)) from clients c) as clients_digest
  `);
  return row;
}
