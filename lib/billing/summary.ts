import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { clinicOwners, type SummaryRecipient } from "./owners";
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

/** One clinic's month to compute. */
export type SummaryRequest = { clinicId: string; period: string };

/** The requests as a table, `request(clinic_id, period)`, to join on. */
export const requestTable = (requests: SummaryRequest[]) => sql`
  unnest(${sql.param(requests.map((request) => request.clinicId))}::uuid[],
         ${sql.param(requests.map((request) => request.period))}::text[]) as request(clinic_id, period)`;

/** Refuses a malformed period or clinic id, naming it, before any query. */
function checkRequest({ clinicId, period }: SummaryRequest) {
  parsePeriod(period);
  if (!UUID.test(clinicId)) throw new BillingInputError(`Clinic id "${clinicId}" is not a uuid`);
}

/**
 * The instant of the local midnight that starts `period` ("YYYY-MM", as SQL text) shifted
 * by `months`, in `zone`: a month with a clock change is then 743 or 745 hours long.
 */
const localMonthStart = (period: SQL, zone: SQL, months: -1 | 0 | 1) =>
  sql`((${period} || '-01')::timestamp + ${sql.raw(String(months))} * interval '1 month') at time zone ${zone}`;

/**
 * When a clinic's month ends (its last local midnight, as a UTC instant), the id of its
 * stored summary when there is one (the monthly close stores most months before their
 * clinics' runs start), and its owners: what a clinic's billing run needs, in one query.
 */
export async function billingPeriodStatus(
  clinicId: string,
  period: string,
): Promise<{ periodEnd: Date; summaryId: string | null; owners: SummaryRecipient[] }> {
  checkRequest({ clinicId, period });
  const [row] = await db.execute<{ period_end: unknown; summary_id: string | null; owners: SummaryRecipient[] }>(sql`
    select ${localMonthStart(sql`${period}::text`, sql`c.time_zone`, 1)} as period_end,
           s.id as summary_id,
           ${clinicOwners(sql`c.id`)} as owners
    from clinics c
    left join billing_summaries s on s.clinic_id = c.id and s.period = ${period}
    where c.id = ${clinicId}
  `);
  if (!row) throw new BillingInputError(`Clinic ${clinicId} does not exist`);
  return { periodEnd: asDate(row.period_end), summaryId: row.summary_id, owners: row.owners };
}

/**
 * One clinic's month, computed set-based in PostgreSQL (see computeMonthlySummaries).
 */
export async function computeMonthlySummary(clinicId: string, period: string): Promise<MonthlySummary> {
  const [summary] = await computeMonthlySummaries([{ clinicId, period }]);
  if (!summary) throw new BillingInputError(`Clinic ${clinicId} does not exist`);
  return summary;
}

/**
 * Many clinics' months at once, in one statement whatever their number, so the monthly
 * close costs one index range scan per clinic rather than three round trips
 * (lib/billing/store.ts stores them in batches). A booking belongs to the month its
 * start falls in, in the clinic's zone (localMonthStart): a booking at 00:30 local on
 * the 1st is counted in the new month. One
 * statement reads one snapshot, even while bookings are being written. Clinics that do
 * not exist are left out.
 */
export async function computeMonthlySummaries(requests: SummaryRequest[]): Promise<MonthlySummary[]> {
  requests.forEach(checkRequest);
  if (requests.length === 0) return [];
  const month = sql`request.period`;
  const zone = sql`c.time_zone`;

  const rows = await db.execute<Record<string, unknown>>(sql`
    with bounds as (
      -- Each request's month before, month and month after, as local midnights.
      select c.id as clinic_id, request.period, c.time_zone, c.currency,
             ${localMonthStart(month, zone, -1)} as previous_start,
             ${localMonthStart(month, zone, 0)} as period_start,
             ${localMonthStart(month, zone, 1)} as period_end
      from ${requestTable(requests)}
      join clinics c on c.id = request.clinic_id
    ), booked as materialized (
      -- Both months' bookings, read once (an index-only scan of bookings_clinic_starts_idx).
      select bounds.clinic_id, bounds.period, b.starts_at >= bounds.period_start as this_month,
             b.status, b.price_minor, b.service_id, b.client_id
      from bounds
      join bookings b
        on b.clinic_id = bounds.clinic_id and b.starts_at >= bounds.previous_start and b.starts_at < bounds.period_end
    ), figures as (
      select clinic_id, period,
             count(*) filter (where this_month)                                                 as bookings_total,
             count(*) filter (where this_month and status = 'completed')                        as completed,
             count(*) filter (where this_month and status = 'cancelled')                        as cancelled,
             count(*) filter (where this_month and status = 'no_show')                          as no_shows,
             count(*) filter (where this_month and status = 'confirmed')                        as confirmed,
             coalesce(sum(price_minor) filter (where this_month and status = 'completed'), 0)   as revenue_minor,
             count(*) filter (where not this_month)                                             as previous_bookings_total,
             count(*) filter (where not this_month and status = 'completed')                    as previous_completed,
             coalesce(sum(price_minor) filter (where not this_month and status = 'completed'), 0) as previous_revenue_minor
      from booked group by clinic_id, period
    ), counted as (
      -- Cancelled bookings are not treatments given; revenue counts completed ones only.
      select clinic_id, period, service_id, count(*)::int as count,
             coalesce(sum(price_minor) filter (where status = 'completed'), 0)::int as revenue_minor
      from booked where this_month and status <> 'cancelled'
      group by clinic_id, period, service_id
    ), ranked as (
      -- Each of the few services looked up by primary key (LATERAL), never every clinic's.
      select counted.*, s.name,
             row_number() over (partition by counted.clinic_id, counted.period
                                order by counted.count desc, counted.revenue_minor desc, s.name, s.id) as place
      from counted
      cross join lateral (select id, name from services where services.id = counted.service_id) s
    ), top as (
      select clinic_id, period,
             jsonb_agg(jsonb_build_object('serviceId', service_id, 'name', name, 'count', count,
                                          'revenueMinor', revenue_minor) order by place) as treatments
      from ranked where place <= 5 group by clinic_id, period
    ), seen as (
      select distinct booked.clinic_id, booked.period, bounds.period_start, booked.client_id
      from booked join bounds using (clinic_id, period)
      where booked.this_month and booked.status <> 'cancelled'
    ), clients as (
      -- A client is new in the month their first (not cancelled) booking at the clinic falls
      -- in: nothing before it (bookings_clinic_client_idx). Everyone else seen is returning.
      select clinic_id, period, count(*) filter (where not earlier) as new_clients, count(*) filter (where earlier) as returning_clients
      from (
        select seen.clinic_id, seen.period, exists (
                 select from bookings b
                 where b.clinic_id = seen.clinic_id and b.client_id = seen.client_id
                   and b.starts_at < seen.period_start and b.status <> 'cancelled'
               ) as earlier
        from seen
      ) as judged
      group by clinic_id, period
    )
    select bounds.clinic_id, bounds.period, bounds.time_zone, bounds.currency, bounds.period_start, bounds.period_end,
           coalesce(figures.bookings_total, 0)::int          as bookings_total,
           coalesce(figures.completed, 0)::int               as completed,
           coalesce(figures.cancelled, 0)::int               as cancelled,
           coalesce(figures.no_shows, 0)::int                as no_shows,
           coalesce(figures.confirmed, 0)::int               as confirmed,
           coalesce(figures.revenue_minor, 0)::int           as revenue_minor,
           coalesce(figures.previous_bookings_total, 0)::int as previous_bookings_total,
           coalesce(figures.previous_completed, 0)::int      as previous_completed,
           coalesce(figures.previous_revenue_minor, 0)::int  as previous_revenue_minor,
           coalesce(clients.new_clients, 0)::int             as new_clients,
           coalesce(clients.returning_clients, 0)::int       as returning_clients,
           coalesce(top.treatments, '[]'::jsonb)             as top_treatments
    from bounds
    left join figures using (clinic_id, period)
    left join top using (clinic_id, period)
    left join clients using (clinic_id, period)
  `);

  return rows.map((row): MonthlySummary => {
    const completed = Number(row.completed);
    const noShows = Number(row.no_shows);
    return {
      clinicId: String(row.clinic_id),
      period: String(row.period),
      periodStart: asDate(row.period_start),
      periodEnd: asDate(row.period_end),
      timeZone: String(row.time_zone),
      currency: String(row.currency),
      bookingsTotal: Number(row.bookings_total),
      completed,
      cancelled: Number(row.cancelled),
      noShows,
      confirmed: Number(row.confirmed),
      revenueMinor: Number(row.revenue_minor),
      noShowRate: completed + noShows === 0 ? null : noShows / (completed + noShows),
      newClients: Number(row.new_clients),
      returningClients: Number(row.returning_clients),
      topTreatments: row.top_treatments as TopTreatment[],
      previous: {
        bookingsTotal: Number(row.previous_bookings_total),
        revenueMinor: Number(row.previous_revenue_minor),
        completed: Number(row.previous_completed),
      },
    };
  });
}
