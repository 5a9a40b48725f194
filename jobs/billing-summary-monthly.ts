import { defineJob } from "@/lib/jobs/define";
import { listActiveClinics } from "@/lib/billing/notify";
import { periodEndingAt } from "@/lib/billing/period";

/**
 * On the 1st of each month, asks for one billing summary per active clinic. The month
 * is read from the run's scheduled time (the cron event's `ts`), never from the wall
 * clock, so a late, retried or replayed run picks the same month, and the event id
 * `billing-summary:<clinic>:<YYYY-MM>` makes a second request for it a no-op.
 */
export const billingSummaryMonthly = defineJob(
  {
    id: "billing-summary-monthly",
    name: "Monthly billing summaries (fan-out)",
    triggers: [{ cron: "TZ=Europe/London 0 6 1 * *" }],
  },
  async ({ event, step }) => {
    const clinics = await step.run("list-active-clinics", () => listActiveClinics());
    const scheduledAt = new Date(event.ts);
    const requests = clinics.map((clinic) => {
      const period = periodEndingAt(scheduledAt, clinic.timeZone);
      return {
        name: "billing/summary.requested" as const,
        id: `billing-summary:${clinic.id}:${period}`,
        data: { clinicId: clinic.id, period },
      };
    });
    if (requests.length > 0) await step.sendEvent("request-summaries", requests);
    return { requested: requests.length };
  },
);
