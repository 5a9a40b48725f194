import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";

/**
 * The month-close fixture, written straight with generate_series (minutes, not hours):
 * per clinic one owner, 4 practitioners, 5 services, 40 clients, `perClinic` bookings
 * in the month being closed (70% completed, 10% each cancelled, no-show, still
 * confirmed) and 20 in the month before, so half the clients are returning. Ids are
 * md5-derived, so every row can name its clinic's rows without a lookup.
 */
export async function buildMonthCloseFixture(options: {
  clinics: number;
  perClinic: number;
  /** The local (Europe/London) first day of the month being closed, "YYYY-MM-01". */
  monthStart: string;
  log: (line: string) => void;
}) {
  const { clinics, perClinic, monthStart } = options;
  // md5 with the version and variant nibbles set: a valid v4 UUID, as event payloads require.
  const id = (kind: string, ...parts: unknown[]) =>
    sql.raw(
      `overlay(overlay(md5('mc-${kind}-' || ${parts.join(" || '-' || ")}) placing '4' from 13) placing '8' from 17)::uuid`,
    );
  await db.execute(sql`
    insert into clinics (id, name, slug, time_zone, currency)
    select ${id("clinic", "c")}, 'Clinic ' || c, 'mc-clinic-' || c, 'Europe/London', 'GBP'
    from generate_series(1, ${clinics}) c
  `);
  await db.execute(sql`
    insert into users (id, name, email, email_verified) select 'mc-owner-' || c, 'Owner ' || c, 'owner' || c || '@bench.example', true
    from generate_series(1, ${clinics}) c
  `);
  await db.execute(sql`
    insert into memberships (clinic_id, user_id, role)
    select ${id("clinic", "c")}, 'mc-owner-' || c, 'owner' from generate_series(1, ${clinics}) c
  `);
  await db.execute(sql`
    insert into practitioners (id, clinic_id, name)
    select ${id("prac", "c", "k")}, ${id("clinic", "c")}, 'Practitioner ' || k
    from generate_series(1, ${clinics}) c, generate_series(0, 3) k
  `);
  await db.execute(sql`
    insert into services (id, clinic_id, name, duration_minutes, price_minor)
    select ${id("svc", "c", "k")}, ${id("clinic", "c")}, 'Treatment ' || k, 30, 3000 + k * 500
    from generate_series(1, ${clinics}) c, generate_series(0, 4) k
  `);
  await db.execute(sql`
    insert into clients (id, clinic_id, name, email)
    select ${id("client", "c", "k")}, ${id("clinic", "c")}, 'Client ' || k, 'client' || k || '@bench.example'
    from generate_series(1, ${clinics}) c, generate_series(0, 39) k
  `);
  const start = sql`(${monthStart}::timestamp at time zone 'Europe/London')`;
  const chunk = 1_000;
  for (let first = 1; first <= clinics; first += chunk) {
    const last = Math.min(clinics, first + chunk - 1);
    // Practitioner j % 4 sees one booking every 14 hours: nothing overlaps (bookings_no_overlap).
    await db.execute(sql`
      insert into bookings (clinic_id, practitioner_id, service_id, client_id, starts_at, ends_at, status,
                            price_minor, currency)
      select ${id("clinic", "c")}, ${id("prac", "c", "(j % 4)")}, ${id("svc", "c", "(j % 5)")},
             ${id("client", "c", "(j % 40)")},
             ${start} + (j / 4) * interval '14 hours',
             ${start} + (j / 4) * interval '14 hours' + interval '30 minutes',
             (case j % 10 when 7 then 'cancelled' when 8 then 'no_show' when 9 then 'confirmed' else 'completed' end)::booking_status,
             3000 + (j % 5) * 500, 'GBP'
      from generate_series(${first}::int, ${last}::int) c, generate_series(0, ${perClinic - 1}) j
      union all
      select ${id("clinic", "c")}, ${id("prac", "c", "(j % 4)")}, ${id("svc", "c", "(j % 5)")},
             ${id("client", "c", "(j % 40)")},
             ${start} - interval '1 month' + j * interval '30 hours',
             ${start} - interval '1 month' + j * interval '30 hours' + interval '30 minutes',
             'completed', 3000 + (j % 5) * 500, 'GBP'
      from generate_series(${first}::int, ${last}::int) c, generate_series(0, 19) j
    `);
    options.log(`  bookings for clinics ${first}-${last} written`);
  }
  await db.execute(sql`vacuum analyze`);
}
