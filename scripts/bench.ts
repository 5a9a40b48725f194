import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { closeDb, db } from "@/lib/db/client";
import { makeTempDataDir, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { resetEnv } from "@/lib/env";
import { defineJob } from "@/lib/jobs/define";
import { claimDueRuns } from "@/lib/jobs/postgres/claim";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";

/**
 * `npm run bench [-- --runs N]`: Postgres driver throughput on a throw-away embedded
 * PostgreSQL. Each run is a three-step job (two step.run checkpoints and a return),
 * so the figures include the checkpoint writes that make retries cheap.
 */
const flag = process.argv.indexOf("--runs");
const RUNS = flag >= 0 ? Number(process.argv[flag + 1]) : 1_000;
if (!Number.isInteger(RUNS) || RUNS < 10) {
  console.error("--runs must be a whole number of at least 10");
  process.exit(2);
}
const STEPS_PER_RUN = 2;

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

async function throughput(concurrency: number) {
  await enqueue(RUNS);
  const started = performance.now();
  const result = await drain({ budgetMs: 600_000, concurrency, jobs });
  const seconds = (performance.now() - started) / 1000;
  if (result.completed !== RUNS) throw new Error(`expected ${RUNS} completed runs, got ${JSON.stringify(result)}`);
  return { concurrency, seconds, runsPerSecond: RUNS / seconds, stepsPerSecond: (RUNS * STEPS_PER_RUN) / seconds };
}

async function claimLatency(samples: number) {
  await enqueue(samples);
  const timings: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const [run] = await claimDueRuns({ workerId: "bench", jobIds: ["bench"], now: new Date(), leaseMs: 60_000 });
    timings.push(performance.now() - started);
    if (!run) throw new Error("ran out of runs to claim");
  }
  timings.sort((a, b) => a - b);
  const at = (q: number) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))];
  return { p50: at(0.5), p95: at(0.95), max: timings[timings.length - 1] };
}

const server = await startEmbeddedPostgres({ dataDir: makeTempDataDir("slotline-bench-"), database: "bench", persistent: false });
try {
  await migrateDatabase(server.url);
  process.env.DATABASE_URL = server.url;
  resetEnv();
  console.log(`Slotline job engine bench: ${RUNS} runs x ${STEPS_PER_RUN} checkpointed steps, embedded PostgreSQL, node ${process.version}\n`);

  await throughput(4); // warm-up: JIT, connection pool, PostgreSQL caches
  const rows = [];
  for (const concurrency of [1, 4, 16]) rows.push(await throughput(concurrency));
  const base = rows[0].runsPerSecond;
  console.log("concurrency  seconds  runs/s  steps/s  vs 1");
  for (const row of rows) {
    console.log(
      `${String(row.concurrency).padStart(11)}  ${row.seconds.toFixed(2).padStart(7)}  ${row.runsPerSecond.toFixed(0).padStart(6)}  ${row.stepsPerSecond.toFixed(0).padStart(7)}  ${(row.runsPerSecond / base).toFixed(2).padStart(4)}x`,
    );
  }
  const latency = await claimLatency(500);
  console.log(`\nclaim latency (one run, FOR UPDATE SKIP LOCKED, 500 due): p50 ${latency.p50.toFixed(2)} ms, p95 ${latency.p95.toFixed(2)} ms, max ${latency.max.toFixed(2)} ms`);
} finally {
  await closeDb();
  await server.stop();
}
