import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { billingSummaries, type BillingSummary } from "@/lib/db/schema";
import { BillingPeriodNotEndedError } from "./period";
import { computeMonthlySummaries, computeMonthlySummary, requestTable, type SummaryRequest } from "./summary";

/**
 * Computes and stores a clinic's month once. The unique (clinic_id, period) index
 * makes this safe under retries and concurrent runs: the first insert wins, every
 * later call gets the stored row back (figures are frozen when first stored).
 */
export async function storeMonthlySummary(
  clinicId: string,
  period: string,
  now = new Date(),
): Promise<{ summary: BillingSummary; created: boolean }> {
  const existing = await findSummary(clinicId, period);
  if (existing) return { summary: existing, created: false };

  const { timeZone, ...row } = await computeMonthlySummary(clinicId, period);
  if (row.periodEnd > now) {
    // Storing a month that is still running would freeze partial figures forever.
    // Retryable: it is only ever "not yet" (the job sleeps until the end, and may wake early).
    throw new BillingPeriodNotEndedError(
      `Billing period ${period} has not ended yet in ${timeZone} (it ends ${row.periodEnd.toISOString()})`,
      row.periodEnd,
    );
  }
  const inserted = await db
    .insert(billingSummaries)
    .values(row)
    .onConflictDoNothing({ target: [billingSummaries.clinicId, billingSummaries.period] })
    .returning();
  if (inserted[0]) return { summary: inserted[0], created: true };
  const raced = await findSummary(clinicId, period);
  if (!raced) throw new Error(`billing_summaries row for ${clinicId} ${period} vanished after a conflict`);
  return { summary: raced, created: false };
}

/**
 * Stores many clinics' months at once: the monthly close computes them set-based, a
 * batch per step, and each clinic's own run then finds its month stored. Months already
 * stored are left as they are, and months still running in a clinic's zone are left to
 * that clinic's run, which waits for the month to end.
 */
export async function storeMonthlySummaries(
  requests: SummaryRequest[],
  now = new Date(),
): Promise<{ stored: number; running: number }> {
  if (requests.length === 0) return { stored: 0, running: 0 };
  const done = await db.execute<{ clinic_id: string; period: string }>(sql`
    select s.clinic_id, s.period from billing_summaries s
    join ${requestTable(requests)} on s.clinic_id = request.clinic_id and s.period = request.period
  `);
  const stored = new Set(done.map((row) => `${row.clinic_id}:${row.period}`));
  const computed = await computeMonthlySummaries(
    requests.filter((request) => !stored.has(`${request.clinicId}:${request.period}`)),
  );
  // The rows carry timeZone too, which billing_summaries does not store: Drizzle inserts the table's columns only.
  const ended = computed.filter((summary) => summary.periodEnd <= now);
  const inserted =
    ended.length === 0
      ? []
      : await db
          .insert(billingSummaries)
          .values(ended)
          .onConflictDoNothing({ target: [billingSummaries.clinicId, billingSummaries.period] })
          .returning({ id: billingSummaries.id });
  return { stored: inserted.length, running: computed.length - ended.length };
}

export async function findSummary(clinicId: string, period: string) {
  const [row] = await db
    .select()
    .from(billingSummaries)
    .where(and(eq(billingSummaries.clinicId, clinicId), eq(billingSummaries.period, period)));
  return row;
}

/** A clinic's stored summaries, newest month first (for /dashboard/billing). */
export async function listSummaries(clinicId: string, limit = 24) {
  return db
    .select()
    .from(billingSummaries)
    .where(eq(billingSummaries.clinicId, clinicId))
    .orderBy(desc(billingSummaries.period))
    .limit(limit);
}
