import { defineJob } from "@/lib/jobs/define";
import { listActiveClinics } from "@/lib/billing/notify";
import { periodEndingAt } from "@/lib/billing/period";
import { storeMonthlySummaries } from "@/lib/billing/store";
import { rootMessage } from "@/lib/db/postgres-errors";

/** Clinics whose months one step computes and stores together (three statements a batch, whatever its size). */
export const SUMMARY_BATCH = 500;

/**
 * On the 1st of each month, asks for one billing summary per active clinic. The month
 * is read from the run's scheduled time (the cron event's `ts`), never from the wall
 * clock, so a late, retried or replayed run picks the same month, and the event id
 * `billing-summary:<clinic>:<YYYY-MM>` makes a second request for it a no-op.
 *
 * A batch of clinics at a time, it first computes and stores the months that have
 * ended, set-based, then asks for the batch: each clinic's run finds its month stored
 * and only emails the owners. A batch that fails is not retried here: its clinics' own
 * runs compute their months one by one, each with its own retries and its own error.
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
    // Each batch's clinics are asked for as soon as their months are stored, so their runs
    // (on the other lanes, or other Inngest workers) overlap the batches still to compute.
    let stored = 0;
    for (let first = 0; first < requests.length; first += SUMMARY_BATCH) {
      const batch = requests.slice(first, first + SUMMARY_BATCH);
      const index = first / SUMMARY_BATCH;
      const result = await step.run(`store-summaries-${index}`, () =>
        storeMonthlySummaries(batch.map((request) => request.data)).catch((error: unknown) => ({
          stored: 0,
          failed: batch.length,
          error: rootMessage(error),
        })),
      );
      stored += result.stored;
      await step.sendEvent(`request-summaries-${index}`, batch);
    }
    return { requested: requests.length, stored };
  },
);
