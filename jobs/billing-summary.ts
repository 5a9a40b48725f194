import { defineJob } from "@/lib/jobs/define";
import { emailThrottle } from "@/lib/email/throttle";
import { emailBillingSummary } from "@/lib/billing/notify";
import { listClinicOwners } from "@/lib/billing/owners";
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

    // West of about UTC-6 the request arrives before the month has ended there. When it has ended (nearly
    // always: the monthly fan-out stores the months that have), one step finds everything the emails need;
    // a run that waits lists the owners when it wakes, so a month's owners are those at its end.
    const bounds = await step.run("check-month-ended", async () => {
      const { periodEnd, summaryId, owners } = await billingPeriodStatus(clinicId, period);
      const ended = periodEnd.getTime() <= Date.now();
      return { periodEnd: periodEnd.toISOString(), ended, summaryId, owners: ended ? owners : null };
    });
    if (!bounds.ended) await step.sleepUntil("wait-for-month-end", bounds.periodEnd);

    // A run checkpointed by an earlier version has neither summaryId nor owners in that
    // step's output, and takes these steps as it always did.
    const stored = bounds.summaryId
      ? { summaryId: bounds.summaryId, created: false }
      : await step.run("store-summary", async () => {
          const { summary, created } = await storeMonthlySummary(clinicId, period);
          return { summaryId: summary.id, created };
        });
    const owners = bounds.owners ?? (await step.run("list-owners", () => listClinicOwners(clinicId)));
    for (const owner of owners) {
      await step.run(`email-owner-${owner.userId}`, () => emailBillingSummary(stored.summaryId, owner));
    }
    return { summaryId: stored.summaryId, created: stored.created, emailed: owners.length };
  },
);
