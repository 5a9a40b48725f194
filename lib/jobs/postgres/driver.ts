import "server-only";
import type { JobsDriver } from "../driver";
import { createDueCronRuns, createScheduledCronRun } from "../cron";
import type { RunLedger } from "../run-ledger";
import { adoptUnrelayedEvents } from "./adopt";
import { readQueueFigures } from "./advisor-figures";
import { cancelRun, replayRun, retryRun } from "./control";
import { enqueueRunsForEvents, subscriptions } from "./enqueue";
import { listRuns, showRun } from "./inspect";
import { jobStats } from "./stats";

/** The run ledger in job_runs and job_steps: every Postgres run, under either driver. */
export const postgresRunLedger: RunLedger = {
  list: listRuns,
  show: showRun,
  stats: jobStats,
  figures: readQueueFigures,
  retry: retryRun,
  replay: replayRun,
  cancel: cancelRun,
};

/**
 * JOBS_DRIVER=postgres (the default): runs are rows in job_runs, created in the sender's
 * transaction and drained by Vercel Cron, the after() kick or `npm run worker`.
 */
export const postgresDriver: JobsDriver = {
  name: "postgres",
  subscriptions,
  startRuns: enqueueRunsForEvents,
  createDueCronRuns,
  async runCronSlot(jobId, options) {
    return { owned: true, ...(await createScheduledCronRun(jobId, options)) };
  },
  // Events an Inngest-mode deploy stored but never relayed (the flag flipped back
  // before the relay caught up) become Postgres runs: relaying them would hand them to
  // functions this deploy no longer serves, and they would be lost.
  async deliverOutbox(options) {
    return { driver: "postgres", adopted: await adoptUnrelayedEvents({ jobs: options.jobs }) };
  },
  inngestEndpoint: "in-flight",
  runs: postgresRunLedger,
};
