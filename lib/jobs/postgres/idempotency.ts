import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { evaluateEventExpression } from "../flow-control";
import type { JobList } from "../registry";

/** Inngest keeps an idempotency key for 24 hours; so does the Postgres driver. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;

type NewRun = { jobId: string; eventId: string };
type IncomingEvent = { id: string; data?: Record<string, unknown> };

/**
 * A job's `idempotency`, on Postgres: of the runs about to be created, those whose job
 * has an idempotency expression get its value over their event as `idempotency_key`,
 * and a run whose job already has a run with that key from the last 24 hours (or an
 * earlier one in this batch) is dropped: its event starts nothing, as on Inngest.
 *
 * Two senders with the same key at once: each takes a transaction-scoped advisory lock
 * on (job, key) before it checks, so the second waits until the first commits and then
 * sees its run. The check reads job_runs_idempotency_idx (job, key, created_at).
 */
export async function applyIdempotency<R extends NewRun>(
  tx: Executor,
  rows: R[],
  events: IncomingEvent[],
  jobs: JobList,
): Promise<(R & { idempotencyKey?: string })[]> {
  const expressions = new Map(
    jobs.flatMap((job) => (job.options.idempotency ? [[job.options.id, job.options.idempotency]] : [])),
  );
  if (!rows.some((row) => expressions.has(row.jobId))) return rows;
  const dataOf = await eventData(tx, events);
  const seen = new Set<string>();
  const kept: (R & { idempotencyKey?: string })[] = [];
  for (const row of rows) {
    const expression = expressions.get(row.jobId);
    const key = expression ? evaluateEventExpression(expression, { data: dataOf.get(row.eventId) }) : null;
    if (key === null) {
      kept.push(row);
      continue;
    }
    const lockName = JSON.stringify([row.jobId, key]);
    if (seen.has(lockName)) continue;
    seen.add(lockName);
    // Two statements: the check needs a snapshot taken after the lock was granted.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${lockName}, 0))`);
    const [existing] = (await tx.execute(sql`
      select exists (
        select 1 from job_runs
        where job_id = ${row.jobId} and idempotency_key = ${key}
          and created_at > now() - make_interval(hours => ${IDEMPOTENCY_WINDOW_HOURS})
      ) as taken
    `)) as unknown as { taken: boolean }[];
    if (!existing.taken) kept.push({ ...row, idempotencyKey: key });
  }
  return kept;
}

/** The events' payloads: given by sendEvent, read back for events adopted from the outbox. */
async function eventData(tx: Executor, events: IncomingEvent[]) {
  const data = new Map(events.flatMap((event) => (event.data ? [[event.id, event.data]] : [])));
  const missing = events.filter((event) => !event.data).map((event) => event.id);
  if (missing.length > 0) {
    const rows = (await tx.execute(sql`
      select id, data from job_events where id = any(${sql.param(missing)}::text[])
    `)) as unknown as { id: string; data: Record<string, unknown> }[];
    for (const row of rows) data.set(row.id, row.data);
  }
  return data;
}
