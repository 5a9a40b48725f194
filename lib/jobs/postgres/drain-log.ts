import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";

/**
 * Records one drain in job_drains (start, end, budget, runs processed, runs left), so
 * the advisor can tell how often drains run out of time. Never fails the drain: the
 * work is done whether or not its record is written.
 */
export async function recordDrain(drain: {
  budgetMs: number;
  elapsedMs: number;
  processed: number;
  remaining: number;
}) {
  try {
    await db.execute(sql`
      insert into job_drains (started_at, finished_at, budget_ms, processed, remaining)
      values (now() - make_interval(secs => ${drain.elapsedMs / 1000}), now(),
              ${Math.round(drain.budgetMs)}, ${drain.processed}, ${drain.remaining})
    `);
  } catch (error) {
    console.warn("[jobs] could not record the drain in job_drains", error);
  }
}
