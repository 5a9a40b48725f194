import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { runKick } from "@/lib/jobs/kick";
import { drain, STEP_TIMEOUT_GRACE_MS } from "@/lib/jobs/postgres/drain";
import { PREFETCH_PER_LANE } from "@/lib/jobs/postgres/feed";
import { sendEvent } from "@/lib/jobs/send";
import { claimBatches } from "./jobs-support/claim-batches";
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

describe("the kick claims its own runs a batch at a time", () => {
  it("takes no more of them than its lanes want, and every one before the older backlog", async () => {
    const order: string[] = [];
    const job = defineJob({ id: "kick-own-batches", triggers: [{ event: "booking/created" }] }, async ({ event }) => {
      order.push(event.id);
    });
    const jobs = [job];
    const backlog = await sendEvent(
      Array.from({ length: 10 }, () => bookingCreated()),
      { jobs },
    );
    // A request that stored many events at once (an import, say).
    const own = await sendEvent(
      Array.from({ length: 40 }, () => bookingCreated()),
      { jobs },
    );
    const ownIds = own.map((event) => event.id);

    const kicked = await drain({ budgetMs: 30_000, jobs, firstEventIds: ownIds });
    expect(kicked).toMatchObject({ completed: 50, remaining: 0 });
    // The first claim took one lane's run and its prefetch, not all 40.
    expect((await claimBatches(ownIds))[0]).toBe(1 + PREFETCH_PER_LANE);
    // Each later claim asked for the request's runs again while any were left.
    expect(new Set(order.slice(0, 40))).toEqual(new Set(ownIds));
    expect(new Set(order.slice(40))).toEqual(new Set(backlog.map((event) => event.id)));
  });
});

describe("the kick's time for a step in flight", () => {
  it("lets a step it started run past the drain's default grace, as the cron drain would", async () => {
    // The kick starts steps within its budget only, but on Vercel it runs most jobs: a step
    // it started (a slow API call) must not fail its attempt after budget + 10 s while the
    // request's function has minutes left.
    const budgetMs = 5_000; // room for the outbox and cron passes before the drain on a busy machine
    const job = defineJob({ id: "kick-slow-step", triggers: [{ event: "booking/created" }] }, async ({ step }) =>
      step.run("slow-call", async () => {
        const started = performance.now();
        while (performance.now() - started < budgetMs + STEP_TIMEOUT_GRACE_MS + 500) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return "answered";
      }),
    );
    const jobs = [job];
    const [own] = await sendEvent(bookingCreated(), { jobs });

    const work = await runKick({ eventIds: [own.id], budgetMs, jobs });
    expect(work.drained).toMatchObject({ processed: 1, completed: 1, retried: 0 });
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.eventId, own.id));
    expect(run).toMatchObject({ status: "completed", output: "answered", attempt: 0, error: null });
  }, 60_000);
});
