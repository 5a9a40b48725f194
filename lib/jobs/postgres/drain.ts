import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { resolveJobs } from "../registry";
import type { JobList } from "../registry";
import { claimDueRuns, claimRunsOfEvents, msUntilNextFirstStart, reclaimExpiredLeases } from "./claim";
import { DueWalk } from "./due-walk";
import type { RunOutcome } from "./execute";
import { prefetchFor, RunFeed } from "./feed";
import { LaneRunner } from "./lanes";
import { leaseOf } from "./lease";
import { releaseRuns, renewQueuedRuns } from "./transitions";
import { countDueRunsUpTo } from "./due-count";
import { claimScope, scopeJobIds } from "./flow-limits";

export type DrainOptions = {
  /**
   * Wall-clock time allowed; no step starts after it is spent, and a step still running
   * `stepGraceMs` after it fails with StepTimeoutError (and is retried later).
   */
  budgetMs: number;
  /** Defaults to STEP_TIMEOUT_GRACE_MS. */
  stepGraceMs?: number;
  /** Runs executing at once (lanes fed by one batched claim); one waiting for a checkpoint holds none. */
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
 * cron routes' budget plus this stays inside their maxDuration, with time left to record
 * the timeout and answer (lib/jobs/work.ts).
 */
export const STEP_TIMEOUT_GRACE_MS = 10_000;

export function newWorkerId() {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/**
 * How far ahead a drain waits for runs its flow control held back (a throttle's next
 * start, a concurrency slot its own lanes are about to free) before it ends.
 */
const FLOW_CONTROL_WAIT_MS = 2_000;
/** How often a drain looks again for a run held back by concurrency. */
const FLOW_CONTROL_POLL_MS = 50;
/** Looks at due runs that no lane of this drain holds back before it ends. */
const FLOW_CONTROL_HELD_LOOKS = 5;

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
  const scope = claimScope(jobs);
  const jobIds = scopeJobIds(scope);
  const limitedJobIds = Object.keys(scope.limited);
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
  /** Looks in a row at runs held elsewhere, with none of this drain's in progress. */
  let heldLooks = 0;
  // Where this drain's claims go on in the due index (due-walk.ts).
  const walk = new DueWalk();
  const feed = new RunFeed({
    claim: async (limit) => {
      if (firstEventIds.length > 0) {
        // Runs of jobs with flow control are left to the claim that checks their limits.
        const first = await claimRunsOfEvents({
          workerId,
          jobIds: scope.jobIds,
          eventIds: firstEventIds,
          leaseMs,
          limit,
        });
        // A full batch: more of the request's own runs may be due, and the next claim asks again.
        if (first.length >= limit) return first;
        firstEventIds = [];
        // Topped up with other due work, so a short first batch does not read as "nothing due".
        return [...first, ...(await claimDueRuns({ workerId, scope, leaseMs, limit: limit - first.length, walk }))];
      }
      return claimDueRuns({ workerId, scope, leaseMs, limit, walk });
    },
    ...prefetchFor(concurrency, scope),
    renew: renewQueuedRuns(leaseMs),
    // Nothing claimable: the drain ends, unless runs it holds may make more work due (a
    // step's sendEvent, a fan-out), or flow control held runs back for a moment (a
    // throttle's next start within FLOW_CONTROL_WAIT_MS and the budget).
    waitForWork: async () => {
      // The runs the last claim handed to lanes start first, so they count as in progress.
      await new Promise((resolve) => setImmediate(resolve));
      if (shouldStop()) return false;
      if (runner.held > 0) {
        // Also a concurrency slot held by this drain's own runs: it frees when one is done.
        heldLooks = 0;
        await runner.nextHandlerDone();
        return !shouldStop();
      }
      if (limitedJobIds.length === 0) return false;
      const waitMs = await msUntilNextFirstStart(limitedJobIds);
      if (waitMs > Math.min(FLOW_CONTROL_WAIT_MS, deadline - performance.now())) return false;
      // Due now but not claimable, with no run of ours in progress: held by other workers, or
      // a throttle window that frees in a moment. A few looks, then the drain ends.
      heldLooks = waitMs === 0 ? heldLooks + 1 : 0;
      if (heldLooks > FLOW_CONTROL_HELD_LOOKS) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.max(waitMs, FLOW_CONTROL_POLL_MS)));
      return !shouldStop();
    },
  });
  const runner = new LaneRunner({
    jobs,
    leaseMs,
    lanes: concurrency,
    feed,
    shouldStop,
    stepTimeoutMs,
    random: options.random,
  });
  const lane = async () => {
    // An ending drain's lanes stay until the runs paused between two steps are back.
    for (;;) {
      const run = await runner.nextRun(shouldStop);
      if (run === false) return;
      if (!run) continue;
      if (shouldStop()) {
        await releaseRuns([leaseOf(run)]);
        continue;
      }
      await runner.run(run, (outcome) => {
        result.processed++;
        result[outcome]++;
      });
    }
  };
  // Let every lane finish before reporting a failure, so none keeps working unseen.
  const lanes = await Promise.allSettled(Array.from({ length: concurrency }, lane));
  // After a claim still in flight is back, so none of its runs stays leased to no one.
  await releaseRuns((await feed.close()).map(leaseOf));
  await runner.idle();
  const crashed = lanes.find((settled): settled is PromiseRejectedResult => settled.status === "rejected");
  if (crashed) throw crashed.reason;
  result.remaining = await countDueRunsUpTo(jobIds);
  return result;
}
