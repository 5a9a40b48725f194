import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { writeStepCheckpoints, type StepCheckpoint } from "@/lib/jobs/postgres/checkpoints";
import { claimDueRuns, type ClaimedRun } from "@/lib/jobs/postgres/claim";
import { leaseOf } from "@/lib/jobs/postgres/lease";
import { completeRuns } from "@/lib/jobs/postgres/transitions";
import { postgresCpuSeconds } from "./cpu";
import { queueDueRuns } from "./job-engine";
import { printTable, ratio } from "./report";

/**
 * `npm run bench -- checkpoints [--runs N]`: what the database work of a run of three
 * `step.run` steps costs against that of a run without steps, written as the worker writes
 * them with 10 lanes in step: claims of 10 runs, two rounds of checkpoints (10 per
 * statement; the third step's checkpoint rides on the completion) and completions of 10.
 * No handler and no engine around them, so the ratio is the floor of what steps cost. Per
 * run: wall time (one statement at a time, each waiting for its flush), Node's CPU and
 * PostgreSQL's. Three rounds, the two kinds alternating, so a busy moment hits both.
 */
const LANES = 10;
const STEP_IDS = ["s1", "s2", "s3"];
const ROUNDS = 3;

type Cost = { label: string; wallUs: number; clientUs: number; serverUs: number };

async function queueRuns(count: number) {
  await queueDueRuns(count);
  await db.execute(sql`vacuum analyze job_runs`);
  await db.execute(sql`checkpoint`);
}

const stepsOf = (runs: ClaimedRun[], stepId: string): StepCheckpoint[] =>
  runs.map((run) => ({
    lease: leaseOf(run),
    stepId,
    output: null,
    attempt: 0,
    durationMs: 0,
    finishedAt: performance.now(),
  }));

/** Claims, checkpoints and completes `count` runs, LANES at a time, timing the whole. */
async function timeRuns(label: string, count: number, steps: number, dataDir: string): Promise<Cost> {
  await queueRuns(count);
  const [wall, client, server] = [performance.now(), process.cpuUsage(), postgresCpuSeconds(dataDir)];
  for (let done = 0; done < count; done += LANES) {
    const limit = Math.min(LANES, count - done);
    const runs = await claimDueRuns({ workerId: "bench", scope: ["bench"], leaseMs: 300_000, limit });
    if (runs.length !== limit) throw new Error(`expected ${limit} due runs, got ${runs.length}`);
    for (const stepId of STEP_IDS.slice(0, Math.max(0, steps - 1))) {
      const written = await writeStepCheckpoints(stepsOf(runs, stepId), 300_000);
      if (!written.every(Boolean)) throw new Error("a held run refused its checkpoint");
    }
    const last = steps > 0 ? stepsOf(runs, STEP_IDS[steps - 1]) : [];
    const completed = await completeRuns(
      runs.map((run, i) => ({ lease: leaseOf(run), output: null, steps: last.slice(i, i + 1) })),
    );
    if (completed.size !== limit) throw new Error("a held run refused its completion");
  }
  const [{ written }] = await db.execute<{ written: number }>(sql`select count(*)::int as written from job_steps`);
  if (written !== count * steps) throw new Error(`expected ${count * steps} steps, found ${written}`);
  const cpu = process.cpuUsage(client);
  const perRunUs = (seconds: number) => (seconds * 1e6) / count;
  return {
    label,
    wallUs: perRunUs((performance.now() - wall) / 1000),
    clientUs: perRunUs((cpu.user + cpu.system) / 1e6),
    serverUs: perRunUs(postgresCpuSeconds(dataDir) - server),
  };
}

export async function benchCheckpointCost(runs: number, dataDir: string) {
  console.log(`The database work of ${runs} runs, ${LANES} lanes in step, per run (${ROUNDS} rounds):`);
  await timeRuns("warm-up", Math.min(runs, 1_000), 3, dataDir);
  const rows: string[][] = [];
  const ratios: number[] = [];
  const us = (value: number) => value.toFixed(1);
  const total = (cost: Cost) => cost.clientUs + cost.serverUs;
  for (let round = 1; round <= ROUNDS; round++) {
    const noStep = await timeRuns("no step: claim + completion", runs, 0, dataDir);
    const threeSteps = await timeRuns("3 steps: + 2 checkpoint rounds, 3 rows", runs, 3, dataDir);
    ratios.push(total(threeSteps) / total(noStep));
    for (const cost of [noStep, threeSteps])
      rows.push([
        String(round),
        cost.label,
        us(cost.wallUs),
        us(cost.clientUs),
        us(cost.serverUs),
        us(total(cost)),
        ratio(total(cost), total(noStep)),
      ]);
  }
  printTable(["round", "writes", "wall µs", "Node µs", "PostgreSQL µs", "Node + PostgreSQL µs", "vs no step"], rows, 2);
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
  console.log(
    `\nMedian: the database work of a 3-step run costs ${median.toFixed(2)}x that of a run without steps.\n` +
      "A 3-step drain at half the no-step drain's rate allows 2x for everything, handler and engine included.",
  );
}
