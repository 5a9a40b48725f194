import "server-only";
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";
import { db } from "@/lib/db/client";
import { billingSummaries, bookings, practitioners, type BillingSummary, type Clinic } from "@/lib/db/schema";
import { shiftPeriod } from "./period";

export const REPORT_MONTHS = 12;

/** The last `REPORT_MONTHS` months that have ended in the clinic's zone, oldest first. */
export function reportPeriods(timeZone: string, now = new Date()): string[] {
  const current = localDateOf(now, timeZone).slice(0, 7);
  return Array.from({ length: REPORT_MONTHS }, (_, i) => shiftPeriod(current, i - REPORT_MONTHS));
}

export type ReportMonth = { period: string; summary: BillingSummary | null };

export type PractitionerFigures = {
  practitionerId: string;
  name: string;
  bookings: number;
  completed: number;
  noShows: number;
  cancelled: number;
  revenueMinor: number;
};

/**
 * What /dashboard/reports shows: each of the last twelve months with its stored summary
 * (null for a month the monthly job has not summarised, e.g. before the clinic joined),
 * and each practitioner's figures over the same months, read from the bookings.
 * Every query is scoped by the clinic's id.
 */
export async function loadReport(clinic: Pick<Clinic, "id" | "timeZone">, now = new Date()) {
  const periods = reportPeriods(clinic.timeZone, now);
  const from = wallClockToInstant(`${periods[0]}-01`, 0, clinic.timeZone);
  const until = wallClockToInstant(`${shiftPeriod(periods[periods.length - 1], 1)}-01`, 0, clinic.timeZone);
  const [stored, perPractitioner] = await Promise.all([
    db
      .select()
      .from(billingSummaries)
      .where(and(eq(billingSummaries.clinicId, clinic.id), inArray(billingSummaries.period, periods))),
    practitionerFigures(clinic.id, from, until),
  ]);
  const byPeriod = new Map(stored.map((summary) => [summary.period, summary]));
  const months: ReportMonth[] = periods.map((period) => ({ period, summary: byPeriod.get(period) ?? null }));
  return { months, practitioners: perPractitioner, from, until };
}

// Revenue counts completed appointments only, as the monthly summaries do.
function practitionerFigures(clinicId: string, from: Date, until: Date): Promise<PractitionerFigures[]> {
  const count = (status: string) => sql<number>`(count(*) filter (where ${bookings.status} = ${status}))::int`;
  return db
    .select({
      practitionerId: practitioners.id,
      name: practitioners.name,
      bookings: sql<number>`count(*)::int`,
      completed: count("completed"),
      noShows: count("no_show"),
      cancelled: count("cancelled"),
      revenueMinor: sql<number>`(coalesce(sum(${bookings.priceMinor}) filter (where ${bookings.status} = 'completed'), 0))::int`,
    })
    .from(bookings)
    .innerJoin(practitioners, eq(practitioners.id, bookings.practitionerId))
    .where(and(eq(bookings.clinicId, clinicId), gte(bookings.startsAt, from), lt(bookings.startsAt, until)))
    .groupBy(practitioners.id, practitioners.name)
    .orderBy(asc(practitioners.name));
}
