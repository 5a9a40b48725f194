import "server-only";
import type { ClaimedRun } from "./claim";
import { writeStepCheckpoints, type StepCheckpoint } from "./checkpoints";
import { executeRun, type ExecuteOptions, type RunOutcome } from "./execute";
import { GroupCommit } from "./group-commit";
import { completeRuns } from "./transitions";

/**
 * Runs one claimed run in a lane. The lane is free again as soon as the handler is done;
 * the run's batched completion write finishes in the background and `settled` reports
 * the final outcome, so a lane never waits on a commit to start its next run. The lanes
 * share their writes by group commit: `step.run` checkpoints in one statement, and
 * completions in another.
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
  private readonly executeOptions: ExecuteOptions;

  constructor(options: Omit<ExecuteOptions, "complete" | "checkpointRun" | "onHandlerDone">) {
    this.executeOptions = {
      ...options,
      complete: (lease, output, steps) => this.completions.add({ lease, output, steps }),
      checkpointRun: (step) => this.checkpoints.add(step),
    };
  }

  async run(run: ClaimedRun, settled: (outcome: RunOutcome) => void) {
    let handlerDone!: () => void;
    const freed = new Promise<void>((resolve) => (handlerDone = resolve));
    const outcome = executeRun(run, { ...this.executeOptions, onHandlerDone: handlerDone }).then(settled);
    let laneMovedOn = false;
    const tracked = outcome
      .catch((error) => {
        if (laneMovedOn) this.failures.push(error);
      })
      .finally(() => this.settling.delete(tracked));
    this.settling.add(tracked);
    await Promise.race([freed, outcome]);
    laneMovedOn = true;
  }

  /** Waits for every run's final write; throws the first that failed after its lane moved on. */
  async idle() {
    while (this.settling.size > 0) await Promise.allSettled([...this.settling]);
    if (this.failures.length > 0) throw this.failures[0];
  }
}
