import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { BillingInputError, parsePeriod } from "./period";

export type TopTreatment = { serviceId: string; name: string; count: number; revenueMinor: number };
export type MonthFigures = { bookingsTotal: number; revenueMinor: number; completed: number };

export type MonthlySummary = {
  clinicId: string;
  period: string;
  periodStart: Date;
  periodEnd: Date;
  timeZone: string;
  currency: string;
  bookingsTotal: number;
  completed: number;
  cancelled: number;
  noShows: number;
  confirmed: number;
  revenueMinor: number;
  /** no_shows / (completed + no_shows); null when nothing was due. */
  noShowRate: number | null;
  newClients: number;
  returningClients: number;
  topTreatments: TopTreatment[];
  previous: MonthFigures;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

/** A clinic's month as UTC instants: its first and last local midnights. */
export async function billingPeriodBounds(
  clinicId: string,
  period: string,
): Promise<{ periodStart: Date; periodEnd: Date; timeZone: string }> {
  const { year, month } = parsePeriod(period);
  if (!UUID.test(clinicId)) throw new BillingInputError(`Clinic id "${clinicId}" is not a uuid`);
  const localMonthStart = `${year}-${String(month).padStart(2, "0")}-01 00:00:00`;
  const [row] = await db.execute<{ period_start: unknown; period_end: unknown; time_zone: string }>(sql`
    select c.time_zone,
           (${localMonthStart}::timestamp)                      at time zone c.time_zone as period_start,
           (${localMonthStart}::timestamp + interval '1 month') at time zone c.time_zone as period_end
    from clinics c where c.id = ${clinicId}
  `);
  if (!row) throw new BillingInputError(`Clinic ${clinicId} does not exist`);
  return { periodStart: asDate(row.period_start), periodEnd: asDate(row.period_end), timeZone: row.time_zone };
}

/**
 * One clinic's month, computed set-based in PostgreSQL. A booking belongs to the
 * month its start falls in, in the clinic's zone: the bounds are local midnights
 * (`timestamp AT TIME ZONE zone`), so a month with a clock change is 743 or 745
 * hours long and a booking at 00:30 local on the 1st is counted in the new month.
 * The three queries run in one read-only REPEATABLE READ transaction so they read
 * one snapshot even while bookings are being written.
 */
export async function computeMonthlySummary(clinicId: string, period: string): Promise<MonthlySummary> {
  const { year, month } = parsePeriod(period);
  if (!UUID.test(clinicId)) throw new BillingInputError(`Clinic id "${clinicId}" is not a uuid`);
  const localMonthStart = `${year}-${String(month).padStart(2, "0")}-01 00:00:00`;

  return db.transaction(
    async (tx) => {
      // Figures for this month and the one before, in one pass over both months' bookings.
      const [figures] = await tx.execute<Record<string, unknown>>(sql`
        with bounds as (
          select c.id as clinic_id, c.time_zone, c.currency,
                 (${localMonthStart}::timestamp - interval '1 month') at time zone c.time_zone as previous_start,
                 (${localMonthStart}::timestamp)                      at time zone c.time_zone as period_start,
                 (${localMonthStart}::timestamp + interval '1 month') at time zone c.time_zone as period_end
          from clinics c
          where c.id = ${clinicId}
        )
        select bounds.time_zone, bounds.currency, bounds.period_start, bounds.period_end,
               count(b.id) filter (where b.starts_at >= bounds.period_start)::int                               as bookings_total,
               count(b.id) filter (where b.starts_at >= bounds.period_start and b.status = 'completed')::int    as completed,
               count(b.id) filter (where b.starts_at >= bounds.period_start and b.status = 'cancelled')::int    as cancelled,
               count(b.id) filter (where b.starts_at >= bounds.period_start and b.status = 'no_show')::int      as no_shows,
               count(b.id) filter (where b.starts_at >= bounds.period_start and b.status = 'confirmed')::int    as confirmed,
               coalesce(sum(b.price_minor) filter (where b.starts_at >= bounds.period_start and b.status = 'completed'), 0)::int as revenue_minor,
               count(b.id) filter (where b.starts_at < bounds.period_start)::int                                as previous_bookings_total,
               count(b.id) filter (where b.starts_at < bounds.period_start and b.status = 'completed')::int     as previous_completed,
               coalesce(sum(b.price_minor) filter (where b.starts_at < bounds.period_start and b.status = 'completed'), 0)::int as previous_revenue_minor
        from bounds
        left join bookings b
          on b.clinic_id = bounds.clinic_id and b.starts_at >= bounds.previous_start and b.starts_at < bounds.period_end
        group by bounds.time_zone, bounds.currency, bounds.period_start, bounds.period_end
      `);
      if (!figures) throw new BillingInputError(`Clinic ${clinicId} does not exist`);
      const periodStart = asDate(figures.period_start);
      const periodEnd = asDate(figures.period_end);
      // Drizzle's postgres.js setup sends timestamps as text: pass ISO strings, cast in SQL.
      const start = sql`${periodStart.toISOString()}::timestamptz`;
      const end = sql`${periodEnd.toISOString()}::timestamptz`;

      // Cancelled bookings are not treatments given; revenue counts completed ones only.
      // Counted per service first, then each of the few services looked up by primary key
      // (LATERAL): a plain join let PostgreSQL hash every clinic's services for each clinic.
      const topTreatments = await tx.execute<{
        service_id: string;
        name: string;
        count: number;
        revenue_minor: number;
      }>(sql`
        with counted as (
          select b.service_id, count(*)::int as count,
                 coalesce(sum(b.price_minor) filter (where b.status = 'completed'), 0)::int as revenue_minor
          from bookings b
          where b.clinic_id = ${clinicId} and b.starts_at >= ${start} and b.starts_at < ${end} and b.status <> 'cancelled'
          group by b.service_id
        )
        select s.id as service_id, s.name, counted.count, counted.revenue_minor
        from counted
        cross join lateral (select id, name from services where services.id = counted.service_id) s
        order by counted.count desc, counted.revenue_minor desc, s.name
        limit 5
      `);

      // A client is new in the month their first (not cancelled) booking at the clinic
      // falls in; everyone else seen this month is returning.
      const [clients] = await tx.execute<{ new_clients: number; returning_clients: number }>(sql`
        with seen as (
          select distinct client_id from bookings
          where clinic_id = ${clinicId} and starts_at >= ${start} and starts_at < ${end} and status <> 'cancelled'
        ), firsts as (
          select b.client_id, min(b.starts_at) as first_starts_at
          from bookings b join seen using (client_id)
          where b.clinic_id = ${clinicId} and b.status <> 'cancelled'
          group by b.client_id
        )
        select count(*) filter (where first_starts_at >= ${start})::int as new_clients,
               count(*) filter (where first_starts_at < ${start})::int  as returning_clients
        from firsts
      `);

      const completed = Number(figures.completed);
      const noShows = Number(figures.no_shows);
      return {
        clinicId,
        period,
        periodStart,
        periodEnd,
        timeZone: String(figures.time_zone),
        currency: String(figures.currency),
        bookingsTotal: Number(figures.bookings_total),
        completed,
        cancelled: Number(figures.cancelled),
        noShows,
        confirmed: Number(figures.confirmed),
        revenueMinor: Number(figures.revenue_minor),
        noShowRate: completed + noShows === 0 ? null : noShows / (completed + noShows),
        newClients: clients.new_clients,
        returningClients: clients.returning_clients,
        topTreatments: topTreatments.map((row) => ({
          serviceId: row.service_id,
          name: row.name,
          count: row.count,
          revenueMinor: row.revenue_minor,
        })),
        previous: {
          bookingsTotal: Number(figures.previous_bookings_total),
          revenueMinor: Number(figures.previous_revenue_minor),
          completed: Number(figures.previous_completed),
        },
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
