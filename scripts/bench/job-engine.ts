import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { db, sqlClient } from "@/lib/db/client";
import { defineJob } from "@/lib/jobs/define";
import { claimDueRuns } from "@/lib/jobs/postgres/claim";
import { drain } from "@/lib/jobs/postgres/drain";
import { deepClaimOf } from "@/lib/jobs/postgres/feed";
import { sendEvent } from "@/lib/jobs/send";
import { percentiles, printTable, ratio } from "./report";

/**
 * The Postgres driver's drain throughput, round trips and claim latency. Each run is a
 * three-step job (two step.run checkpoints and a return), so the figures include the
 * checkpoint writes that make retries cheap.
 */
export const STEPS_PER_RUN = 2;
const CLAIM_BATCH = 10;
/** What a 10-lane worker claims at a time from a backlog of quick runs. */
const DEEP_CLAIM_BATCH = deepClaimOf(10);
const CLAIM_SAMPLES = 300;

const benchJob = defineJob({ id: "bench", triggers: [{ event: "booking/created" }] }, async ({ step, event }) => {
  const loaded = await step.run("load", () => ({ bookingId: event.data.bookingId }));
  await step.run("notify", () => loaded.bookingId.length);
  return "ok";
});
const jobs = [benchJob];

async function enqueue(count: number) {
  await db.execute(sql`truncate job_steps, job_runs, job_events`);
  for (let start = 0; start < count; start += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, count - start) }, () => ({
      name: "booking/created" as const,
      data: { bookingId: randomUUID(), clinicId: randomUUID() },
    }));
    await sendEvent(batch, { jobs });
  }
}

/** Counts the statements the engine sends through the shared client while `work` runs. */
async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const client = sqlClient() as unknown as { unsafe: (...args: unknown[]) => unknown };
  const unsafe = client.unsafe;
  let statements = 0;
  client.unsafe = (...args: unknown[]) => {
    statements++;
    return unsafe.apply(client, args);
  };
  try {
    return { result: await work(), statements };
  } finally {
    client.unsafe = unsafe;
  }
}

async function throughput(runs: number, concurrency: number) {
  await enqueue(runs);
  const started = performance.now();
  const { result, statements } = await countStatements(() => drain({ budgetMs: 600_000, concurrency, jobs }));
  const seconds = (performance.now() - started) / 1000;
  if (result.completed !== runs) throw new Error(`expected ${runs} completed runs, got ${JSON.stringify(result)}`);
  return { concurrency, seconds, runsPerSecond: runs / seconds, statementsPerRun: statements / runs };
}

/** Empties the job tables and inserts `due` runs of the job "bench", due in order, in bulk (not through sendEvent). */
export async function queueDueRuns(due: number) {
  await db.execute(sql`truncate job_steps, job_runs, job_events`);
  await db.execute(sql`
    insert into job_runs (job_id, max_attempts, run_at)
    select 'bench', 1, slotline_now() - interval '1 hour' + g * interval '1 millisecond'
    from generate_series(1, ${due}::int) as g
  `);
}

/** Claim latency with `due` runs waiting, `batch` runs a claim (the claim never executes them). */
async function claimLatency(due: number, batch: number) {
  await queueDueRuns(due);
  const timings: number[] = [];
  // At most half the backlog is claimed, so the last claim still has `due / 2` waiting.
  const samples = Math.min(CLAIM_SAMPLES, Math.floor(due / batch / 2));
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const runs = await claimDueRuns({ workerId: "bench", scope: ["bench"], leaseMs: 60_000, limit: batch });
    timings.push(performance.now() - started);
    if (runs.length !== batch) throw new Error("ran out of runs to claim");
  }
  return { samples, ...percentiles(timings) };
}

export async function benchJobEngine(runs: number) {
  await throughput(runs, 4); // warm-up: JIT, connection pool, PostgreSQL caches
  const rows = [];
  for (const concurrency of [1, 4, 16]) rows.push(await throughput(runs, concurrency));
  const base = rows[0].runsPerSecond;
  printTable(
    ["lanes", "seconds", "runs/s", "steps/s", "statements/run", "vs 1"],
    rows.map((row) => [
      String(row.concurrency),
      row.seconds.toFixed(2),
      row.runsPerSecond.toFixed(0),
      (row.runsPerSecond * STEPS_PER_RUN).toFixed(0),
      row.statementsPerRun.toFixed(2),
      ratio(row.runsPerSecond, base),
    ]),
  );
  console.log(`\nclaim latency (up to ${CLAIM_SAMPLES} claims per size, ms):`);
  // A bare round trip, timed the same way: what the machine gives any statement right now.
  const roundTrips: number[] = [];
  for (let i = 0; i < CLAIM_SAMPLES; i++) {
    const started = performance.now();
    await db.execute(sql`select 1`);
    roundTrips.push(performance.now() - started);
  }
  const latencies = [{ due: "select 1 (baseline)", runs: "", samples: CLAIM_SAMPLES, ...percentiles(roundTrips) }];
  for (const due of [1_000, 10_000, 100_000])
    for (const batch of [CLAIM_BATCH, DEEP_CLAIM_BATCH])
      latencies.push({ due: due.toLocaleString("en"), runs: String(batch), ...(await claimLatency(due, batch)) });
  printTable(
    ["due runs", "runs a claim", "claims", "p50", "p95", "max", "p50 per run"],
    latencies.map((row) => [
      row.due,
      row.runs,
      String(row.samples),
      row.p50.toFixed(2),
      row.p95.toFixed(2),
      row.max.toFixed(2),
      row.runs ? `${((row.p50 / Number(row.runs)) * 1000).toFixed(0)} µs` : "",
    ]),
    1,
  );
}
