import { count, inArray } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";

/**
 * How many of these events' runs each claim took, in claim order: a claim stamps the
 * started_at of the runs it starts with its own transaction's time.
 */
export async function claimBatches(eventIds: string[]) {
  const batches = await db
    .select({ startedAt: jobRuns.startedAt, runs: count() })
    .from(jobRuns)
    .where(inArray(jobRuns.eventId, eventIds))
    .groupBy(jobRuns.startedAt)
    .orderBy(jobRuns.startedAt);
  return batches.map((batch) => batch.runs);
}
