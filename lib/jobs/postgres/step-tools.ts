import "server-only";
import { and, eq, ne, sql, type SQL } from "drizzle-orm";
import { db, type Executor } from "@/lib/db/client";
import { jobSteps } from "@/lib/db/schema";
import { sendEvent } from "../send";
import type { JobList } from "../registry";
import type { Duration, EventInput, Jsonify, StepTools } from "../types";
import { writeStepCheckpoint, type CheckpointStatus, type StepCheckpoint } from "./checkpoints";
import { durationToMs, toWakeTime } from "./duration";
import { serializeError, StepTimeoutError } from "./errors";
import { LostRunSignal, ReleaseSignal, RestartSignal, RunSignal, SleepSignal } from "./signals";
import { runStatement } from "./statement";
import { heldBy, type Lease } from "./lease";
import type { RunLane } from "./execute";

type Checkpoint = { status: CheckpointStatus; output: unknown; wakeAt: Date | null };

const isThenable = <T>(value: Promise<T> | T): value is Promise<T> =>
  typeof (value as { then?: unknown } | null)?.then === "function";

export type StepRunnerOptions = {
  lease: Lease;
  /** The run's attempt when it was claimed: failures of the step it stopped at. */
  attempt: number;
  /** The database clock at the claim: a stored sleep that ends later parks the run again. */
  claimedAt: Date;
  jobs: JobList;
  leaseMs: number;
  /** Writes a `step.run` checkpoint (lib/jobs/postgres/checkpoints.ts); false when the run was lost. */
  checkpointRun: (step: StepCheckpoint) => Promise<boolean>;
  /** The run's lane, given up while a step waits for the checkpoints before it (lanes.ts). */
  lane?: Pick<RunLane, "pause">;
  /** True once the drain's budget is spent or the worker is stopping. */
  shouldStop: () => boolean;
  /** How long a `step.run` starting now may take before it fails with StepTimeoutError. */
  stepTimeoutMs: () => number;
};

/**
 * The Postgres driver's `step`: Inngest's replay model on plain tables. The handler
 * runs from the top on every attempt; a step with a checkpoint returns its stored
 * output without running, so only the steps that never finished run again.
 */
export class StepRunner {
  /** The first signal raised; the executor acts on it even if the handler caught it. */
  signal: RunSignal | undefined;
  /**
   * Set once a step timed out. It ends the attempt even if the handler catches it (the
   * step's fn may still be running), and the executor stops renewing the lease.
   */
  timedOut: StepTimeoutError | undefined;
  /** Set when a lease renewal matched nothing: no further step starts. */
  lost = false;
  /** 0 on a step's first try; back to 0 whenever a new checkpoint is written. */
  attempt: number;
  private checkpoints = new Map<string, Checkpoint>();
  private seenIds = new Map<string, number>();
  /** Finished `step.run`s whose checkpoints are not written yet (see `run`). */
  private unwritten: StepCheckpoint[] = [];
  /** Every checkpoint write started so far: false once one found the run lost. */
  private flushing = Promise.resolve(true);
  /** Flushes not answered yet: a step that starts now waits for them without its lane. */
  private unansweredFlushes = 0;
  /** Step calls not yet settled (more than one when a handler runs steps in parallel). */
  private inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: StepRunnerOptions) {
    this.attempt = options.attempt;
  }

  /** Before the handler runs again after a RestartSignal: step ids count from the top. */
  async restart() {
    if (!(this.signal instanceof RestartSignal)) throw new Error("restart() follows a RestartSignal only");
    await this.idle();
    this.signal = undefined;
    this.seenIds.clear();
  }

  /** Reads the run's checkpoints (the executor skips this on a run's first claim: there are none). */
  async load() {
    const rows = await db
      .select({ stepId: jobSteps.stepId, status: jobSteps.status, output: jobSteps.output, wakeAt: jobSteps.wakeAt })
      .from(jobSteps)
      .where(and(eq(jobSteps.runId, this.options.lease.runId), ne(jobSteps.status, "failed")));
    for (const row of rows)
      this.checkpoints.set(row.stepId, {
        status: row.status as Checkpoint["status"],
        output: row.output,
        wakeAt: row.wakeAt,
      });
  }

  /**
   * The handler's `step`. Method shorthand rather than arrow functions: the worker runs
   * under tsx, whose esbuild keeps function names by wrapping every arrow assigned to a
   * name in a defineProperty call, and these are made for every run. They still work
   * destructured (`const { run } = step`), as Inngest's do.
   */
  readonly tools: StepTools = StepRunner.toolsOf(this);

  private static toolsOf(runner: StepRunner): StepTools {
    const tools: Omit<StepTools, "run"> & { run(id: string, fn: () => unknown): Promise<unknown> } = {
      run(id, fn) {
        return runner.track(runner.run(id, fn));
      },
      sendEvent(id, events) {
        return runner.track(runner.sendEvent(id, events));
      },
      sleep(id, duration) {
        return runner.track(
          runner.sleepUntil(
            id,
            () => sql`slotline_now() + ${durationToMs(duration as Duration)} * interval '1 millisecond'`,
          ),
        );
      },
      sleepUntil(id, time) {
        return runner.track(runner.sleepUntil(id, () => sql`${toWakeTime(time).toISOString()}::timestamptz`));
      },
    };
    // Stored JSON comes back as unknown; its type is Inngest's StepRunResult by construction.
    return tools as StepTools;
  }

  private track<T>(step: Promise<T>): Promise<T> {
    this.inFlight.add(step);
    step.then(
      () => this.inFlight.delete(step),
      () => this.inFlight.delete(step),
    );
    return step;
  }

  /**
   * Waits for steps still running in parallel (Promise.all over steps) to settle, so a
   * restarted handler replays their checkpoints instead of running them a second time.
   * Bounded: a step.run settles by its timeout at the latest.
   */
  private async idle() {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private raise(signal: RunSignal): never {
    this.signal ??= signal;
    throw this.signal;
  }

  /** Inngest's rule for a repeated id in one run: the second use becomes `id:1`, and so on. */
  private uniqueId(id: string) {
    const seen = this.seenIds.get(id) ?? 0;
    this.seenIds.set(id, seen + 1);
    return seen === 0 ? id : `${id}:${seen}`;
  }

  /** Checked before starting any step: an earlier signal, the budget, a lost lease. No query. */
  private beforeStep() {
    if (this.signal) throw this.signal;
    if (this.timedOut) throw this.timedOut;
    if (this.options.shouldStop()) this.raise(new ReleaseSignal());
    if (this.lost) this.raise(new LostRunSignal());
  }

  /**
   * Writes the checkpoints of finished `step.run`s not written yet (see `run`); false when
   * the run was lost meanwhile. Every step calls it before it starts, and the executor
   * before the run fails, retries, sleeps or is released.
   */
  flush(): Promise<boolean> {
    const steps = this.unwritten.splice(0);
    if (steps.length === 0) return this.flushing;
    const writing = Promise.all(steps.map((step) => this.options.checkpointRun(step)));
    // Also waits for writes already in flight: two steps started together (Promise.all)
    // both wait for the checkpoints of the steps before them, not only the first to ask.
    this.unansweredFlushes++;
    this.flushing = Promise.all([this.flushing, writing]).then(
      ([before, written]) => {
        this.unansweredFlushes--;
        return before && written.every(Boolean);
      },
      (error: unknown) => {
        this.unansweredFlushes--;
        throw error;
      },
    );
    return this.flushing;
  }

  /** The checkpoints not written yet, for the run's completion to write with it (after any write in flight). */
  async takeUnwritten(): Promise<StepCheckpoint[]> {
    await this.flushing;
    return this.unwritten.splice(0);
  }

  /** Before a step starts: the checks of beforeStep, then the checkpoints of steps before it. */
  private async beforeStepStarts() {
    this.beforeStep();
    const { lane } = this.options;
    const written = this.flush();
    // Any step waiting on a write leaves the lane, not only the one that started it: steps
    // started together (Promise.all) go on together once the run has a lane again.
    if (lane && this.unansweredFlushes > 0) {
      // Another run uses the lane while this one's checkpoints are written; by the time it
      // has a lane again, the worker may be stopping or the run lost: check again.
      if (!(await lane.pause(written))) this.raise(new LostRunSignal());
      this.beforeStep();
    } else if (!(await written)) this.raise(new LostRunSignal());
  }

  /**
   * Checkpoints `step.sleep` and `step.sendEvent` (writeStepCheckpoint); a `step.run`
   * goes through the lanes' group commit instead (options.checkpointRun).
   */
  private async checkpoint(
    stepId: string,
    op: "sendEvent" | "sleep",
    values: { output?: unknown; durationMs: number; wakeAt?: SQL },
    executor?: Executor,
  ): Promise<{ status: CheckpointStatus; wakeAt: Date | null }> {
    const { lease, leaseMs } = this.options;
    const step = {
      lease,
      stepId,
      op,
      attempt: this.attempt,
      ...values,
      output: values.output ?? null,
      finishedAt: performance.now(),
    };
    const checkpoint = await writeStepCheckpoint(step, leaseMs, executor);
    if (!checkpoint) this.raise(new LostRunSignal());
    this.checkpointed(stepId, { ...checkpoint, output: values.output ?? null });
    return checkpoint;
  }

  /** A checkpoint is written: remember it, and restart the handler if it ends a streak of failures. */
  private checkpointed(stepId: string, checkpoint: Checkpoint) {
    this.checkpoints.set(stepId, checkpoint);
    if (this.attempt > 0) {
      this.attempt = 0;
      // A sleep parks the run right after this; it is claimed again with attempt 0.
      if (checkpoint.status === "completed") this.raise(new RestartSignal());
    }
  }

  /**
   * A `step.run`. Its checkpoint is written before anything else the run does next: the
   * next step's start, or the executor's failure, retry, sleep or release. After the last
   * step that is the run's completion, which writes it in the same statement (so a run of
   * n steps costs n - 1 checkpoint statements plus its share of a batched completion).
   * Until then only the handler's own code runs, which a retry runs again anyway. A step
   * that finishes while other steps still run (Promise.all) is checkpointed at once, and so
   * is one that succeeds after failed attempts: it resets the attempt count and restarts
   * the handler (RestartSignal).
   */
  private async run<T>(rawId: string, fn: () => Promise<T> | T): Promise<Jsonify<T>> {
    const stepId = this.uniqueId(rawId);
    const stored = this.checkpoints.get(stepId);
    if (stored?.status === "completed") return stored.output as Jsonify<T>;
    await this.beforeStepStarts();
    const started = performance.now();
    let output: Jsonify<T>;
    try {
      // JSON round trip now, so the first attempt sees exactly what a replay will.
      output = JSON.parse(JSON.stringify((await this.settleWithin(stepId, fn)) ?? null)) as Jsonify<T>;
    } catch (error) {
      if (error instanceof RunSignal) throw error;
      await this.recordFailure(stepId, error, performance.now() - started);
      throw error;
    }
    const finishedAt = performance.now();
    const { lease } = this.options;
    this.unwritten.push({ lease, stepId, output, attempt: this.attempt, durationMs: finishedAt - started, finishedAt });
    // Written at once when other steps are still running (their side effects come next), or
    // when it ends a streak of failures.
    if ((this.attempt > 0 || this.inFlight.size > 1) && !(await this.flush())) this.raise(new LostRunSignal());
    this.checkpointed(stepId, { status: "completed", output, wakeAt: null });
    return output;
  }

  /**
   * Races the step's fn against its deadline (the drain's budget end plus a grace, or
   * the worker's step timeout), so a hung call (an HTTP request with no timeout) cannot
   * hold a lane or outlive the function. JavaScript cannot stop the fn: it keeps running
   * in the background and its late result is dropped. That is acceptable because step
   * side effects carry idempotency keys (unique keys in Postgres, Resend's
   * Idempotency-Key), so the retry that runs the step again cannot repeat them.
   */
  private async settleWithin<T>(stepId: string, fn: () => Promise<T> | T): Promise<T> {
    const result = fn();
    // A fn that returned without a promise is done: no deadline can change its outcome.
    if (!isThenable(result)) return result;
    const timeoutMs = Math.max(0, this.options.stepTimeoutMs());
    const running = Promise.resolve(result);
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject((this.timedOut ??= new StepTimeoutError(stepId, timeoutMs)));
      }, timeoutMs);
    });
    try {
      return await Promise.race([running, deadline]);
    } finally {
      clearTimeout(timer);
      if (timedOut) {
        running.then(
          () =>
            console.warn(
              `[jobs] step "${stepId}" of run ${this.options.lease.runId} finished after its timeout; its result was dropped`,
            ),
          (error) =>
            console.warn(`[jobs] step "${stepId}" of run ${this.options.lease.runId} failed after its timeout`, error),
        );
      }
    }
  }

  private async sendEvent(rawId: string, input: EventInput | EventInput[]) {
    const stepId = this.uniqueId(rawId);
    const stored = this.checkpoints.get(stepId);
    if (stored?.status === "completed") return stored.output as { ids: string[] };
    await this.beforeStepStarts();
    const started = performance.now();
    const list = (Array.isArray(input) ? input : [input]).map((event, index) => ({
      ...event,
      // Deterministic ids: the step commits with its events, and Inngest dedupes on id too.
      id: event.id ?? `${this.options.lease.runId}:${stepId}:${index}`,
    })) as EventInput[];
    // The events and the checkpoint commit together; a lost run rolls both back, so the
    // events are never written twice.
    return db.transaction(async (tx) => {
      const sent = await sendEvent(list, { tx, jobs: this.options.jobs });
      const output = { ids: sent.map((event) => event.id) };
      await this.checkpoint(stepId, "sendEvent", { output, durationMs: performance.now() - started }, tx);
      return output;
    });
  }

  private async sleepUntil(rawId: string, wakeAt: () => SQL) {
    const stepId = this.uniqueId(rawId);
    const stored = this.checkpoints.get(stepId);
    if (stored?.status === "completed") return;
    if (stored?.status === "sleeping") {
      if (stored.wakeAt && stored.wakeAt > this.options.claimedAt) this.raise(new SleepSignal(stored.wakeAt));
      await this.beforeStepStarts();
      await this.wake(stepId);
      return;
    }
    await this.beforeStepStarts();
    const checkpoint = await this.checkpoint(stepId, "sleep", { durationMs: 0, wakeAt: wakeAt() });
    if (checkpoint.status === "sleeping") this.raise(new SleepSignal(checkpoint.wakeAt!));
  }

  /** The sleep is over: its checkpoint becomes completed, fenced on this claim like any write. */
  private async wake(stepId: string) {
    const rows = await runStatement<{ id: number }>(sql`
      update job_steps as step
      set status = 'completed', finished_at = now()
      from job_runs
      where ${heldBy(this.options.lease)}
        and step.run_id = job_runs.id and step.step_id = ${stepId} and step.status = 'sleeping'
      returning step.id
    `);
    if (rows.length === 0) this.raise(new LostRunSignal());
    this.checkpoints.set(stepId, { status: "completed", output: null, wakeAt: null });
  }

  /**
   * A failed step keeps its own row (its history); the checkpoint index ignores failed
   * rows. Fenced like a checkpoint: a lane that lost the run records nothing and stops.
   * The run's key lock keeps it from being deleted before the row commits (job_steps has
   * no foreign key, drizzle/0027).
   */
  private async recordFailure(stepId: string, error: unknown, durationMs: number) {
    const rows = await runStatement<{ id: number }>(sql`
      insert into job_steps (run_id, step_id, op, status, error, attempt, started_at, finished_at)
      select id, ${stepId}, 'run', 'failed', ${JSON.stringify(serializeError(error))}::jsonb, ${this.attempt},
             now() - ${Math.round(durationMs)} * interval '1 millisecond', now()
      from job_runs
      where ${heldBy(this.options.lease)}
      for key share
      returning id
    `);
    if (rows.length === 0) this.raise(new LostRunSignal());
  }
}
