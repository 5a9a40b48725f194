import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { db, type Tx } from "@/lib/db/client";
import { jobSteps } from "@/lib/db/schema";
import { sendEvent } from "../send";
import type { JobList } from "../registry";
import type { Duration, EventInput, Jsonify, StepTools } from "../types";
import { durationToMs, toWakeTime } from "./duration";
import { serializeError } from "./errors";
import { LostRunSignal, ReleaseSignal, RunSignal, SleepSignal } from "./signals";
import { renewLease, type Lease } from "./transitions";

type Checkpoint = { status: "completed" | "sleeping"; output: unknown; wakeAt: Date | null };

export type StepRunnerOptions = {
  lease: Lease;
  attempt: number;
  jobs: JobList;
  clock: () => Date;
  leaseMs: number;
  /** True once the drain's budget is spent or the worker is stopping. */
  shouldStop: () => boolean;
};

/**
 * The Postgres driver's `step`: Inngest's replay model on plain tables. The handler
 * runs from the top on every attempt; a step with a checkpoint returns its stored
 * output without running, so only the steps that never finished run again.
 */
export class StepRunner {
  /** The first signal raised; the executor acts on it even if the handler caught it. */
  signal: RunSignal | undefined;
  private checkpoints = new Map<string, Checkpoint>();
  private seenIds = new Map<string, number>();

  constructor(private readonly options: StepRunnerOptions) {}

  async load() {
    const rows = await db
      .select({ stepId: jobSteps.stepId, status: jobSteps.status, output: jobSteps.output, wakeAt: jobSteps.wakeAt })
      .from(jobSteps)
      .where(and(eq(jobSteps.runId, this.options.lease.runId), ne(jobSteps.status, "failed")));
    for (const row of rows) this.checkpoints.set(row.stepId, { status: row.status as Checkpoint["status"], output: row.output, wakeAt: row.wakeAt });
  }

  readonly tools: StepTools = {
    // Stored JSON comes back as unknown; its type is Inngest's StepRunResult by construction.
    run: ((id: string, fn: () => unknown) => this.run(id, fn)) as StepTools["run"],
    sendEvent: (id, events) => this.sendEvent(id, events),
    sleep: (id, duration) => this.sleepUntil(id, () => new Date(this.options.clock().getTime() + durationToMs(duration as Duration))),
    sleepUntil: (id, time) => this.sleepUntil(id, () => toWakeTime(time)),
  };

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
    if (this.options.shouldStop()) this.raise(new ReleaseSignal());
    const held = await renewLease(this.options.lease, new Date(this.options.clock().getTime() + this.options.leaseMs));
    if (!held) this.raise(new LostRunSignal());
  }

  /**
   * Writes a checkpoint only while this worker still holds the run: FOR SHARE on the
   * run row blocks a concurrent cancel until the checkpoint commits, and a run that was
   * cancelled or taken over rolls the transaction back (so its step.sendEvent events
   * are never written twice).
   */
  private async checkpoint(stepId: string, op: "run" | "sendEvent" | "sleep", values: { output?: unknown; status?: "completed" | "sleeping"; wakeAt?: Date; startedAt: Date }, inTx?: (tx: Tx) => Promise<unknown>) {
    const { runId, workerId } = this.options.lease;
    return db.transaction(async (tx) => {
      const held = await tx.execute(sql`select 1 from job_runs where id = ${runId} and locked_by = ${workerId} and status = 'running' for share`);
      if (held.length === 0) this.raise(new LostRunSignal());
      const output = inTx ? await inTx(tx) : values.output;
      await tx.insert(jobSteps).values({
        runId,
        stepId,
        op,
        status: values.status ?? "completed",
        output: output === undefined ? null : output,
        attempt: this.options.attempt,
        wakeAt: values.wakeAt,
        startedAt: values.startedAt,
        finishedAt: values.status === "sleeping" ? null : new Date(),
      });
      return output;
    });
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
      output = JSON.parse(JSON.stringify((await fn()) ?? null)) as Jsonify<T>;
    } catch (error) {
      if (error instanceof RunSignal) throw error;
      await this.recordFailure(stepId, error, startedAt);
      throw error;
    }
    await this.checkpoint(stepId, "run", { output, startedAt });
    return output;
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
      await db.update(jobSteps).set({ status: "completed", finishedAt: new Date() }).where(and(eq(jobSteps.runId, this.options.lease.runId), eq(jobSteps.stepId, stepId), eq(jobSteps.status, "sleeping")));
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
      attempt: this.options.attempt,
      startedAt,
      finishedAt: new Date(),
    });
  }
}
