import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { readPath } from "../flow-control";
import { resolveJobs, type JobList } from "../registry";

type StoredEvent = { id: string; name: string; data: Record<string, unknown> };
export type CancelledRun = { id: string; jobId: string; cancelledByEventId: string };

/**
 * A job's `cancelOn`, on Postgres: runs in the same transaction that stores each new
 * event (sendEvent), so the cancellation commits with the event or not at all. Every
 * queued, sleeping or running run of a job listening for this event, whose own event
 * has the same value at `match`, becomes `cancelled` with the reason. A running run's
 * worker finds out at its next fenced write (the next step or its lease renewal) and
 * stops there, as when an operator cancels it.
 *
 * Runs are found through the cancelling value: `job_events.data @> {...}` uses the GIN
 * index job_events_data_idx, so the cost does not grow with the number of sleeping runs.
 */
export async function cancelRunsOnEvents(tx: Executor, events: StoredEvent[], jobs?: JobList) {
  const cancelled: CancelledRun[] = [];
  for (const event of events) {
    for (const job of resolveJobs(jobs)) {
      const triggerNames = job.options.triggers.flatMap((trigger) => ("event" in trigger ? [trigger.event] : []));
      for (const cancel of job.options.cancelOn ?? []) {
        if (cancel.event !== event.name || triggerNames.length === 0) continue;
        const value = readPath(event, cancel.match);
        if (value === undefined || value === null) continue;
        const rows = (await tx.execute(sql`
          update job_runs
          set status = 'cancelled', locked_by = null, claim_token = null, lease_expires_at = null,
              finished_at = now(), updated_at = now(),
              cancelled_by_event_id = ${event.id},
              cancel_reason = ${`cancelOn: ${event.name} ${event.id} had the same ${cancel.match} (${String(value)})`}
          where job_id = ${job.options.id}
            and status in ('queued', 'sleeping', 'running')
            and event_id in (
              select id from job_events
              where name = any(${sql.param(triggerNames)}::text[])
                and data @> ${JSON.stringify(containing(cancel.match, value))}::jsonb
            )
          returning id, job_id
        `)) as unknown as { id: string; job_id: string }[];
        cancelled.push(...rows.map((row) => ({ id: row.id, jobId: row.job_id, cancelledByEventId: event.id })));
      }
    }
  }
  return cancelled;
}

/** "data.bookingId" and "b-1" → { bookingId: "b-1" }: the containment the data column is matched by. */
function containing(match: string, value: unknown) {
  let nested = value;
  for (const key of match.split(".").slice(1).reverse()) nested = { [key]: nested };
  return nested;
}
