import { describe, expect, it } from "vitest";
import type { StepCheckpoint } from "@/lib/jobs/postgres/checkpoints";
import { StepRunner, type StepRunnerOptions } from "@/lib/jobs/postgres/step-tools";

/** A StepRunner whose checkpoint writes wait until the test lets each one finish. */
function runnerWithHeldCheckpoints(lane?: StepRunnerOptions["lane"]) {
  const writes: { step: StepCheckpoint; finish: (held: boolean) => void }[] = [];
  const runner = new StepRunner({
    lease: { runId: "run", claimToken: "token" },
    attempt: 0,
    claimedAt: new Date(),
    jobs: [],
    leaseMs: 60_000,
    checkpointRun: (step) => new Promise((resolve) => writes.push({ step, finish: resolve })),
    lane,
    shouldStop: () => false,
    stepTimeoutMs: () => 60_000,
  });
  return { runner, writes };
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("StepRunner: a step's checkpoint is written before anything after it", () => {
  it("holds a finished step's checkpoint until the next step starts, and starts that step only once it is written", async () => {
    const { runner, writes } = runnerWithHeldCheckpoints();
    const started: string[] = [];
    expect(await runner.tools.run("first", () => started.push("first"))).toBe(1);
    // Nothing written yet: the checkpoint waits for whatever the run does next.
    expect(writes).toEqual([]);

    // Two steps started together both wait for the first step's checkpoint.
    const both = Promise.all([
      runner.tools.run("second", () => started.push("second")),
      runner.tools.run("third", () => started.push("third")),
    ]);
    await settle();
    expect(writes.map((write) => write.step.stepId)).toEqual(["first"]);
    expect(started).toEqual(["first"]);
    writes[0].finish(true);
    await settle();
    // Parallel steps are written as they finish: another step's side effects may come next.
    expect(started).toEqual(["first", "second", "third"]);
    expect(writes.map((write) => write.step.stepId)).toEqual(["first", "second", "third"]);
    writes.slice(1).forEach((write) => write.finish(true));
    await both;

    // A last step run alone is handed to the completion instead of being written on its own.
    await runner.tools.run("last", () => started.push("last"));
    expect((await runner.takeUnwritten()).map((step) => step.stepId)).toEqual(["last"]);
    expect(writes).toHaveLength(3);
  });

  it("stops the run when the checkpoint before a step finds the run lost", async () => {
    const { runner, writes } = runnerWithHeldCheckpoints();
    const started: string[] = [];
    await runner.tools.run("first", () => started.push("first"));
    const next = runner.tools.run("next", () => started.push("next"));
    await settle();
    writes[0].finish(false);
    await expect(next).rejects.toMatchObject({ name: "LostRunSignal" });
    expect(started).toEqual(["first"]);
  });

  it("steps started together all wait for a lane after the checkpoint before them, not only the first", async () => {
    let grant!: () => void;
    const granted = new Promise<void>((resolve) => (grant = resolve));
    let pauses = 0;
    // A lane that gives the run back only when the test says so (another run holds it meanwhile).
    const lane = {
      async pause<T>(waiting: Promise<T>) {
        pauses++;
        const result = await waiting;
        await granted;
        return result;
      },
    };
    const { runner, writes } = runnerWithHeldCheckpoints(lane);
    const started: string[] = [];
    await runner.tools.run("first", () => started.push("first"));
    const both = Promise.all([
      runner.tools.run("second", () => started.push("second")),
      runner.tools.run("third", () => started.push("third")),
    ]);
    await settle();
    writes[0].finish(true);
    await settle();
    // Written, but the run has no lane yet: neither step runs.
    expect(started).toEqual(["first"]);
    expect(pauses).toBe(2);
    grant();
    await settle();
    expect(started).toEqual(["first", "second", "third"]);
    writes.slice(1).forEach((write) => write.finish(true));
    await both;
  });
});
