import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated } from "./jobs-support/clock";

// kickJobs({ eventIds }) drains with firstEventIds: under a burst, the request's own runs
// go first, and whatever the kick cannot finish stays due for the next drain.

describe("the kick runs its own request's runs first", () => {
  it("claims the given event's runs before an older backlog; the rest stay due", async () => {
    const order: string[] = [];
    const stop = new AbortController();
    const job = defineJob({ id: "kick-first", triggers: [{ event: "booking/created" }] }, async ({ event }) => {
      order.push(event.id);
      stop.abort(); // the kick's time is up after this run
    });
    const jobs = [job];
    const backlog = await sendEvent(
      Array.from({ length: 30 }, () => bookingCreated()),
      { jobs },
    );
    const [own] = await sendEvent(bookingCreated(), { jobs });

    const kicked = await drain({ budgetMs: 30_000, jobs, firstEventIds: [own.id], signal: stop.signal });
    expect(order).toEqual([own.id]);
    expect(kicked).toMatchObject({ completed: 1, remaining: 30 });
    const [ownRun] = await db.select().from(jobRuns).where(eq(jobRuns.eventId, own.id));
    expect(ownRun.status).toBe("completed");

    // What the kick left is picked up by the next drain of any kind.
    const next = await drain({ budgetMs: 30_000, jobs, concurrency: 4 });
    expect(next).toMatchObject({ completed: 30, remaining: 0 });
    expect(new Set(order.slice(1))).toEqual(new Set(backlog.map((event) => event.id)));
  });
});
