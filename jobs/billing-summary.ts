import { defineJob } from "@/lib/jobs/define";
import { emailThrottle } from "@/lib/email/throttle";
import { emailBillingSummary, listClinicOwners } from "@/lib/billing/notify";
import { storeMonthlySummary } from "@/lib/billing/store";
import { billingPeriodStatus } from "@/lib/billing/summary";

/**
 * Computes a clinic's month, stores it once (unique per clinic and month), then emails
 * each owner once. Each step is checkpointed: a retry after the third owner's email
 * failed re-sends only that one, and the idempotency keys cover the rest. One run per
 * clinic at a time (a replay never races the original); with Resend configured, email
 * starts are throttled (lib/email/throttle.ts).
 */
export const billingSummary = defineJob(
  {
    id: "billing-summary",
    name: "Billing summary for one clinic and month",
    triggers: [{ event: "billing/summary.requested" }],
    concurrency: { key: "event.data.clinicId", limit: 1 },
    throttle: emailThrottle(),
  },
  async ({ event, step }) => {
    const { clinicId, period } = event.data;

    // West of about UTC-6 the request arrives before the month has ended there.
    const bounds = await step.run("check-month-ended", async () => {
      const { periodEnd, summaryId } = await billingPeriodStatus(clinicId, period);
      return { periodEnd: periodEnd.toISOString(), ended: periodEnd.getTime() <= Date.now(), summaryId };
    });
    if (!bounds.ended) await step.sleepUntil("wait-for-month-end", bounds.periodEnd);

    const stored = await step.run("store-summary", async () => {
      // Stored already (by the monthly fan-out, usually): a stored month is frozen, nothing to read again.
      // (A run checkpointed before summaryId was returned has none, and looks it up as it always did.)
      if (bounds.summaryId) return { summaryId: bounds.summaryId, created: false };
      const { summary, created } = await storeMonthlySummary(clinicId, period);
      return { summaryId: summary.id, created };
    });

    const owners = await step.run("list-owners", () => listClinicOwners(clinicId));
    for (const owner of owners) {
      await step.run(`email-owner-${owner.userId}`, () => emailBillingSummary(stored.summaryId, owner));
    }
    return { summaryId: stored.summaryId, created: stored.created, emailed: owners.length };
  },
);
