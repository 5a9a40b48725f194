import "./load-env";
import { closeDb } from "@/lib/db/client";
import { openDevDatabase } from "@/lib/db/dev-database";
import { runWorker } from "@/lib/jobs/postgres/worker";

/**
 * `npm run worker [-- --concurrency N]`: the long-running Postgres job worker for
 * self-hosting (WORKER_CONCURRENCY works too). SIGTERM/SIGINT stop it gracefully.
 */
const flag = process.argv.indexOf("--concurrency");
const raw = flag >= 0 ? process.argv[flag + 1] : (process.env.WORKER_CONCURRENCY ?? "4");
const concurrency = Number(raw);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
  console.error(`--concurrency must be a whole number from 1 to 256, got "${raw ?? ""}"`);
  process.exit(2);
}

const database = await openDevDatabase({ migrate: true, ownSignals: true });
const controller = new AbortController();
for (const name of ["SIGTERM", "SIGINT"] as const) {
  process.once(name, () => {
    console.log(`[worker] ${name}: finishing steps in flight, then releasing runs`);
    controller.abort();
  });
}
const result = await runWorker({
  concurrency,
  signal: controller.signal,
  onReady: ({ workerId }) => console.log(`[worker] ${workerId} listening on slotline_jobs, concurrency ${concurrency}`),
  onRun: ({ runId, jobId, outcome }) => console.log(`[worker] ${jobId} ${runId} ${outcome}`),
});
console.log(`[worker] stopped${result.released ? `; released ${result.released} run(s) still in a step` : ""}`);
await closeDb();
await database.stop();
