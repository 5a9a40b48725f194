import { validateFlowControl } from "./flow-control";
import type { JobDefinition, JobHandler, JobOptions, Trigger } from "./types";

/**
 * Declares a job. Shaped like Inngest v4's `inngest.createFunction(options, handler)`
 * so the same file runs on either driver; nothing here knows which one will run it.
 */
export function defineJob<const T extends readonly Trigger[]>(
  options: JobOptions<T>,
  handler: JobHandler<T>,
): JobDefinition<T> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(options.id)) {
    throw new Error(`Job id "${options.id}" must be lowercase letters, digits and dashes`);
  }
  if (options.triggers.length === 0) throw new Error(`Job "${options.id}" needs at least one trigger`);
  validateFlowControl(options);
  return { kind: "slotline.job", options, handler };
}

/**
 * Thrown from a handler or step to fail the run at once, without retries. It is
 * Inngest's own class, so the same throw means the same thing on both drivers.
 */
export { NonRetriableError } from "inngest";
