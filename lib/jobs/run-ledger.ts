import { jobRunStatus, type JobRun } from "@/lib/db/schema";
import type { QueueFigures } from "./postgres/advisor-figures";
import type { RunDetail } from "./postgres/inspect";
import type { JobStats } from "./postgres/stats";

/**
 * What operators read and do, whichever engine runs the jobs: `npm run jobs` and
 * /admin/jobs reach it only through `activeDriver().runs` (lib/jobs/driver.ts).
 */
export const RUN_STATUSES = jobRunStatus.enumValues;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** An operator action that does not apply to the run as it is; nothing was changed. */
export class RunActionError extends Error {
  override name = "RunActionError";
}

export type RunLedger = {
  /** Newest first, optionally one status and one job. */
  list(filter?: { status?: RunStatus; jobId?: string; limit?: number }): Promise<JobRun[]>;
  /** A run with its event, steps and errors; null when there is no such run. */
  show(runId: string): Promise<RunDetail | null>;
  stats(): Promise<JobStats>;
  /** What the flip advisor weighs (lib/jobs/advisor). */
  figures(): Promise<QueueFigures>;
  /** Queues a failed or cancelled run again; finished steps are replayed, not repeated. */
  retry(runId: string): Promise<JobRun>;
  /** A new run of the same event, from scratch. */
  replay(runId: string): Promise<JobRun>;
  /** Stops a run before its next step. */
  cancel(runId: string): Promise<JobRun>;
};
