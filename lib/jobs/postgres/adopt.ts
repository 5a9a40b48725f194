import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import type { JobList } from "../registry";
import type { EventName } from "../types";
import { enqueueRunsForEvents } from "./enqueue";

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
