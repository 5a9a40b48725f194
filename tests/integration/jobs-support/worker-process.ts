import { closeDb } from "@/lib/db/client";
import { runWorker } from "@/lib/jobs/postgres/worker";
import { cronWorkerJobs, workerJobs } from "./worker-jobs";

// A real worker process over the test job registry, spawned by jobs-worker.test.ts.
const controller = new AbortController();
process.once("SIGTERM", () => controller.abort());
const result = await runWorker({
  jobs: process.env.WORKER_REGISTRY === "cron" ? cronWorkerJobs : workerJobs,
  concurrency: 2,
  signal: controller.signal,
  // Long poll: pickup within the test's deadline proves LISTEN/NOTIFY woke the worker.
  pollMs: Number(process.env.WORKER_POLL_MS ?? 60_000),
  graceMs: 5_000,
  ...(process.env.WORKER_STEP_TIMEOUT_MS ? { stepTimeoutMs: Number(process.env.WORKER_STEP_TIMEOUT_MS) } : {}),
  onReady: () => process.stdout.write("READY\n"),
  onRun: ({ jobId, outcome }) => process.stdout.write(`RUN ${jobId} ${outcome}\n`),
});
process.stdout.write(`STOPPED released=${result.released}\n`);
await closeDb();
