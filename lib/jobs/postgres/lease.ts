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

/**
 * The WHERE clause of a fenced write of many runs at once (completions, checkpoints,
 * releases): job_runs as `run` joined to a list `list(id, claim_token)`. Its `status =
 * 'running'` is written as `(...) is true`, which no index can answer, so the planner finds
 * each run by primary key. As a plain comparison it reads every 'running' entry of
 * job_runs_status_created_idx instead, and until a vacuum those include one for every claim
 * since (a claim's new row version adds one, and bitmap scans never mark them dead): in a
 * drain, a checkpoint of 10 steps read about a thousand, and took twice as long.
 */
export const heldByList = (run: string, list: string) => {
  const [r, l] = [sql.identifier(run), sql.identifier(list)];
  return sql`${r}.id = ${l}.id and ${r}.claim_token = ${l}.claim_token and (${r}.status = 'running') is true`;
};
