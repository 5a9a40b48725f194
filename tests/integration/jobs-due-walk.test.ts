import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { claimDueRuns } from "@/lib/jobs/postgres/claim";
import { DueWalk } from "@/lib/jobs/postgres/due-walk";
import { arrayParam } from "@/lib/jobs/postgres/statement";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated } from "./jobs-support/clock";

const job = defineJob({ id: "due-walk", triggers: [{ event: "booking/created" }] }, () => "done");
const jobs = [job];

const runOf = async (eventId: string) =>
  (await db.select({ id: jobRuns.id }).from(jobRuns).where(eq(jobRuns.eventId, eventId)))[0].id;

describe("a claimer with a backlog claims after its last claim (drizzle/0030_claim_after.sql)", () => {
  it("passes a run that became due behind its place until a claim from there comes back short", async () => {
    const [a, b, c] = await sendEvent([bookingCreated(), bookingCreated(), bookingCreated()], { jobs });
    // Three due runs in (run_at, id) order.
    const ids = [await runOf(a.id), await runOf(b.id), await runOf(c.id)];
    await db.execute(sql`
      update job_runs set run_at = run_at - interval '1 minute' + array_position(${arrayParam(ids)}::uuid[], id) * interval '1 second'
      where id = any(${arrayParam(ids)}::uuid[])
    `);
    const walk = new DueWalk();
    const claim = (limit: number) =>
      claimDueRuns({ workerId: "walker", scope: ["due-walk"], leaseMs: 60_000, limit, walk });

    expect((await claim(1)).map((run) => run.id)).toEqual([ids[0]]);
    // A run due before everything this claimer took: a transaction that began before those
    // claims and committed after them.
    const [late] = await sendEvent(bookingCreated(), { jobs });
    const lateRun = await runOf(late.id);
    await db.execute(sql`update job_runs set run_at = run_at - interval '2 minutes' where id = ${lateRun}`);

    // From the oldest entry the late run would come first; from the claimer's place, the next in line does.
    expect((await claim(1)).map((run) => run.id)).toEqual([ids[1]]);
    // Short from there (one run of the three asked): the rest comes from the oldest entry.
    expect((await claim(3)).map((run) => run.id)).toEqual([ids[2], lateRun]);
  });
});
