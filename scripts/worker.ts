import "./load-env";
import { closeDb } from "@/lib/db/client";
import { openDevDatabase } from "@/lib/db/dev-database";
import { waitForDatabase } from "@/lib/db/wait-for-database";
import { scriptVariable } from "@/lib/env";
import { runWorker } from "@/lib/jobs/postgres/worker";
import { runScript } from "@/lib/script-failure";

/**
 * `npm run worker [-- --concurrency N]`: the long-running Postgres job worker for
 * self-hosting (WORKER_CONCURRENCY works too). It waits for DATABASE_URL's server to
 * accept connections (WORKER_DATABASE_WAIT_SECONDS, default 120; 0 = do not wait), so
 * it can start before its database. SIGTERM/SIGINT stop it gracefully.
 */
const flag = process.argv.indexOf("--concurrency");
const raw = flag >= 0 ? process.argv[flag + 1] : undefined;
const concurrency = raw === undefined ? undefined : Number(raw);
if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) {
  console.error(`--concurrency must be a whole number from 1 to 256, got "${raw ?? ""}"`);
  process.exit(2);
}

await runScript(async () => {
  const lanes = concurrency ?? scriptVariable("WORKER_CONCURRENCY");
  const log = (line: string) => console.log(`[worker] ${line}`);
  if (process.env.DATABASE_URL) {
    const maxWaitMs = scriptVariable("WORKER_DATABASE_WAIT_SECONDS") * 1000;
    await waitForDatabase(process.env.DATABASE_URL, { maxWaitMs, log, setting: "WORKER_DATABASE_WAIT_SECONDS" });
  }
  const database = await openDevDatabase({ migrate: true, ownSignals: true });
  const controller = new AbortController();
  for (const name of ["SIGTERM", "SIGINT"] as const) {
    process.once(name, () => {
      log(`${name}: finishing steps in flight, then releasing runs`);
      controller.abort();
    });
  }
  const result = await runWorker({
    concurrency: lanes,
    signal: controller.signal,
    onReady: ({ workerId }) => {
      log(`${workerId} listening on slotline_jobs, concurrency ${lanes}`);
      // React picks its build from NODE_ENV when first loaded; the development one costs the worker 40 to 60% more CPU.
      if (process.env.NODE_ENV !== "production")
        log("NODE_ENV is not production: set it when deployed (README, Self-hosting)");
    },
    onRun: ({ runId, jobId, outcome }) => log(`${jobId} ${runId} ${outcome}`),
  });
  log(`stopped${result.released ? `; released ${result.released} run(s) still in a step` : ""}`);
  await closeDb();
  await database.stop();
});
