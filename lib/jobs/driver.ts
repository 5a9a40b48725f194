import "server-only";
import type { Executor } from "@/lib/db/client";
import { env, type JobDriverName } from "@/lib/env";
import type { CreatedCronRun } from "./cron";
import type { SlotlineInngest } from "./inngest/client";
import { inngestDriver } from "./inngest/driver";
import type { RelayResult } from "./inngest/relay";
import type { Subscription } from "./postgres/enqueue";
import { postgresDriver } from "./postgres/driver";
import type { RunLedger } from "./run-ledger";
import type { JobList } from "./registry";
import type { EventName } from "./types";

export type StoredEvent = { id: string; name: EventName; ts: Date; data?: Record<string, unknown> };

export type OutboxResult = ({ driver: "inngest" } & RelayResult) | { driver: "postgres"; adopted: number };

export type CronSlotResult =
  { owned: true; runId: string | null; slot: Date; created: boolean } | { owned: false; note: string };

/**
 * An engine that runs the jobs in jobs/. Everything the rest of Slotline does differently
 * per engine is here; nothing outside lib/jobs/<engine>/ and this file reads JOBS_DRIVER.
 *
 * Whatever the driver, events are first stored in job_events inside the sender's
 * transaction (the outbox), and runs already in job_runs keep draining: a flip never
 * strands work started before it.
 */
export type JobsDriver = {
  readonly name: JobDriverName;
  /**
   * The runs `sendEvent` creates in the sender's transaction, as (event name, job) pairs.
   * An engine that starts its runs itself, from the relayed events, returns none.
   */
  subscriptions(jobs?: JobList): Subscription[];
  /** The same for `sendEvent`'s multi-statement path (cancelOn, idempotency): start runs for these stored events. */
  startRuns(tx: Executor, events: StoredEvent[], jobs?: JobList): Promise<unknown>;
  /** Runs for cron slots that have none yet, on every drain and worker poll; none if the engine owns its crons. */
  createDueCronRuns(options: { jobs?: JobList }): Promise<CreatedCronRun[]>;
  /** What Vercel Cron's call for a job (GET /api/cron/<job>) does. */
  runCronSlot(jobId: string, options: { at?: Date; jobs?: JobList }): Promise<CronSlotResult>;
  /** Hands events waiting in the outbox to this engine: on every drain, kick, worker poll and `jobs send`. */
  deliverOutbox(options: { jobs?: JobList; budgetMs?: number; client?: SlotlineInngest }): Promise<OutboxResult>;
  /** What /api/inngest serves: every function, or only what Inngest's in-flight runs need to finish (when keys remain). */
  inngestEndpoint: "all" | "in-flight";
  /** What `npm run jobs` and /admin/jobs read and act on. */
  runs: RunLedger;
  /** Where the engine's own dashboard lives, when it has one; /admin/jobs links to it. */
  dashboardUrl?: string;
};

/** Every engine by its JOBS_DRIVER name. A third engine is one folder and one line here. */
const DRIVERS: Record<JobDriverName, JobsDriver> = { postgres: postgresDriver, inngest: inngestDriver };

/** The engine JOBS_DRIVER names: the one place that reads it. */
export function activeDriver(): JobsDriver {
  return DRIVERS[env().JOBS_DRIVER];
}
