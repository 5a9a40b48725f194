import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { claimDueRuns } from "@/lib/jobs/postgres/claim";
import { replayRun } from "@/lib/jobs/postgres/control";
import { leaseOf } from "@/lib/jobs/postgres/lease";
import { renewLease } from "@/lib/jobs/postgres/transitions";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated } from "./jobs-support/clock";

// Every claim and completion writes a new entry into each index of job_runs
// (drizzle/0029_fewer_run_indexes.sql): what those indexes must still do with fewer of them.

const job = defineJob({ id: "indexed", triggers: [{ event: "booking/created" }] }, () => "done");
const runsOf = (eventId: string) => db.select().from(jobRuns).where(eq(jobRuns.eventId, eventId));

/** The plan PostgreSQL picks for `query` when it may not read the whole table. */
async function planOf(query: ReturnType<typeof sql>) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const rows = (await tx.execute(sql`explain ${query}`)) as unknown as { "QUERY PLAN": string }[];
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}

describe("job_runs indexes", () => {
  it("keeps one run per job and event, while replays of one run and cron runs never collide", async () => {
    const eventId = `indexed-${randomUUID()}`;
    await sendEvent(bookingCreated(eventId), { jobs: [job] });
    await sendEvent(bookingCreated(eventId), { jobs: [job] });
    const [original] = await runsOf(eventId);
    expect(await runsOf(eventId)).toHaveLength(1);

    // A second top-level run of the same job and event is refused by the key itself.
    await expect(
      db.execute(sql`insert into job_runs (job_id, event_id, max_attempts) values ('indexed', ${eventId}, 1)`),
    ).rejects.toMatchObject({ cause: { constraint_name: "job_runs_event_key" } });

    // Replays carry a parent: the same run replayed twice gives two runs.
    await replayRun(original.id);
    await replayRun(original.id);
    const runs = await runsOf(eventId);
    expect(runs.filter((run) => run.parentRunId === original.id)).toHaveLength(2);

    // Runs without an event (cron slots) have their own key and none here.
    await db.execute(sql`
      insert into job_runs (job_id, max_attempts, cron_slot)
      values ('indexed', 1, '2026-01-01T00:00:00Z'), ('indexed', 1, '2026-01-02T00:00:00Z')
    `);
    expect(await db.$count(jobRuns, eq(jobRuns.jobId, "indexed"))).toBe(5);
  });

  it("finds an event's runs on an index: the kick, retention and the foreign key's check when an event is deleted", async () => {
    // The query PostgreSQL's foreign key runs for each deleted job_events row.
    const plan = await planOf(sql`select 1 from only job_runs x where event_id = 'some-event' for key share of x`);
    expect(plan).toMatch(/Index (Only )?Scan using job_runs_event_key/);
    const kick = await planOf(
      sql`select id from job_runs where event_id = any('{a,b}'::text[]) and job_id = any('{indexed}'::text[]) and parent_run_id is null`,
    );
    expect(kick).toMatch(/job_runs_event_key/);
  });

  it("renews a lease without writing an index entry (a HOT update)", async () => {
    await db.execute(sql`create extension if not exists pageinspect`);
    await sendEvent(bookingCreated(), { jobs: [job] });
    const [run] = await claimDueRuns({ workerId: "indexes", scope: ["indexed"], leaseMs: 60_000 });
    expect(await renewLease(leaseOf(run), 120_000)).toBe(true);

    // HEAP_ONLY_TUPLE (0x8000 in t_infomask2): no index points at this version of the row,
    // so the renewal wrote none. With an index on lease_expires_at it would have.
    const [tuple] = (await db.execute(sql`
      with row as (select ctid from job_runs where id = ${run.id}::uuid)
      select (item.t_infomask2 & 32768) <> 0 as heap_only
      from row, heap_page_items(get_raw_page('job_runs', (row.ctid::text::point)[0]::int)) as item
      where item.t_ctid = row.ctid and item.lp = (row.ctid::text::point)[1]::int
    `)) as unknown as { heap_only: boolean }[];
    expect(tuple).toEqual({ heap_only: true });
  });
});
