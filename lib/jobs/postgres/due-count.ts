import "server-only";
import { sql } from "drizzle-orm";
import { db, type Executor } from "@/lib/db/client";

/**
 * What a drain reports as `remaining` is counted up to this and no further: every drain
 * and kick asks, and a full count(*) of a 100,000-run backlog costs half a second.
 * `remaining: 1000` reads "1,000 or more".
 */
export const DUE_COUNT_CAP = 1_000;

/**
 * Due runs of these jobs now (the database clock), capped at `cap`. Two index scans that stop
 * at the cap (job_runs_due_idx; the running runs on job_runs_job_status_idx) instead of one OR that makes
 * PostgreSQL collect every due row first.
 */
export async function countDueRunsUpTo(
  jobIds: string[],
  cap = DUE_COUNT_CAP,
  executor: Executor = db,
): Promise<number> {
  if (jobIds.length === 0) return 0;
  const jobs = sql`job_id = any(${sql.param(jobIds)}::text[])`;
  const [row] = (await executor.execute(sql`
    select least(${cap}::int,
      (select count(*) from (
        select 1 from job_runs
        where status in ('queued', 'sleeping') and run_at <= slotline_now() and ${jobs}
        limit ${cap}) waiting)
      + (select count(*) from (
        select 1 from job_runs
        where status = 'running' and lease_expires_at <= slotline_now() and ${jobs}
        limit ${cap}) abandoned))::int as due
  `)) as unknown as { due: number }[];
  return row.due;
}
