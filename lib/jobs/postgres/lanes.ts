import "server-only";
import type { ClaimedRun } from "./claim";
import { writeStepCheckpoints, type StepCheckpoint } from "./checkpoints";
import { executeRun, type ExecuteOptions, type RunLane, type RunOutcome } from "./execute";
import type { RunFeed } from "./feed";
import { GroupCommit } from "./group-commit";
import { completeRuns } from "./transitions";

/**
 * Runs a worker or drain holds at once, per lane: the one a lane executes, and runs paused
 * between two steps while their checkpoints are written (which hold no lane). Lanes bound
 * the code executing at once, as Inngest's concurrency bounds steps executing rather than
 * runs in progress; this bounds the runs held (leased, in memory) behind them.
 *
 * Sixteen, measured (docs/benchmarks.md): when steps are quick, every held run waits on the
 * same checkpoint statement, so the runs held set how many steps each statement carries;
 * 10 lanes drained 3-step runs at 6,500 to 6,800 runs/s holding 4 each, 7,400 to 9,900
 * holding 16. When steps wait on I/O, lanes take paused runs back before new ones, and
 * about 15 runs were held on average whatever the bound: with steps of 2 ms and of 20 ms,
 * 4 and 16 gave the same throughput and the same median time per run. The bound is checked
 * before a lane asks the feed for a run, so lanes asking at once may pass it by a run each.
 */
export const RUNS_HELD_PER_LANE = 16;

export type LaneRunnerOptions = Omit<ExecuteOptions, "complete" | "checkpointRun" | "lane"> & {
  lanes: number;
  /** Where lanes take new runs; a lane waiting there is woken when a paused run is ready to go on. */
  feed: Pick<RunFeed, "next" | "closed" | "wakeOne">;
};

const nothing = () => undefined;

/**
 * Runs claimed runs in lanes. A lane is busy only while a run's own code executes:
 *
 * - When a handler is done, the lane is free at once; the run's batched completion write
 *   finishes in the background and `settled` reports the final outcome.
 * - When a step must wait for the checkpoints of the steps before it (they are durable
 *   before it starts), the run leaves its lane, which runs another run meanwhile. Once
 *   written, the run waits for a lane again, ahead of new runs (`resumeNext`).
 *
 * The lanes share their writes by group commit: `step.run` checkpoints in one statement,
 * and completions in another, so runs paused together are written together.
 */
export class LaneRunner {
  private readonly completions = new GroupCommit(async (runs: Parameters<typeof completeRuns>[0]) => {
    const held = await completeRuns(runs);
    return runs.map((run) => held.has(run.lease.runId));
  });
  private readonly checkpoints = new GroupCommit((steps: StepCheckpoint[]) =>
    writeStepCheckpoints(steps, this.executeOptions.leaseMs),
  );
  private readonly settling = new Set<Promise<unknown>>();
  /** Errors of completion writes that failed after their lane had moved on. */
  private readonly failures: unknown[] = [];
  /** What every run executes with, made once (see execute.ts on closures made per run). */
  private readonly executeOptions: Omit<ExecuteOptions, "lane">;
  private readonly feed: LaneRunnerOptions["feed"];
  private readonly maxHeld: number;
  /** Paused runs whose checkpoints are written, in the order they became ready. */
  private readonly ready: LaneTurn[] = [];
  /** Lanes in `waitForTurn`. */
  private readonly waiting: (() => void)[] = [];
  /** Callers of `nextHandlerDone`. */
  private readonly watching: (() => void)[] = [];
  /** Runs started whose handlers are not done, on a lane or paused. */
  held = 0;
  /** Of those, the runs off their lane: waiting for checkpoints, or for a lane again. */
  paused = 0;

  constructor({ lanes, feed, ...options }: LaneRunnerOptions) {
    this.feed = feed;
    this.maxHeld = lanes * RUNS_HELD_PER_LANE;
    this.executeOptions = {
      ...options,
      complete: (lease, output, steps) => this.completions.add({ lease, output, steps }),
      checkpointRun: (step) => this.checkpoints.add(step),
    };
  }

  /** Whether a lane may start a new run: fewer than RUNS_HELD_PER_LANE per lane are held. */
  get mayStart() {
    return this.held < this.maxHeld;
  }

  /** Starts `run` in this lane; resolves when it leaves the lane (paused, or its handler done). */
  async run(run: ClaimedRun, settled: (outcome: RunOutcome) => void) {
    const turn = new LaneTurn(this);
    this.held++;
    turn.outcome = executeRun(run, { ...this.executeOptions, lane: turn }).then(settled);
    const tracked = turn.outcome
      .catch((error) => {
        // On a lane, the lane reports it (below); off one, nobody would but idle().
        if (!turn.onLane) this.failures.push(error);
      })
      .finally(() => {
        turn.handlerDone();
        this.settling.delete(tracked);
      });
    this.settling.add(tracked);
    await turn.onThisLane();
  }

  /**
   * One turn of a lane, the same for a worker and a drain: it goes on with a paused run that
   * is ready (settling once that run leaves the lane), or waits for one while `ending()` or
   * while the lanes hold all the runs they may, or takes a new run from the feed for the
   * caller to start. False once the lane is done: ending, with no paused run left to come
   * back. Not async, so a lane taking a queued run waits on nothing more than the feed.
   */
  nextRun(ending: () => boolean): Promise<ClaimedRun | undefined | false> {
    const resumed = this.resumeNext();
    if (resumed) return resumed.then(nothing);
    const stopping = ending() || this.feed.closed;
    if (stopping && this.paused === 0) return Promise.resolve(false);
    if (stopping || !this.mayStart) return this.waitForTurn().then(nothing);
    return this.feed.next();
  }

  /**
   * Goes on with the paused run that became ready first, if any (undefined when none is):
   * settles when that run leaves the lane again. Not async, so a lane with nothing to
   * resume goes on to a new run without a turn of the event loop.
   */
  private resumeNext(): Promise<void> | undefined {
    return this.ready.shift()?.resume();
  }

  /** Waits until a paused run is ready for a lane, or a run's handler is done (room to start one). */
  private waitForTurn(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Resolves when the handler of a run started here is done next. */
  nextHandlerDone(): Promise<void> {
    return new Promise((resolve) => this.watching.push(resolve));
  }

  /** A paused run whose checkpoints are written: wakes a lane to take it. */
  queueReady(turn: LaneTurn) {
    this.ready.push(turn);
    const lane = this.waiting.shift();
    if (lane) lane();
    else this.feed.wakeOne();
  }

  /** A run's handler is done: lanes waiting for room (or for the last paused run) look again. */
  handlerDone() {
    this.held--;
    if (this.waiting.length > 0) for (const lane of this.waiting.splice(0)) lane();
    if (this.watching.length > 0) for (const watcher of this.watching.splice(0)) watcher();
  }

  /** Waits for every run's final write; throws the first that failed after its lane moved on. */
  async idle() {
    while (this.settling.size > 0) await Promise.allSettled([...this.settling]);
    if (this.failures.length > 0) throw this.failures[0];
  }
}

/**
 * One run's hold on a lane. Method shorthand, not closures, because one is made per run
 * (see execute.ts). Steps running in parallel in one run share its lane: the first to
 * pause takes the run off it, and all of them go on once a lane takes it back.
 */
class LaneTurn implements RunLane {
  outcome!: Promise<void>;
  private state: "on-lane" | "paused" | "done" = "on-lane";
  private left!: Promise<void>;
  private leave!: () => void;
  /** Settles when a lane takes the paused run back. */
  private back: Promise<void> | undefined;
  private enter: (() => void) | undefined;

  constructor(private readonly runner: LaneRunner) {
    this.left = new Promise((resolve) => (this.leave = resolve));
  }

  get onLane() {
    return this.state === "on-lane";
  }

  /** Resolves when the run leaves the lane it is on; rejects if the run fails there. */
  onThisLane(): Promise<void> {
    return Promise.race([this.left, this.outcome]);
  }

  async pause<T>(waiting: Promise<T>): Promise<T> {
    if (this.state === "done") return waiting;
    if (this.state === "on-lane") {
      this.state = "paused";
      this.runner.paused++;
      this.leave();
    }
    try {
      return await waiting;
    } finally {
      if (this.state === "paused") await (this.back ??= this.waitForLane());
    }
  }

  handlerDone() {
    if (this.state === "done") return;
    // A handler that returned without awaiting a paused step: that step goes on without a lane.
    if (this.state === "paused") {
      this.runner.paused--;
      this.enter?.();
    }
    this.state = "done";
    this.leave();
    this.runner.handlerDone();
  }

  /** Called by the lane that takes the run back; a run done meanwhile is not taken. */
  resume(): Promise<void> {
    if (this.state !== "paused") return Promise.resolve();
    this.state = "on-lane";
    this.back = undefined;
    this.runner.paused--;
    this.left = new Promise((resolve) => (this.leave = resolve));
    this.enter!();
    return this.onThisLane();
  }

  private waitForLane() {
    return new Promise<void>((resolve) => {
      this.enter = resolve;
      this.runner.queueReady(this);
    });
  }
}
