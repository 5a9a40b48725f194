import type { z } from "zod";
import type { Jsonify } from "inngest/types";
import type { EventCatalog } from "@/jobs/events";

/**
 * The definitions API: a typed subset of Inngest v4's `createFunction`. A handler
 * written against these types runs unchanged on the Postgres driver and on Inngest
 * (tests/types/inngest-compat.test-d.ts proves the latter at compile time).
 */

export type EventName = keyof EventCatalog & string;
export type EventData<N extends EventName> = z.infer<EventCatalog[N]>;

/** What app code passes to `sendEvent` and `step.sendEvent`. */
export type EventInput = { [N in EventName]: { name: N; data: EventData<N>; id?: string; ts?: number } }[EventName];

/** What a handler receives: Inngest's event shape. */
export type EventPayload<N extends string = string, D = Record<string, unknown>> = {
  id: string;
  name: N;
  data: D;
  ts: number;
};

/** Cron runs see Inngest's scheduled-timer event. */
export type CronEvent = EventPayload<"inngest/scheduled.timer", { cron: string }>;

export type Trigger = { event: EventName } | { cron: string };

type EventOf<T> = T extends { event: infer N extends EventName }
  ? EventPayload<N, EventData<N>>
  : T extends { cron: string }
    ? CronEvent
    : never;
export type TriggeredEvent<T extends readonly Trigger[]> = EventOf<T[number]>;

/**
 * JSON round-trip of a step's output, as both drivers store and replay it. It is
 * Inngest's own type, so `await step.run(...)` has the same type on either driver.
 */
export type { Jsonify } from "inngest/types";

/**
 * What `step.run(id, fn)` resolves to. Spelled exactly as Inngest spells it (void
 * becomes null, promises are awaited, the rest is Jsonify'd) so that Inngest's
 * `step.run` is assignable to ours; tests/types/inngest-compat.test-d.ts checks it.
 */
export type StepRunResult<TFn extends () => unknown> = Jsonify<
  TFn extends (...args: Parameters<TFn>) => Promise<infer U>
    ? Awaited<U extends void ? null : U>
    : ReturnType<TFn> extends void
      ? null
      : ReturnType<TFn>
>;

/** Inngest duration strings: "30s", "15m", "24h", "7d", "1w"; or milliseconds. */
export type Duration = number | `${number}${"s" | "m" | "h" | "d" | "w"}`;

export interface StepTools {
  /**
   * Runs `fn` once; its JSON result is checkpointed and replayed on later attempts.
   * `...input` is always empty here (fn takes no arguments); it is there because
   * Inngest's signature has it, and TypeScript compares the two lists.
   */
  run<TFn extends () => unknown>(id: string, fn: TFn, ...input: Parameters<TFn>): Promise<StepRunResult<TFn>>;
  /** Sends events exactly once for this run (memoised like a step). */
  sendEvent(id: string, events: EventInput | EventInput[]): Promise<{ ids: string[] }>;
  sleep(id: string, duration: Duration): Promise<void>;
  sleepUntil(id: string, time: Date | string): Promise<void>;
}

export interface JobLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

export type JobContext<E> = {
  event: E;
  step: StepTools;
  runId: string;
  /** 0 on the first try, 1 on the first retry, ... */
  attempt: number;
  logger: JobLogger;
};

/**
 * The context of an `onFailure` handler, as Inngest gives it: the failure event
 * (Inngest's types give it no id or ts) wraps the event of the run that failed.
 */
export type FailureEvent<E> = {
  name: "inngest/function.failed";
  data: { error: { name: string; message: string; stack?: string }; event: E; function_id: string; run_id: string };
};
export type FailureContext<E> = Omit<JobContext<FailureEvent<E>>, "event"> & { event: FailureEvent<E>; error: Error };

/**
 * Flow control, in Inngest's own option shapes (tests/types/flow-control.test-d.ts checks
 * each against `createFunction`'s). Expressions are the dotted paths both drivers
 * understand: "event.data.clinicId" for keys, "data.bookingId" for a cancelOn match.
 */
export type CancelOn = { event: EventName; match: string };
export type ConcurrencyLimit = { limit: number; key?: string };
/** Inngest's period strings ("1s", "1m", "1h", "1d"); Inngest allows 1 s to 7 days. */
export type ThrottlePeriod = `${number}${"s" | "m" | "h" | "d"}`;
export type Throttle = { limit: number; period: ThrottlePeriod; key?: string };

export type JobOptions<T extends readonly Trigger[]> = {
  id: string;
  name?: string;
  triggers: T;
  /** Retries after the first attempt (Inngest's default is 4). */
  retries?: number;
  /** Cancels a queued, sleeping or running run when one of these events arrives with the same value at `match`. */
  cancelOn?: CancelOn[];
  /** At most `limit` runs of this job at once, per value of `key` when given (up to two limits, as on Inngest). */
  concurrency?: ConcurrencyLimit | [ConcurrencyLimit] | [ConcurrencyLimit, ConcurrencyLimit];
  /** At most `limit` run starts per `period` (per `key`); later runs wait their turn, none is dropped. */
  throttle?: Throttle;
  /** One run per value of this expression within 24 hours; later events with the same value start nothing. */
  idempotency?: string;
  onFailure?: (ctx: FailureContext<TriggeredEvent<T>>) => Promise<unknown> | unknown;
};

export type JobHandler<T extends readonly Trigger[]> = (
  ctx: JobContext<TriggeredEvent<T>>,
) => Promise<unknown> | unknown;

export type JobDefinition<T extends readonly Trigger[] = readonly Trigger[]> = {
  readonly kind: "slotline.job";
  readonly options: JobOptions<T>;
  readonly handler: JobHandler<T>;
};

export const DEFAULT_RETRIES = 4;
