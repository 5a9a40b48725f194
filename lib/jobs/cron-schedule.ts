import { Cron } from "croner";
import { cronTriggers } from "./registry";
import type { JobDefinition } from "./types";

/**
 * Cron triggers are Inngest's strings: an optional `TZ=<zone>` prefix, then five (or
 * six, with seconds) fields read in that zone. croner does the DST arithmetic.
 */
export function parseCronExpression(expression: string): { timezone: string; pattern: string } {
  const match = /^TZ=(\S+)\s+(.+)$/.exec(expression.trim());
  const timezone = match?.[1] ?? "UTC";
  const pattern = (match?.[2] ?? expression).trim();
  try {
    new Cron(pattern, { timezone, paused: true });
  } catch (error) {
    throw new Error(`Invalid cron "${expression}": ${error instanceof Error ? error.message : String(error)}`);
  }
  return { timezone, pattern };
}

export function scheduleOf(expression: string) {
  const { timezone, pattern } = parseCronExpression(expression);
  return new Cron(pattern, { timezone, paused: true });
}

/** The latest scheduled time at or before `at` (croner's previousRuns excludes `at` itself). */
export function cronSlotAt(expression: string, at: Date): Date | null {
  const [slot] = scheduleOf(expression).previousRuns(1, new Date(at.getTime() + 1));
  return slot ?? null;
}

/** Which of a job's cron triggers a stored slot belongs to (for the event's `data.cron`). */
export function cronExpressionOfSlot(job: JobDefinition, slot: Date): string {
  const triggers = cronTriggers(job);
  return triggers.find((expression) => cronSlotAt(expression, slot)?.getTime() === slot.getTime()) ?? triggers[0] ?? "";
}
