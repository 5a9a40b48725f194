import "server-only";
import type { Executor } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { resolveJobs, type JobList } from "../registry";
import type { StoredEvent } from "../driver";
import { DEFAULT_RETRIES } from "../types";
import { applyIdempotency } from "./idempotency";

export type Subscription = { eventName: string; jobId: string; maxAttempts: number };

/** Which job runs each event name creates: one row per (event trigger, job). */
export function subscriptions(jobs?: JobList): Subscription[] {
  return resolveJobs(jobs).flatMap((job) =>
    job.options.triggers.flatMap((trigger) =>
      "event" in trigger
        ? [
            {
              eventName: trigger.event,
              jobId: job.options.id,
              maxAttempts: (job.options.retries ?? DEFAULT_RETRIES) + 1,
            },
          ]
        : [],
    ),
  );
}

/**
 * One run per (job, event) for every job subscribed to each event (the relay's adoption
 * of Inngest-mode events; sendEvent does the same inside its one statement). The unique
 * index job_runs_event_key makes this idempotent under retries and concurrent
 * senders: a second insert for the same pair does nothing. run_at defaults to
 * slotline_now(), the engine's one clock.
 */
export async function enqueueRunsForEvents(tx: Executor, events: StoredEvent[], jobs?: JobList) {
  const subscribed = subscriptions(jobs);
  const candidates = events.flatMap((event) =>
    subscribed
      .filter((subscription) => subscription.eventName === event.name)
      .map(({ jobId, maxAttempts }) => ({ jobId, eventId: event.id, maxAttempts })),
  );
  const rows = await applyIdempotency(tx, candidates, events, resolveJobs(jobs));
  if (rows.length === 0) return [];
  return tx
    .insert(jobRuns)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: jobRuns.id, jobId: jobRuns.jobId, eventId: jobRuns.eventId });
}
