import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { jobEvents, jobRuns } from "@/lib/db/schema";
import { cronExpressionOfSlot } from "../cron-schedule";
import { findJob, ON_FAILURE_SUFFIX, type JobList } from "../registry";
import { DEFAULT_RETRIES, type EventPayload, type JobContext, type JobDefinition, type JobLogger } from "../types";
import { retryDelayMs } from "./backoff";
import type { StepCheckpoint } from "./checkpoints";
import { LEASE_EXPIRED_ERROR, type ClaimedRun } from "./claim";
import { deserializeError, isNonRetriable, serializeError } from "./errors";
import { LostRunSignal, ReleaseSignal, RestartSignal, SleepSignal } from "./signals";
import { StepRunner } from "./step-tools";
import { leaseOf, type Lease } from "./lease";
import { failRun, parkRun, releaseRun, renewLease, scheduleRetry } from "./transitions";

export type RunOutcome = "completed" | "retried" | "failed" | "sleeping" | "released" | "cancelled";

export type ExecuteOptions = {
  jobs: JobList;
  leaseMs: number;
  /**
   * Completes the run (batched with other lanes' completions) and writes the checkpoints
   * of its last steps with it; false when it was no longer held.
   */
  complete: (lease: Lease, output: unknown, steps: StepCheckpoint[]) => Promise<boolean>;
  /** Checkpoints a finished `step.run` (batched with other lanes' checkpoints); false when the run was lost. */
  checkpointRun: (step: StepCheckpoint) => Promise<boolean>;
  /** The lane running the run (lanes.ts); without one, the run keeps its caller waiting throughout. */
  lane?: RunLane;
  shouldStop: () => boolean;
  /** How long a `step.run` starting now may take (see StepRunner). */
  stepTimeoutMs: () => number;
  random?: () => number;
};

/** What a run tells the lane running it. */
export type RunLane = {
  /**
   * Gives the lane up while `waiting` settles (the checkpoints a step waits for), then waits
   * for a lane again before the run goes on.
   */
  pause<T>(waiting: Promise<T>): Promise<T>;
  /**
   * The handler is done and only the batched completion write remains: the lane may start
   * its next run meanwhile (the outcome still waits for the write).
   */
  handlerDone(): void;
};

/** Runs one claimed run until it completes, fails, sleeps, is released or is lost. */
export async function executeRun(run: ClaimedRun, options: ExecuteOptions): Promise<RunOutcome> {
  const lease = leaseOf(run);
  const { job, isOnFailure } = findJob(options.jobs, run.jobId);
  const failure = { run, lease, job, isOnFailure };

  // A reclaimed lease already counted as a failed attempt; past the last one, stop here.
  if (run.error?.name === LEASE_EXPIRED_ERROR && run.attempt >= run.maxAttempts) {
    return settled(await fail(failure, deserializeError(run.error), false), "failed");
  }

  const runner = new StepRunner({
    lease,
    attempt: run.attempt,
    claimedAt: run.claimedAt,
    jobs: options.jobs,
    leaseMs: options.leaseMs,
    checkpointRun: options.checkpointRun,
    lane: options.lane,
    shouldStop: options.shouldStop,
    stepTimeoutMs: options.stepTimeoutMs,
  });
  // Keeps the lease alive while one long step runs (steps also renew it as they start).
  // A renewal that matches nothing marks the run lost, so no further step starts; a missed
  // beat is harmless, since every fenced write reports a lost run. After a step timed out
  // it stops: should the handler hang anyway, the lease lapses and the run is taken over
  // (counting the attempt) instead of being held forever.
  const heartbeat = setInterval(
    () => {
      if (runner.timedOut) return clearInterval(heartbeat);
      renewLease(lease, options.leaseMs).then(
        (held) => {
          if (!held) runner.lost = true;
        },
        (error) => console.warn(`[jobs] lease heartbeat for run ${run.id} failed`, error),
      );
    },
    Math.max(1_000, options.leaseMs / 3),
  );
  heartbeat.unref();

  try {
    if (!run.firstClaim) await runner.load();
    const event = await eventFor(run, job, isOnFailure);
    let output: unknown;
    let thrown: unknown;
    // At most two passes: a step that succeeds on a retry resets the attempt count and
    // restarts the handler with attempt 0 (RestartSignal); from then on nothing restarts.
    for (;;) {
      const attempt = runner.attempt;
      let logger: JobLogger | undefined;
      const context = {
        event,
        step: runner.tools,
        runId: run.id,
        attempt,
        // Made when a handler first asks for it: most never do.
        get logger() {
          return (logger ??= loggerFor(run, attempt));
        },
      };
      output = thrown = undefined;
      try {
        output = isOnFailure
          ? await job.options.onFailure!({
              ...(context as JobContext<never>),
              error: deserializeError((event.data as { error: never }).error),
            })
          : await job.handler(context as JobContext<never>);
      } catch (error) {
        thrown = error;
      }
      if (!(runner.signal instanceof RestartSignal)) break;
      await runner.restart();
    }
    const signal = runner.signal;
    if (signal instanceof LostRunSignal) return "cancelled";
    // A timed-out step fails the attempt even if the handler caught its error.
    if (!signal && runner.timedOut) thrown = runner.timedOut;
    if (!signal && thrown === undefined) {
      // The completion also writes the checkpoints of the last steps (StepRunner.run).
      const steps = await runner.takeUnwritten();
      const completing = options.complete(lease, JSON.parse(JSON.stringify(output ?? null)), steps);
      clearInterval(heartbeat);
      options.lane?.handlerDone();
      return settled(await completing, "completed");
    }
    // Whatever the run does next is written after the checkpoints of the steps that finished.
    if (!(await runner.flush())) return "cancelled";
    if (signal instanceof SleepSignal) return settled(await parkRun(lease, signal.wakeAt), "sleeping");
    if (signal instanceof ReleaseSignal) return settled(await releaseRun(lease), "released");

    // Failures of the current step only: a new checkpoint reset the count (runner.attempt).
    const failedAttempts = runner.attempt + 1;
    if (isNonRetriable(thrown) || failedAttempts >= run.maxAttempts)
      return settled(await fail(failure, thrown, true), "failed");
    const delayMs = retryDelayMs(failedAttempts, options.random);
    return settled(await scheduleRetry(lease, serializeError(thrown), delayMs), "retried");
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Module-level rather than closures of executeRun: the worker runs under tsx, whose esbuild
 * wraps every arrow assigned to a name in a defineProperty call (to keep its name), and
 * executeRun runs once per run.
 */
function settled(held: boolean, outcome: RunOutcome): RunOutcome {
  // A fenced write that matched nothing: the run was cancelled (or its lease expired and
  // another claim owns it now). Either way this lane's result is void.
  return held ? outcome : "cancelled";
}

/** The dead-letter write of a run that failed for good (see failRun). */
function fail(
  { run, lease, job, isOnFailure }: { run: ClaimedRun; lease: Lease; job: JobDefinition; isOnFailure: boolean },
  error: unknown,
  countAttempt: boolean,
) {
  return failRun(lease, {
    error: serializeError(error),
    countAttempt,
    run,
    // An onFailure handler that fails itself is not followed by another one.
    onFailure: job.options.onFailure && !isOnFailure ? { maxAttempts: maxAttemptsOf(job) } : undefined,
  });
}

export function maxAttemptsOf(job: JobDefinition) {
  return (job.options.retries ?? DEFAULT_RETRIES) + 1;
}

/** The event a handler sees, in Inngest's shape; cron runs get the scheduled-timer event. */
async function eventFor(run: ClaimedRun, job: JobDefinition, isOnFailure: boolean): Promise<EventPayload> {
  if (isOnFailure) return failureEventFor(run);
  if (run.event) return { id: run.event.id, name: run.event.name, data: run.event.data, ts: run.event.ts.getTime() };
  if (run.cronSlot) return cronEvent(job.options.id, run.cronSlot, cronExpressionOfSlot(job, run.cronSlot));
  throw new Error(`Run ${run.id} has neither an event nor a cron slot`);
}

function cronEvent(jobId: string, slot: Date, cron: string): EventPayload {
  return {
    id: `cron:${jobId}:${slot.toISOString()}`,
    name: "inngest/scheduled.timer",
    data: { cron },
    ts: slot.getTime(),
  };
}

/**
 * `inngest/function.failed`, as Inngest gives onFailure: the error of the run that
 * failed and the event that started it. Replays of an onFailure run point at it, so
 * follow parents until the run that actually failed.
 */
async function failureEventFor(run: ClaimedRun): Promise<EventPayload> {
  let parentId = run.parentRunId;
  for (let depth = 0; parentId && depth < 10; depth++) {
    const [parent] = await db.select().from(jobRuns).where(eq(jobRuns.id, parentId));
    if (!parent) break;
    if (!parent.jobId.endsWith(ON_FAILURE_SUFFIX)) {
      const [source] = parent.eventId ? await db.select().from(jobEvents).where(eq(jobEvents.id, parent.eventId)) : [];
      const originalEvent = source
        ? { id: source.id, name: source.name, data: source.data, ts: source.ts.getTime() }
        : cronEvent(parent.jobId, parent.cronSlot ?? new Date(0), "");
      return {
        id: `${parent.id}:failed`,
        name: "inngest/function.failed",
        data: {
          error: parent.error ?? { name: "Error", message: "unknown error" },
          event: originalEvent,
          function_id: parent.jobId,
          run_id: parent.id,
        },
        ts: (parent.finishedAt ?? new Date()).getTime(),
      };
    }
    parentId = parent.parentRunId;
  }
  throw new Error(`onFailure run ${run.id} has no failed run to report`);
}

function loggerFor(run: ClaimedRun, attempt: number): JobLogger {
  const prefix = `[job ${run.jobId} run ${run.id} attempt ${attempt}]`;
  return {
    info: (...args) => console.info(prefix, ...args),
    warn: (...args) => console.warn(prefix, ...args),
    error: (...args) => console.error(prefix, ...args),
    debug: (...args) => (process.env.SLOTLINE_DEBUG_JOBS ? console.debug(prefix, ...args) : undefined),
  };
}
