import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { defineJob } from "@/lib/jobs/define";
import { claimDueRuns } from "@/lib/jobs/postgres/claim";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { percentiles, printTable, ratio } from "./report";

/**
 * The Postgres driver's drain throughput and claim latency. Each run is a three-step
 * job (two step.run checkpoints and a return), so the figures include the checkpoint
 * writes that make retries cheap.
 */
export const STEPS_PER_RUN = 2;

const benchJob = defineJob({ id: "bench", triggers: [{ event: "booking/created" }] }, async ({ step, event }) => {
  const loaded = await step.run("load", () => ({ bookingId: event.data.bookingId }));
  await step.run("notify", () => loaded.bookingId.length);
  return "ok";
});
const jobs = [benchJob];

async function enqueue(count: number) {
  await db.execute(sql`truncate job_steps, job_runs, job_events`);
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, () => ({
      name: "booking/created" as const,
      data: { bookingId: randomUUID(), clinicId: randomUUID() },
    }));
    await sendEvent(batch, { jobs });
  }
}

async function throughput(runs: number, concurrency: number) {
  await enqueue(runs);
  const started = performance.now();
  const result = await drain({ budgetMs: 600_000, concurrency, jobs });
  const seconds = (performance.now() - started) / 1000;
  if (result.completed !== runs) throw new Error(`expected ${runs} completed runs, got ${JSON.stringify(result)}`);
  return { concurrency, seconds, runsPerSecond: runs / seconds, stepsPerSecond: (runs * STEPS_PER_RUN) / seconds };
}

async function claimLatency(samples: number) {
  await enqueue(samples);
  const timings: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const [run] = await claimDueRuns({ workerId: "bench", jobIds: ["bench"], leaseMs: 60_000 });
    timings.push(performance.now() - started);
    if (!run) throw new Error("ran out of runs to claim");
  }
  return percentiles(timings);
}

export async function benchJobEngine(runs: number) {
  await throughput(runs, 4); // warm-up: JIT, connection pool, PostgreSQL caches
  const rows = [];
  for (const concurrency of [1, 4, 16]) rows.push(await throughput(runs, concurrency));
  const base = rows[0].runsPerSecond;
  printTable(
    ["concurrency", "seconds", "runs/s", "steps/s", "vs 1"],
    rows.map((row) => [
      String(row.concurrency),
      row.seconds.toFixed(2),
      row.runsPerSecond.toFixed(0),
      row.stepsPerSecond.toFixed(0),
      ratio(row.runsPerSecond, base),
    ]),
  );
  const latency = await claimLatency(500);
  console.log(
    `\nclaim latency (one run, FOR UPDATE SKIP LOCKED, 500 due): p50 ${latency.p50.toFixed(2)} ms, p95 ${latency.p95.toFixed(2)} ms, max ${latency.max.toFixed(2)} ms`,
  );
}
