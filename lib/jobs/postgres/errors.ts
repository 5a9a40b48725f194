import { NonRetriableError } from "../define";
import type { JobError } from "@/lib/db/schema";

/** Errors are stored as JSON with their stack, for operators and for `onFailure`. */
export function serializeError(error: unknown): JobError {
  if (error instanceof Error)
    return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: "Error", message: typeof error === "string" ? error : (JSON.stringify(error) ?? String(error)) };
}

export function deserializeError(stored: JobError | null | undefined): Error {
  const error = new Error(stored?.message ?? "unknown error");
  error.name = stored?.name ?? "Error";
  if (stored?.stack) error.stack = stored.stack;
  return error;
}

/** Inngest's class, or a copy of it from another bundle of the SDK (matched by name). */
export function isNonRetriable(error: unknown) {
  return error instanceof NonRetriableError || (error instanceof Error && error.name === "NonRetriableError");
}

/**
 * A `step.run` whose fn had not settled by its deadline (the end of the drain's budget
 * plus a grace period, or the worker's step timeout). It is an ordinary, retriable step
 * failure: the step runs again on the next attempt.
 */
export class StepTimeoutError extends Error {
  override name = "StepTimeoutError";
  constructor(
    public readonly stepId: string,
    public readonly timeoutMs: number,
  ) {
    super(`Step "${stepId}" did not finish within its ${Math.round(timeoutMs)} ms limit`);
  }
}
