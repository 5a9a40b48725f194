import "server-only";
import { eventType, type EventType, type InngestFunction, type StandardSchemaV1 } from "inngest";
import { events as catalog } from "@/jobs/events";
import { resolveJobs, type JobList } from "../registry";
import { DEFAULT_RETRIES, type EventName, type JobDefinition, type Trigger } from "../types";
import { inngestClient, type SlotlineInngest } from "./client";

/**
 * An event trigger carries its zod schema from the catalog: Inngest validates the
 * payload before the handler starts (a bad one fails at once, as `sendEvent` would
 * have refused it) and types `event.data` exactly as the Postgres driver does.
 * Cron triggers pass through unchanged, `TZ=` prefix included.
 */
export type InngestTriggerOf<T> = T extends { event: infer N extends EventName }
  ? { event: EventType<N, (typeof catalog)[N]> }
  : T;
export type InngestTriggersOf<T extends readonly Trigger[]> = { -readonly [K in keyof T]: InngestTriggerOf<T[K]> };

export function toInngestTriggers<const T extends readonly Trigger[]>(triggers: T): InngestTriggersOf<T> {
  return triggers.map((trigger) =>
    // Only an eventType() trigger makes Inngest validate at run time; a bare { event, schema } is types only.
    "event" in trigger
      ? {
          event: eventType<EventName, StandardSchemaV1<Record<string, unknown>>>(trigger.event, {
            schema: catalog[trigger.event],
          }),
        }
      : { cron: trigger.cron },
  ) as InngestTriggersOf<T>;
}

type InngestRetries = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20;

function inngestRetries(job: JobDefinition): InngestRetries {
  const retries = job.options.retries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(retries) || retries < 0 || retries > 20) {
    throw new Error(`Job "${job.options.id}": retries must be a whole number from 0 to 20 on Inngest (got ${retries})`);
  }
  return retries as InngestRetries;
}

/**
 * The same job as an Inngest function: same id, name, triggers, retries, flow control
 * (cancelOn, concurrency, throttle, idempotency: already in Inngest's shapes) and
 * onFailure, and the job's own handler, which receives Inngest's ctx (event, step,
 * runId, attempt, logger) unchanged.
 */
export function toInngestFunction(client: SlotlineInngest, job: JobDefinition): InngestFunction.Any {
  return client.createFunction(
    {
      id: job.options.id,
      name: job.options.name ?? job.options.id,
      triggers: toInngestTriggers(job.options.triggers),
      retries: inngestRetries(job),
      cancelOn: job.options.cancelOn,
      concurrency: job.options.concurrency,
      throttle: job.options.throttle,
      idempotency: job.options.idempotency,
      // The registry erases each job's trigger types, so TypeScript cannot match
      // handler to triggers here. tests/types/inngest-compat.test-d.ts proves, job by
      // job, that Inngest's ctx for those triggers satisfies the handler; hence the casts.
      onFailure: job.options.onFailure as never,
    },
    job.handler as never,
  );
}

/**
 * Every job in the registry (or the given list) as Inngest functions, for `serve`.
 *
 * `eventTriggersOnly` is for a deploy that flipped back to Postgres: runs already on
 * Inngest (a reminder sleeping until next week, say) still call /api/inngest to go
 * on, so their functions stay served, but without cron triggers: a sync then hands
 * the crons back and Inngest cannot fire a month the Postgres crons also fire.
 */
export function inngestFunctions(
  options: { client?: SlotlineInngest; jobs?: JobList; eventTriggersOnly?: boolean } = {},
): InngestFunction.Any[] {
  const client = options.client ?? inngestClient();
  return resolveJobs(options.jobs).flatMap((job) => {
    if (!options.eventTriggersOnly) return [toInngestFunction(client, job)];
    const triggers = job.options.triggers.filter((trigger) => "event" in trigger);
    return triggers.length === 0 ? [] : [toInngestFunction(client, { ...job, options: { ...job.options, triggers } })];
  });
}
