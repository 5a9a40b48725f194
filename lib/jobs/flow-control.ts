import type { JobOptions, Trigger } from "./types";

/**
 * The flow-control expressions both drivers understand. Inngest evaluates them as CEL;
 * the Postgres driver evaluates the subset every job here needs, a dotted path into
 * the event ("event.data.clinicId"), and defineJob refuses anything else, so a job
 * never means one thing on Inngest and another on Postgres.
 */
const EVENT_PATH = /^event(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** Concurrency and throttle keys: a field of the event's data, which the Postgres claim reads. */
const KEY_PATH = /^event\.data(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** A cancelOn `match`: the same path into both events' data, as Inngest's `match` compares it. */
const MATCH_PATH = /^data(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const PERIOD = /^[1-9]\d*[smhd]$/;

export class FlowControlError extends Error {
  override name = "FlowControlError";
}

/** Throws a FlowControlError naming the job and the option that is wrong. */
export function validateFlowControl(options: JobOptions<readonly Trigger[]>) {
  const fail = (option: string, message: string): never => {
    throw new FlowControlError(`Job "${options.id}": ${option} ${message}`);
  };
  const positiveInt = (option: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) fail(option, `must be a whole number of at least 1 (got ${value})`);
  };
  const eventPath = (option: string, value: string | undefined, pattern = EVENT_PATH) => {
    if (value !== undefined && !pattern.test(value))
      fail(option, `must be a path into the event such as "event.data.clinicId" (got "${value}")`);
  };

  for (const [index, cancel] of (options.cancelOn ?? []).entries()) {
    if (!MATCH_PATH.test(cancel.match))
      fail(`cancelOn[${index}].match`, `must be a dotted path such as "data.bookingId" (got "${cancel.match}")`);
  }
  const limits = options.concurrency === undefined ? [] : [options.concurrency].flat();
  if (limits.length > 2) fail("concurrency", "takes at most two limits, as Inngest does");
  for (const [index, limit] of limits.entries()) {
    positiveInt(`concurrency[${index}].limit`, limit.limit);
    eventPath(`concurrency[${index}].key`, limit.key, KEY_PATH);
  }
  if (options.throttle) {
    positiveInt("throttle.limit", options.throttle.limit);
    if (!PERIOD.test(options.throttle.period))
      fail("throttle.period", `must be a duration such as "1s", "1m" or "1h" (got "${options.throttle.period}")`);
    eventPath("throttle.key", options.throttle.key, KEY_PATH);
  }
  eventPath("idempotency", options.idempotency);
}

/** Reads a dotted path ("data.bookingId") out of a JSON value; undefined when absent. */
export function readPath(source: unknown, path: string): unknown {
  let value = source;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The value of an "event.…" expression for one event, as the text the Postgres driver
 * stores and compares; null when the event has no such field (no key: no grouping).
 */
export function evaluateEventExpression(expression: string, event: { data: unknown }): string | null {
  const value = readPath({ event }, expression);
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}
