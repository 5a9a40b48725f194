import "server-only";
import { sqlClient } from "@/lib/db/client";
import { activeDriver } from "../driver";
import { resolveJobs, type JobList } from "../registry";
import { claimDueRuns, claimRunsOfEvents, msUntilNextDue, reclaimExpiredLeases } from "./claim";
import { DEFAULT_LEASE_MS, newWorkerId } from "./drain";
import { DueWalk } from "./due-walk";
import { claimScope, scopeJobIds } from "./flow-limits";
import type { RunOutcome } from "./execute";
import { prefetchFor, RunFeed } from "./feed";
import { LaneRunner } from "./lanes";
import { leaseOf, type Lease } from "./lease";
import { NotifiedEvents } from "./notified-events";
import { releaseRuns, renewQueuedRuns } from "./transitions";
import { pruneFinishedWork } from "./prune";

export const JOBS_CHANNEL = "slotline_jobs";

/** A worker has no function limit; this bounds a hung step (an HTTP call with no timeout). */
export const DEFAULT_WORKER_STEP_TIMEOUT_MS = 5 * 60_000;

export type WorkerOptions = {
  /** Runs executing at once (lanes); a run waiting for a checkpoint holds none (lanes.ts). */
  concurrency?: number;
  jobs?: JobList;
  /** Abort to stop: no new step starts, runs in flight finish their step and are released. */
  signal: AbortSignal;
  /** Longest idle wait without a NOTIFY (a safety net for missed notifications). */
  pollMs?: number;
  /** How long a stopping worker waits for steps in flight before it lets go of them anyway. */
  graceMs?: number;
  leaseMs?: number;
  /** A `step.run` still running after this fails with StepTimeoutError and is retried. */
  stepTimeoutMs?: number;
  onReady?: (info: { workerId: string; concurrency: number }) => void;
  onRun?: (info: { runId: string; jobId: string; outcome: RunOutcome }) => void;
};

/**
 * The long-running worker for self-hosting. Lanes take runs from a local queue that one
 * claimer fills in batches (RunFeed); when nothing is due the claimer alone sleeps until
 * a NOTIFY on `slotline_jobs` (sendEvent sends one at commit, naming its events), the next
 * due run_at or lease expiry, or `pollMs`, whichever comes first. Completions are batched.
 * At start and every `pollMs` it also creates the runs of due cron slots, so a
 * self-hosted deployment needs no Vercel Cron (or any other scheduler).
 */
export async function runWorker(options: WorkerOptions) {
  const jobs = resolveJobs(options.jobs);
  const scope = claimScope(jobs);
  const jobIds = scopeJobIds(scope);
  // Runs held back by concurrency stay due until a running one finishes: look again at
  // this pace rather than every 10 ms.
  const hasFlowControl = Object.keys(scope.limited).length > 0;
  const minWaitMs = hasFlowControl ? 50 : 10;
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const workerId = newWorkerId();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = options.pollMs ?? 30_000;
  const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_WORKER_STEP_TIMEOUT_MS;
  if (!(stepTimeoutMs > 0)) throw new RangeError(`stepTimeoutMs must be a positive number, got ${stepTimeoutMs}`);
  const { signal } = options;

  // One wake-up for the one claimer: a notification that arrives while it is busy is
  // kept (`notified`), so it claims again at once instead of missing the work.
  let notified = false;
  let wakeClaimer: () => void = () => {};
  const wake = () => {
    notified = true;
    wakeClaimer();
  };
  signal.addEventListener("abort", wake, { once: true });
  /** Waits until there may be due work; reclaims expired leases when woken by time alone. */
  const waitForWork = async () => {
    if (!notified && !signal.aborted) {
      // Listening before asking when the next run is due, so no wake-up falls in between.
      const woken = new Promise<void>((resolve) => (wakeClaimer = resolve));
      const waitMs = Math.min(pollMs, await msUntilNextDue(jobIds));
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(waitMs, minWaitMs))));
      await Promise.race([woken, timeUp]);
      clearTimeout(timer);
      wakeClaimer = () => {};
      if (!notified) await reclaimExpiredLeases();
    }
    notified = false;
    return !signal.aborted;
  };

  // The outbox, handed to the active driver: on Inngest, events are relayed as they are
  // sent (sendEvent NOTIFYs "inngest"); on Postgres, events an earlier Inngest deploy never
  // relayed are adopted as runs. Also on a timer, as a safety net for missed notifications.
  const driver = activeDriver();
  let relaying: Promise<unknown> | undefined;
  const relayOutbox = () => {
    relaying ??= driver
      .deliverOutbox({ jobs })
      .then((outbox) => "adopted" in outbox && outbox.adopted > 0 && wake())
      .catch((error) => console.error(`[worker ${workerId}] relay failed; the events wait for the next pass`, error))
      .finally(() => (relaying = undefined));
  };
  // Cron slots, when Postgres owns the crons (on Inngest, Inngest does and none are created).
  // Each pass is one INSERT ... ON CONFLICT DO NOTHING, a no-op once the slot has its run,
  // so any number of workers (and Vercel Cron, if also configured) can do it at once.
  let schedulingCrons: Promise<unknown> | undefined;
  const createCronRuns = () => {
    schedulingCrons ??= driver
      .createDueCronRuns({ jobs })
      .then((created) => created.length > 0 && wake())
      .catch((error) =>
        console.error(`[worker ${workerId}] creating cron runs failed; trying again in ${pollMs} ms`, error),
      )
      .finally(() => (schedulingCrons = undefined));
  };
  // Retention, a few bounded batches per poll (lib/jobs/postgres/prune.ts).
  let pruning: Promise<unknown> | undefined;
  const pruneOld = () => {
    pruning ??= pruneFinishedWork({ timeCapMs: 2_000 })
      .catch((error) => console.error(`[worker ${workerId}] pruning failed; trying again in ${pollMs} ms`, error))
      .finally(() => (pruning = undefined));
  };
  const poll = () => {
    relayOutbox();
    createCronRuns();
    pruneOld();
  };
  const notifiedEvents = new NotifiedEvents();
  const dueWalk = new DueWalk();
  const listener = await sqlClient().listen(JOBS_CHANNEL, (payload) => {
    if (payload === "inngest") relayOutbox();
    else notifiedEvents.note(payload);
    wake();
  });
  await reclaimExpiredLeases();
  poll();
  const pollTimer = setInterval(poll, pollMs);
  options.onReady?.({ workerId, concurrency });

  // Every run this worker holds, by claim token: a stopping worker releases exactly these.
  const held = new Map<string, Lease>();
  const feed = new RunFeed({
    claim: async (limit) => {
      // The runs of events a NOTIFY named first, when idle (notified-events.ts); the next
      // claim takes whatever else is due, at once if flow control may hold some back.
      const eventIds = notifiedEvents.take();
      const notified =
        eventIds.length > 0
          ? await claimRunsOfEvents({ workerId, jobIds: scope.jobIds, eventIds, leaseMs, limit })
          : [];
      const runs =
        notified.length > 0 ? notified : await claimDueRuns({ workerId, scope, leaseMs, limit, walk: dueWalk });
      notifiedEvents.claimed(limit, runs.length);
      if (notified.length > 0 && hasFlowControl) wake();
      for (const run of runs) held.set(run.claimToken, leaseOf(run));
      return runs;
    },
    ...prefetchFor(concurrency, scope),
    // A run lost while it waited in the local queue is no longer this worker's to release.
    renew: renewQueuedRuns(leaseMs, (claimToken) => held.delete(claimToken)),
    waitForWork,
  });
  const runner = new LaneRunner({
    jobs,
    leaseMs,
    lanes: concurrency,
    feed,
    shouldStop: () => signal.aborted,
    stepTimeoutMs: () => stepTimeoutMs,
  });
  const lane = async () => {
    // A stopping worker's lanes stay until the runs paused between two steps are back (and released).
    for (;;) {
      try {
        const run = await runner.nextRun(() => signal.aborted);
        if (run === false) return;
        if (!run || signal.aborted) continue;
        await runner.run(run, (outcome) => {
          held.delete(run.claimToken);
          options.onRun?.({ runId: run.id, jobId: run.jobId, outcome });
        });
      } catch (error) {
        // A lost connection, say: report it, pause, and try again rather than dying quietly.
        console.error(`[worker ${workerId}] lane error; retrying in 1 s`, error);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  };

  const lanes = Promise.allSettled(Array.from({ length: concurrency }, lane)).then(() =>
    runner.idle().catch((error) => console.error(`[worker ${workerId}] a completion write failed`, error)),
  );
  await new Promise<void>((resolve) =>
    signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true }),
  );

  // Stopping: give steps in flight a grace period, then let go of whatever is still held
  // so no run stays locked until its lease expires.
  let graceTimer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<"grace-over">(
    (resolve) => (graceTimer = setTimeout(() => resolve("grace-over"), options.graceMs ?? 20_000)),
  );
  const finished = await Promise.race([lanes.then(() => "finished" as const), graceOver]);
  clearTimeout(graceTimer);
  clearInterval(pollTimer);
  // A claim still in flight adds its runs to `held` before they are released.
  await Promise.all([relaying, schedulingCrons, pruning, feed.close()]);
  const released = await releaseRuns([...held.values()]);
  await listener.unlisten();
  return { workerId, finished: finished === "finished", released };
}
