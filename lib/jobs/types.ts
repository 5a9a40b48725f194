import type { z } from "zod";
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

type EventOf<T> = T extends { event: infer N extends EventName } ? EventPayload<N, EventData<N>> : T extends { cron: string } ? CronEvent : never;
export type TriggeredEvent<T extends readonly Trigger[]> = EventOf<T[number]>;

/** JSON round-trip of a step's output, as both drivers store and replay it. */
export type Jsonify<T> = T extends Date
  ? string
  : T extends string | number | boolean | null
    ? T
    : T extends undefined | ((...args: never[]) => unknown)
      ? null
      : T extends readonly (infer U)[]
        ? Jsonify<U>[]
        : T extends object
          ? { [K in keyof T as T[K] extends undefined | ((...args: never[]) => unknown) ? never : K]: Jsonify<T[K]> }
          : never;

/** Inngest duration strings: "30s", "15m", "24h", "7d", "1w"; or milliseconds. */
export type Duration = number | `${number}${"s" | "m" | "h" | "d" | "w"}`;

export interface StepTools {
  /** Runs `fn` once; its JSON result is checkpointed and replayed on later attempts. */
  run<T>(id: string, fn: () => Promise<T> | T): Promise<Jsonify<T>>;
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

/** The context of an `onFailure` handler, as Inngest gives it. */
export type FailureContext<E> = JobContext<EventPayload<"inngest/function.failed", { error: { name: string; message: string; stack?: string }; event: E; function_id: string; run_id: string }>> & {
  error: Error;
};

export type JobOptions<T extends readonly Trigger[]> = {
  id: string;
  name?: string;
  triggers: T;
  /** Retries after the first attempt (Inngest's default is 4). */
  retries?: number;
  onFailure?: (ctx: FailureContext<TriggeredEvent<T>>) => Promise<unknown> | unknown;
};

export type JobHandler<T extends readonly Trigger[]> = (ctx: JobContext<TriggeredEvent<T>>) => Promise<unknown> | unknown;

export type JobDefinition<T extends readonly Trigger[] = readonly Trigger[]> = {
  readonly kind: "slotline.job";
  readonly options: JobOptions<T>;
  readonly handler: JobHandler<T>;
};

export const DEFAULT_RETRIES = 4;
