import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { events as catalog } from "@/jobs/events";
import type { JobList } from "./registry";
import type { EventInput, EventName } from "./types";
import { db, type Executor } from "@/lib/db/client";
import { activeDriver, type JobsDriver } from "./driver";
import { jobEvents } from "@/lib/db/schema";
import { cancelRunsOnEvents } from "./postgres/cancel-on";
import { notifyPayload } from "./postgres/notified-events";
import { arrayParam, runStatement } from "./postgres/statement";
import { resolveJobs } from "./registry";

export class EventValidationError extends Error {
  override name = "EventValidationError";
  constructor(
    public readonly eventName: string,
    public readonly issues: z.core.$ZodIssue[],
  ) {
    super(`Invalid "${eventName}" event: ${z.prettifyError(new z.ZodError(issues))}`);
  }
}

export type SentEvent = { id: string; name: EventName; created: boolean };

/** Checks names and payloads against the catalog; throws before anything is written. */
export function validateEvents(input: EventInput | EventInput[]) {
  const list = Array.isArray(input) ? input : [input];
  return list.map((event) => {
    const schema = catalog[event.name as EventName];
    if (!schema)
      throw new EventValidationError(String(event.name), [
        { code: "custom", path: ["name"], message: `unknown event "${event.name}"`, input: event.name },
      ]);
    const parsed = schema.safeParse(event.data);
    if (!parsed.success) throw new EventValidationError(event.name, parsed.error.issues);
    return {
      id: event.id ?? randomUUID(),
      name: event.name,
      data: parsed.data as Record<string, unknown>,
      ts: new Date(event.ts ?? Date.now()),
    };
  });
}

/**
 * The one ingress for background work. Events are written to `job_events` inside the
 * caller's transaction when `tx` is given (a transactional outbox): the booking and
 * its `booking/created` event commit together or not at all. An event id that was
 * sent before creates nothing new.
 *
 * One statement, whatever the number of events: it inserts the events, the runs the
 * active driver starts with them (on Postgres, one per subscribed job; on Inngest none:
 * the events wait for the relay) and one NOTIFY, delivered at commit, that wakes
 * `npm run worker` or a relay. Without `tx` that statement is its own transaction.
 */
export async function sendEvent(
  input: EventInput | EventInput[],
  options: {
    tx?: Executor;
    /** Tests and the bench pass their own job list; default: jobs/index.ts. */ jobs?: JobList;
  } = {},
): Promise<SentEvent[]> {
  const validated = validateEvents(input);
  if (validated.length === 0) return [];
  const driver = activeDriver();
  if (needsFlowControl(validated, options.jobs)) return sendWithFlowControl(validated, driver, options);
  const subscribed = driver.subscriptions(options.jobs);
  // Delivered at commit if any event is new: wakes `npm run worker`, naming the events so an
  // idle worker claims their runs by key (lib/jobs/postgres/notified-events.ts), or a relay.
  const payload = notifyPayload(
    driver.name,
    validated.map((event) => event.id),
  );
  const [row] = await runStatement<{ created: string[] }>(
    sql`
      with inserted as (
        insert into job_events (id, name, data, ts, driver)
        select id, name, data, ts, ${driver.name}::job_driver
        from unnest(${arrayParam(validated.map((event) => event.id))}::text[],
                    ${arrayParam(validated.map((event) => event.name))}::text[],
                    ${arrayParam(validated.map((event) => JSON.stringify(event.data)))}::jsonb[],
                    ${arrayParam(validated.map((event) => event.ts.toISOString()))}::timestamptz[])
          as event(id, name, data, ts)
        on conflict (id) do nothing
        returning id, name
      ), runs as (
        insert into job_runs (job_id, event_id, max_attempts)
        select subscription.job_id, inserted.id, subscription.max_attempts
        from inserted
        join unnest(${arrayParam(subscribed.map((s) => s.eventName))}::text[],
                    ${arrayParam(subscribed.map((s) => s.jobId))}::text[],
                    ${arrayParam(subscribed.map((s) => s.maxAttempts))}::int[])
          as subscription(event_name, job_id, max_attempts) on subscription.event_name = inserted.name
        -- job_runs_event_key: a run that exists already is not created twice.
        on conflict do nothing
      )
      select coalesce(array_agg(id), '{}') as created,
             case when count(*) > 0 then pg_notify('slotline_jobs', ${payload}) end as notified
      from inserted
    `,
    options.tx,
  );
  const createdIds = new Set(row.created);
  return validated.map((event) => ({ id: event.id, name: event.name, created: createdIds.has(event.id) }));
}

/**
 * Events that cancel runs (a job's `cancelOn`) or start a job with `idempotency` take
 * a few statements instead of one, still in the caller's transaction: the cancellations
 * first, so an event never cancels the runs it starts, then the runs, each checked
 * against its idempotency key.
 */
async function sendWithFlowControl(
  validated: ReturnType<typeof validateEvents>,
  driver: JobsDriver,
  options: { tx?: Executor; jobs?: JobList },
): Promise<SentEvent[]> {
  const write = async (tx: Executor) => {
    const inserted = await tx
      .insert(jobEvents)
      .values(validated.map((event) => ({ ...event, driver: driver.name })))
      .onConflictDoNothing({ target: jobEvents.id })
      .returning({ id: jobEvents.id });
    const createdIds = new Set(inserted.map((row) => row.id));
    const fresh = validated.filter((event) => createdIds.has(event.id));
    if (fresh.length > 0) {
      // Before enqueueing, so an event never cancels the runs it starts; on either driver, so
      // Postgres runs still draining after a flip to Inngest are cancelled too.
      await cancelRunsOnEvents(tx, fresh, options.jobs);
      await driver.startRuns(tx, fresh, options.jobs);
      // Delivered at commit: wakes `npm run worker` (Postgres runs) or a relay (Inngest).
      const payload = notifyPayload(
        driver.name,
        fresh.map((event) => event.id),
      );
      await tx.execute(sql`select pg_notify('slotline_jobs', ${payload})`);
    }
    return validated.map((event) => ({ id: event.id, name: event.name, created: createdIds.has(event.id) }));
  };
  return options.tx ? write(options.tx) : db.transaction(write);
}

/** Whether any of these events is a job's cancelOn event or starts a job with idempotency. */
function needsFlowControl(events: { name: string }[], jobs?: JobList) {
  const names = new Set(events.map((event) => event.name));
  return resolveJobs(jobs).some(
    (job) =>
      (job.options.cancelOn ?? []).some((cancel) => names.has(cancel.event)) ||
      (job.options.idempotency !== undefined &&
        job.options.triggers.some((trigger) => "event" in trigger && names.has(trigger.event))),
  );
}
