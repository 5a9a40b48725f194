import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { db, type Tx } from "@/lib/db/client";
import { jobSteps } from "@/lib/db/schema";
import { sendEvent } from "../send";
import type { JobList } from "../registry";
import type { Duration, EventInput, Jsonify, StepTools } from "../types";
import { durationToMs, toWakeTime } from "./duration";
import { serializeError, StepTimeoutError } from "./errors";
import { LostRunSignal, ReleaseSignal, RestartSignal, RunSignal, SleepSignal } from "./signals";
import { renewLease, resetAttempt, type Lease } from "./transitions";

type Checkpoint = { status: "completed" | "sleeping"; output: unknown; wakeAt: Date | null };

export type StepRunnerOptions = {
  lease: Lease;
  /** The run's attempt when it was claimed: failures of the step it stopped at. */
  attempt: number;
  jobs: JobList;
  clock: () => Date;
  leaseMs: number;
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
  /** 0 on a step's first try; back to 0 whenever a new checkpoint is written. */
  attempt: number;
  private checkpoints = new Map<string, Checkpoint>();
  private seenIds = new Map<string, number>();
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

  readonly tools: StepTools = {
    // Stored JSON comes back as unknown; its type is Inngest's StepRunResult by construction.
    run: ((id: string, fn: () => unknown) => this.track(this.run(id, fn))) as StepTools["run"],
    sendEvent: (id, events) => this.track(this.sendEvent(id, events)),
    sleep: (id, duration) =>
      this.track(
        this.sleepUntil(id, () => new Date(this.options.clock().getTime() + durationToMs(duration as Duration))),
      ),
    sleepUntil: (id, time) => this.track(this.sleepUntil(id, () => toWakeTime(time))),
  };

  private track<T>(step: Promise<T>): Promise<T> {
    this.inFlight.add(step);
    const untrack = () => this.inFlight.delete(step);
    step.then(untrack, untrack);
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

  /** Checked before starting any step: the budget, then (in one query) cancellation and lease. */
  private async beforeStep() {
    if (this.signal) throw this.signal;
    if (this.timedOut) throw this.timedOut;
    if (this.options.shouldStop()) this.raise(new ReleaseSignal());
    const held = await renewLease(this.options.lease, new Date(this.options.clock().getTime() + this.options.leaseMs));
    if (!held) this.raise(new LostRunSignal());
  }

  /**
   * Writes a checkpoint only while this worker still holds the run: FOR SHARE on the
   * run row blocks a concurrent cancel until the checkpoint commits, and a run that was
   * cancelled or taken over rolls the transaction back (so its step.sendEvent events
   * are never written twice). A new checkpoint after failed tries also resets the run's
   * attempt count (that update locks the row just as FOR SHARE would), and then raises
   * RestartSignal so the rest of the handler runs with attempt 0.
   */
  private async checkpoint(
    stepId: string,
    op: "run" | "sendEvent" | "sleep",
    values: { output?: unknown; status?: "completed" | "sleeping"; wakeAt?: Date; startedAt: Date },
    inTx?: (tx: Tx) => Promise<unknown>,
  ) {
    const { runId, workerId } = this.options.lease;
    const status = values.status ?? "completed";
    const output = await db.transaction(async (tx) => {
      const held =
        this.attempt > 0
          ? await resetAttempt(this.options.lease, tx)
          : (
              await tx.execute(
                sql`select 1 from job_runs where id = ${runId} and locked_by = ${workerId} and status = 'running' for share`,
              )
            ).length === 1;
      if (!held) this.raise(new LostRunSignal());
      const output = inTx ? await inTx(tx) : values.output;
      await tx.insert(jobSteps).values({
        runId,
        stepId,
        op,
        status,
        output: output === undefined ? null : output,
        attempt: this.attempt,
        wakeAt: values.wakeAt,
        startedAt: values.startedAt,
        finishedAt: status === "sleeping" ? null : new Date(),
      });
      return output;
    });
    this.checkpoints.set(stepId, { status, output: output ?? null, wakeAt: values.wakeAt ?? null });
    if (this.attempt > 0) {
      this.attempt = 0;
      // A sleep parks the run right after this; it is claimed again with attempt 0.
      if (status === "completed") this.raise(new RestartSignal());
    }
    return output;
  }

  private async run<T>(rawId: string, fn: () => Promise<T> | T): Promise<Jsonify<T>> {
    const stepId = this.uniqueId(rawId);
    const stored = this.checkpoints.get(stepId);
    if (stored?.status === "completed") return stored.output as Jsonify<T>;
    await this.beforeStep();
    const startedAt = new Date();
    let output: Jsonify<T>;
    try {
      // JSON round trip now, so the first attempt sees exactly what a replay will.
      output = JSON.parse(JSON.stringify((await this.settleWithin(stepId, fn)) ?? null)) as Jsonify<T>;
    } catch (error) {
      if (error instanceof RunSignal) throw error;
      await this.recordFailure(stepId, error, startedAt);
      throw error;
    }
    await this.checkpoint(stepId, "run", { output, startedAt });
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
    const timeoutMs = Math.max(0, this.options.stepTimeoutMs());
    const running = (async () => fn())();
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
    await this.beforeStep();
    const list = (Array.isArray(input) ? input : [input]).map((event, index) => ({
      ...event,
      // Deterministic ids: the step commits with its events, and Inngest dedupes on id too.
      id: event.id ?? `${this.options.lease.runId}:${stepId}:${index}`,
    })) as EventInput[];
    const output = await this.checkpoint(stepId, "sendEvent", { startedAt: new Date() }, async (tx) => {
      const sent = await sendEvent(list, { tx, jobs: this.options.jobs });
      return { ids: sent.map((event) => event.id) };
    });
    return output as { ids: string[] };
  }

  private async sleepUntil(rawId: string, wakeTime: () => Date) {
    const stepId = this.uniqueId(rawId);
    const stored = this.checkpoints.get(stepId);
    if (stored?.status === "completed") return;
    const now = this.options.clock();
    if (stored?.status === "sleeping") {
      if (stored.wakeAt && stored.wakeAt > now) this.raise(new SleepSignal(stored.wakeAt));
      await this.beforeStep();
      await db
        .update(jobSteps)
        .set({ status: "completed", finishedAt: new Date() })
        .where(
          and(
            eq(jobSteps.runId, this.options.lease.runId),
            eq(jobSteps.stepId, stepId),
            eq(jobSteps.status, "sleeping"),
          ),
        );
      return;
    }
    const wakeAt = wakeTime();
    await this.beforeStep();
    if (wakeAt <= now) {
      await this.checkpoint(stepId, "sleep", { wakeAt, startedAt: new Date() });
      return;
    }
    await this.checkpoint(stepId, "sleep", { status: "sleeping", wakeAt, startedAt: new Date() });
    this.raise(new SleepSignal(wakeAt));
  }

  /** A failed step keeps its own row (its history); the checkpoint index ignores failed rows. */
  private async recordFailure(stepId: string, error: unknown, startedAt: Date) {
    await db.insert(jobSteps).values({
      runId: this.options.lease.runId,
      stepId,
      op: "run",
      status: "failed",
      error: serializeError(error),
      attempt: this.attempt,
      startedAt,
      finishedAt: new Date(),
    });
  }
}
