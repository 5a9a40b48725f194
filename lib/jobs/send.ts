import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor } from "@/lib/db/client";
import { jobEvents } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { events as catalog } from "@/jobs/events";
import type { JobList } from "./registry";
import type { EventInput, EventName } from "./types";
import { cancelRunsOnEvents } from "./postgres/cancel-on";
import { enqueueRunsForEvents } from "./postgres/enqueue";

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
 * With the Postgres driver, the runs of every subscribed job are created in the same
 * transaction. With `JOBS_DRIVER=inngest`, the event waits for the relay instead.
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
  const write = async (tx: Executor) => {
    const driver = env().JOBS_DRIVER;
    const inserted = await tx
      .insert(jobEvents)
      .values(validated.map((event) => ({ ...event, driver })))
      .onConflictDoNothing({ target: jobEvents.id })
      .returning({ id: jobEvents.id });
    const createdIds = new Set(inserted.map((row) => row.id));
    const fresh = validated.filter((event) => createdIds.has(event.id));
    if (fresh.length > 0) {
      // Before enqueueing, so an event never cancels the runs it starts; on either driver, so
      // Postgres runs still draining after a flip to Inngest are cancelled too.
      await cancelRunsOnEvents(tx, fresh, options.jobs);
      if (driver === "postgres") await enqueueRunsForEvents(tx, fresh, options.jobs);
      // Delivered at commit: wakes `npm run worker` (Postgres runs) or a relay (Inngest).
      await tx.execute(sql`select pg_notify('slotline_jobs', ${driver})`);
    }
    return validated.map((event) => ({ id: event.id, name: event.name, created: createdIds.has(event.id) }));
  };
  return options.tx ? write(options.tx) : db.transaction(write);
}
