import "server-only";
import { excerpt } from "@/lib/clinic/form-fields";
import type { CreatedCronRun } from "./cron";
import { activeDriver, type OutboxResult } from "./driver";
import { FUNCTION_MAX_DURATION_S } from "./function-limit";
import { drain, type DrainResult } from "./postgres/drain";
import { recordDrain } from "./postgres/drain-log";
import { pruneFinishedWork, type PruneResult } from "./postgres/prune";
import { cronJobs, resolveJobs, type JobList } from "./registry";

/**
 * A cron route's drain budget: its function limit (FUNCTION_MAX_DURATION_S, 300 s) less
 * 15 s. A step still in flight when the budget ends has STEP_TIMEOUT_GRACE_MS (10 s) before
 * it times out, which leaves 5 s to record that and answer: nothing outlives the function.
 * On Hobby the drain cron fires once a day, so this is what that one call can catch up on.
 */
export const CRON_DRAIN_BUDGET_MS = (FUNCTION_MAX_DURATION_S - 15) * 1000;
/**
 * The `after()` kick shares the request's function: it starts steps for 10 s only, so a
 * backlog is left to the cron drain (a step in flight gets longer: KICK_STEP_GRACE_MS).
 */
export const KICK_DRAIN_BUDGET_MS = 10_000;

export type WorkResult = {
  outbox: OutboxResult;
  cronRuns: CreatedCronRun[];
  drained: DrainResult;
  pruned: PruneResult | null;
};

/** Retention after a drain: at least one bounded batch, more while this much time allows. */
const PRUNE_TIME_CAP_MS = 1_000;

/**
 * Everything due right now: the outbox, handed to the active driver (relayed to Inngest,
 * or adopted as Postgres runs), the runs of cron slots that have none yet (when Postgres
 * owns the crons), the drain of Postgres runs, and a bounded batch of retention.
 */
export async function processDueWork(
  options: {
    budgetMs?: number;
    /** How long past the budget a step in flight may run (drain's default: STEP_TIMEOUT_GRACE_MS). */
    stepGraceMs?: number;
    concurrency?: number;
    jobs?: JobList;
    firstEventIds?: string[];
  } = {},
): Promise<WorkResult> {
  const budgetMs = options.budgetMs ?? CRON_DRAIN_BUDGET_MS;
  const started = performance.now();
  // Outbox first: Inngest-mode events go out at once, and after a flip back to
  // Postgres the events the relay never sent become runs this very drain picks up.
  const driver = activeDriver();
  const outbox = await driver.deliverOutbox({ jobs: options.jobs, budgetMs: budgetMs / 2 });
  // A cron slot whose Vercel call failed (Vercel never retries one) or that no cron
  // route serves (self-hosting) still gets its run, at the next drain. On Inngest,
  // Inngest owns the crons and Postgres creates none.
  const cronRuns = await driver.createDueCronRuns({ jobs: options.jobs });
  const remainingMs = Math.max(1, budgetMs - (performance.now() - started));
  const drained = await drain({
    budgetMs: remainingMs,
    stepGraceMs: options.stepGraceMs,
    concurrency: options.concurrency ?? 4,
    jobs: options.jobs,
    firstEventIds: options.firstEventIds,
  });
  await recordDrain({ budgetMs, elapsedMs: performance.now() - started, ...drained });
  // Retention (lib/jobs/postgres/prune.ts). Its failure must not fail the drain that ran.
  const pruned = await pruneFinishedWork({ timeCapMs: PRUNE_TIME_CAP_MS }).catch((error: unknown) => {
    console.error("[jobs] pruning finished runs failed; the next drain tries again", error);
    return null;
  });
  return { outbox, cronRuns, drained, pruned };
}

export type CronJobResult =
  | { status: 404; body: { error: string } }
  | { status: 200; body: { job: string; note: string } }
  | { status: 200; body: { job: string; slot: string; runId: string | null; created: boolean } & WorkResult };

/**
 * What GET /api/cron/<job> does. On Inngest, Inngest owns the crons, so the Postgres
 * side creates nothing (the month of the flip cannot run twice).
 */
export async function runCronJob(jobId: string, options: { at?: Date; jobs?: JobList } = {}): Promise<CronJobResult> {
  const jobs = resolveJobs(options.jobs);
  if (!cronJobs(jobs).some((job) => job.options.id === jobId)) {
    return { status: 404, body: { error: `No cron job "${excerpt(jobId)}"` } };
  }
  const result = await activeDriver().runCronSlot(jobId, { at: options.at, jobs });
  if (!result.owned) return { status: 200, body: { job: jobId, note: result.note } };
  const { runId, slot, created } = result;
  const work = await processDueWork({ jobs });
  return { status: 200, body: { job: jobId, slot: slot.toISOString(), runId, created, ...work } };
}
