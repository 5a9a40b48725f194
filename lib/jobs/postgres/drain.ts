import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { onFailureJobId, resolveJobs, type JobList } from "../registry";
import { claimDueRuns, claimRunsOfEvents, reclaimExpiredLeases } from "./claim";
import type { RunOutcome } from "./execute";
import { RunFeed } from "./feed";
import { LaneRunner } from "./lanes";
import { releaseRuns } from "./transitions";
import { countDueRunsUpTo } from "./due-count";

export type DrainOptions = {
  /**
   * Wall-clock time allowed; no step starts after it is spent, and a step still running
   * `stepGraceMs` after it fails with StepTimeoutError (and is retried later).
   */
  budgetMs: number;
  /** Defaults to STEP_TIMEOUT_GRACE_MS. */
  stepGraceMs?: number;
  /** Runs executed at once (lanes fed by one batched claim). */
  concurrency?: number;
  /** Events whose runs are claimed before any other due work (the kick's own request). */
  firstEventIds?: string[];
  jobs?: JobList;
  /** Aborting stops the drain like a spent budget (the worker's SIGTERM). */
  signal?: AbortSignal;
  workerId?: string;
  leaseMs?: number;
  /** For tests of the backoff schedule; Math.random otherwise. */
  random?: () => number;
};

export type DrainResult = Record<RunOutcome | "processed" | "remaining", number>;

export const DEFAULT_LEASE_MS = 60_000;

/**
 * How long past its budget a drain lets a step in flight run before it times out. The
 * cron routes' 45 s budget plus this stays inside their 60 s maxDuration, with time left
 * to record the timeout and answer (lib/jobs/work.ts).
 */
export const STEP_TIMEOUT_GRACE_MS = 10_000;

export function newWorkerId() {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/** Every job id the engine may claim for this registry, onFailure runs included. */
export function claimableJobIds(jobs: JobList) {
  return jobs.flatMap((job) => [job.options.id, ...(job.options.onFailure ? [onFailureJobId(job.options.id)] : [])]);
}

/**
 * Runs due work until none is left or the budget is spent. A run caught by the
 * budget between two steps is released to the queue with no attempt counted, so a
 * cron invocation never outlives its function limit and loses nothing.
 */
export async function drain(options: DrainOptions): Promise<DrainResult> {
  if (!(options.budgetMs > 0)) throw new RangeError(`budgetMs must be a positive number, got ${options.budgetMs}`);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);

  const jobs = resolveJobs(options.jobs);
  const jobIds = claimableJobIds(jobs);
  const workerId = options.workerId ?? newWorkerId();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const deadline = performance.now() + options.budgetMs;
  const shouldStop = () => performance.now() >= deadline || options.signal?.aborted === true;
  const stepDeadline = deadline + (options.stepGraceMs ?? STEP_TIMEOUT_GRACE_MS);
  const stepTimeoutMs = () => stepDeadline - performance.now();

  const result: DrainResult = {
    processed: 0,
    completed: 0,
    retried: 0,
    failed: 0,
    sleeping: 0,
    released: 0,
    cancelled: 0,
    remaining: 0,
  };

  // Crashed workers' runs first: their own cheap statement, not part of every claim.
  await reclaimExpiredLeases();
  let firstEventIds = options.firstEventIds ?? [];
  const feed = new RunFeed({
    claim: async (limit) => {
      if (firstEventIds.length > 0) {
        const eventIds = firstEventIds;
        firstEventIds = [];
        const first = await claimRunsOfEvents({ workerId, jobIds, eventIds, leaseMs });
        // Topped up with other due work, so a short first batch does not read as "nothing due".
        if (first.length >= limit) return first;
        return [...first, ...(await claimDueRuns({ workerId, jobIds, leaseMs, limit: limit - first.length }))];
      }
      return claimDueRuns({ workerId, jobIds, leaseMs, limit });
    },
    prefetch: concurrency,
    waitForWork: async () => false,
  });
  const runner = new LaneRunner({ jobs, leaseMs, shouldStop, stepTimeoutMs, random: options.random });
  const lane = async () => {
    while (!shouldStop()) {
      const run = await feed.next();
      if (!run) return;
      if (shouldStop()) {
        await releaseRuns([{ runId: run.id, claimToken: run.claimToken }]);
        return;
      }
      await runner.run(run, (outcome) => {
        result.processed++;
        result[outcome]++;
      });
    }
  };
  // Let every lane finish before reporting a failure, so none keeps working unseen.
  const lanes = await Promise.allSettled(Array.from({ length: concurrency }, lane));
  await releaseRuns(feed.takeQueued().map((run) => ({ runId: run.id, claimToken: run.claimToken })));
  await runner.idle();
  const crashed = lanes.find((settled): settled is PromiseRejectedResult => settled.status === "rejected");
  if (crashed) throw crashed.reason;
  result.remaining = await countDueRunsUpTo(jobIds);
  return result;
}
