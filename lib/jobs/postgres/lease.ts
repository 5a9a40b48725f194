import "server-only";
import { sql } from "drizzle-orm";

/**
 * Every state change a worker makes to a run it holds. Each one is fenced on the
 * claim's own token and `status = 'running'`: if the run was cancelled meanwhile, or
 * its lease expired and another claim took it over (a new token), the update matches
 * nothing and the caller learns it no longer owns the run (and must not report success).
 * Two lanes of one worker never share a token, so one cannot write over the other.
 */
export type Lease = { runId: string; claimToken: string };

/** The lease a claimed run is held by. */
export const leaseOf = (run: { id: string; claimToken: string }): Lease => ({
  runId: run.id,
  claimToken: run.claimToken,
});

/** The WHERE clause of every fenced write. */
export const heldBy = (lease: Lease, alias = "job_runs") =>
  sql`${sql.identifier(alias)}.id = ${lease.runId}::uuid and ${sql.identifier(alias)}.claim_token = ${lease.claimToken}::uuid and ${sql.identifier(alias)}.status = 'running'`;
