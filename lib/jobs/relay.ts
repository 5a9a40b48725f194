import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { SlotlineInngest } from "./inngest/client";
import { relayEventsToInngest, type RelayResult } from "./inngest/relay";
import { enqueueRunsForEvents } from "./postgres/enqueue";
import type { JobList } from "./registry";
import type { EventName } from "./types";

export type OutboxResult = ({ driver: "inngest" } & RelayResult) | { driver: "postgres"; adopted: number };

/**
 * Moves events that wait in the outbox (job_events with driver='inngest' and no
 * relayed_at) to whichever driver is in charge now. Runs on every drain, after()
 * kick and `npm run jobs -- send`.
 *
 * - JOBS_DRIVER=inngest: they are relayed to Inngest with their ids.
 * - JOBS_DRIVER=postgres (the flag flipped back before the relay caught up): they
 *   become Postgres runs. Relaying them instead would hand them to functions that
 *   this deploy no longer serves (/api/inngest answers 404), and they would be lost.
 */
export async function relayPendingEvents(
  options: { jobs?: JobList; client?: SlotlineInngest; budgetMs?: number } = {},
): Promise<OutboxResult> {
  if (env().JOBS_DRIVER === "inngest") {
    return {
      driver: "inngest",
      ...(await relayEventsToInngest({ client: options.client, budgetMs: options.budgetMs })),
    };
  }
  return { driver: "postgres", adopted: await adoptUnrelayedEvents({ jobs: options.jobs }) };
}

const ADOPT_BATCH_SIZE = 500;

/**
 * Gives unrelayed Inngest events to the Postgres driver: one run per subscribed job,
 * exactly as `sendEvent` does in Postgres mode, and driver='postgres' so the relay
 * never sends them afterwards. Both happen in one transaction per batch.
 */
export async function adoptUnrelayedEvents(options: { jobs?: JobList } = {}): Promise<number> {
  let adopted = 0;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const rows = (await tx.execute(sql`
        select id, name, ts::text as ts
        from job_events
        where driver = 'inngest' and relayed_at is null
          -- An event a relay (of an old Inngest-mode deploy) is sending right now is its.
          and (relay_leased_until is null or relay_leased_until <= slotline_now())
        order by created_at, id
        limit ${ADOPT_BATCH_SIZE}
        -- A relay still leasing rows in an old Inngest-mode deploy keeps them; SKIP LOCKED
        -- passes over rows being leased this instant, so no event is both relayed and adopted.
        for update skip locked
      `)) as unknown as { id: string; name: EventName; ts: string }[];
      if (rows.length === 0) return 0;
      await enqueueRunsForEvents(
        tx,
        rows.map((row) => ({ id: row.id, name: row.name, ts: new Date(row.ts) })),
        options.jobs,
      );
      await tx.execute(sql`
        update job_events set driver = 'postgres'
        where id = any(${sql.param(rows.map((row) => row.id))}::text[])
      `);
      return rows.length;
    });
    adopted += count;
    if (count < ADOPT_BATCH_SIZE) return adopted;
  }
}
