import "server-only";
import { createElement } from "react";
import { asc, eq } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { billingSummaries, clinics, EMAIL_KEY_KEPT_FOR_GOOD } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { sendEmail, type SentEmail } from "@/lib/email/send";
import { BillingSummaryEmail } from "@/lib/email/templates/billing-summary";
import type { SummaryRecipient } from "./owners";
import { BillingInputError, formatPeriod } from "./period";

/** The clinics the monthly run bills: active ones only, with the zone their month is read in. */
export async function listActiveClinics() {
  return db
    .select({ id: clinics.id, timeZone: clinics.timeZone })
    .from(clinics)
    .where(eq(clinics.active, true))
    .orderBy(asc(clinics.createdAt), asc(clinics.id));
}

/**
 * One owner's copy of a stored summary; the key makes it once per clinic, month and
 * owner, and retention keeps keys with this prefix for good (a month can be rerun any time).
 */
export async function emailBillingSummary(summaryId: string, owner: SummaryRecipient): Promise<SentEmail> {
  const [row] = await db
    .select({ summary: billingSummaries, clinicName: clinics.name })
    .from(billingSummaries)
    .innerJoin(clinics, eq(clinics.id, billingSummaries.clinicId))
    .where(eq(billingSummaries.id, summaryId));
  if (!row) throw new BillingInputError(`Billing summary ${summaryId} does not exist`);
  const { summary, clinicName } = row;
  return sendEmail({
    to: owner.email,
    subject: `${clinicName}: your summary for ${formatPeriod(summary.period)}`,
    idempotencyKey: `${EMAIL_KEY_KEPT_FOR_GOOD}${summary.clinicId}:${summary.period}:${owner.userId}`,
    react: createElement(BillingSummaryEmail, {
      ownerName: owner.name,
      clinicName,
      summary,
      dashboardUrl: new URL("/dashboard/billing", env().APP_URL).toString(),
    }),
  });
}
