import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobEvents, jobRuns } from "@/lib/db/schema";
import { resetEnv } from "@/lib/env";
import { defineJob } from "@/lib/jobs/define";
import { resetInngestClient } from "@/lib/jobs/inngest/client";
import { relayEventsToInngest } from "@/lib/jobs/inngest/relay";
import { freezeDatabaseClock, resetDatabaseClock, shiftDatabaseClock } from "@/lib/jobs/postgres/clock";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import type { EventInput } from "@/lib/jobs/types";
import { processDueWork, runCronJob } from "@/lib/jobs/work";
import { startEventApiStandIn, type EventApiStandIn } from "./inngest-event-api-stand-in";

// Flipping JOBS_DRIVER with work in flight, both ways, through the real drain and the
// relay against a local stand-in for Inngest's event API.

const handled = new Map<string, number>();
const sleepy = new Set<string>();
const flaky = new Set<string>();
const failedOnce = new Set<string>();

const flipJob = defineJob(
  { id: "flip-record", triggers: [{ event: "booking/created" }], retries: 3 },
  async ({ event, step }) => {
    if (sleepy.has(event.data.bookingId)) await step.sleep("nap", "1s");
    await step.run("maybe-fail", () => {
      if (flaky.has(event.data.bookingId) && !failedOnce.has(event.id)) {
        failedOnce.add(event.id);
        throw new Error("first attempt fails");
      }
    });
    await step.run("record", () => {
      handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
    });
  },
);
const cronJob = defineJob(
  { id: "flip-monthly", triggers: [{ cron: "TZ=Europe/London 0 6 1 * *" }] },
  async () => "ran",
);
const jobs = [flipJob, cronJob];

let standIn: EventApiStandIn;

function setDriver(driver: "postgres" | "inngest") {
  process.env.JOBS_DRIVER = driver;
  resetEnv();
}

function bookingEvents(n: number): EventInput[] {
  return Array.from({ length: n }, () => ({
    name: "booking/created",
    data: { bookingId: randomUUID(), clinicId: randomUUID() },
  }));
}

const runsOf = (eventIds: string[]) =>
  db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.jobId, "flip-record"), inArray(jobRuns.eventId, eventIds)));

/**
 * Drains (relay included) until every given run is finished, as cron and kicks would.
 * Between drains the engine's clock moves a minute on, so backoffs, sleeps and any lease
 * a slow machine let lapse come due at the next drain instead of after wall-clock waits.
 */
async function drainUntilFinished(eventIds: string[], timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await processDueWork({ jobs, budgetMs: 30_000 });
    const runs = await runsOf(eventIds);
    if (runs.every((run) => run.status === "completed" || run.status === "failed")) return runs;
    if (Date.now() > until) {
      const pending = runs.filter((run) => run.status !== "completed").map((run) => `${run.id}: ${run.status}`);
      throw new Error(`runs still pending: ${pending.join(", ")}`);
    }
    await shiftDatabaseClock(60_000);
  }
}

beforeAll(async () => {
  standIn = await startEventApiStandIn();
  Object.assign(process.env, {
    INNGEST_DEV: "0",
    INNGEST_BASE_URL: standIn.url,
    INNGEST_EVENT_KEY: "stand-in-event-key",
  });
  setDriver("postgres");
  resetInngestClient();
});

afterAll(async () => {
  setDriver("postgres");
  await standIn.close();
});

describe("flipping JOBS_DRIVER loses nothing", () => {
  afterEach(resetDatabaseClock);

  it("postgres -> inngest: 200 runs in flight finish through drain, 200 new events reach Inngest exactly once", async () => {
    // 200 Postgres runs: 50 sleeping, 50 waiting for a retry, 100 queued.
    const started = await sendEvent(bookingEvents(100), { jobs });
    for (const [index, event] of (
      await db
        .select()
        .from(jobEvents)
        .where(
          inArray(
            jobEvents.id,
            started.map((e) => e.id),
          ),
        )
    ).entries()) {
      (index % 2 === 0 ? sleepy : flaky).add((event.data as { bookingId: string }).bookingId);
    }
    // A frozen clock: however slow this machine is, nothing that sleeps or backs off
    // comes due again within this drain, so the flip finds them sleeping and retrying.
    await freezeDatabaseClock();
    await drain({ jobs, budgetMs: 20_000, concurrency: 4 });
    await resetDatabaseClock();
    const queued = await sendEvent(bookingEvents(100), { jobs });
    const oldIds = [...started, ...queued].map((event) => event.id);
    const before = await runsOf(oldIds);
    expect(before).toHaveLength(200);
    const statuses = before.reduce<Record<string, number>>(
      (acc, run) => ({ ...acc, [run.status]: (acc[run.status] ?? 0) + 1 }),
      {},
    );
    expect(statuses).toEqual({ sleeping: 50, queued: 150 });
    expect(before.filter((run) => run.error !== null)).toHaveLength(50); // the retrying ones

    setDriver("inngest");
    const fresh = await sendEvent(bookingEvents(200), { jobs });
    const newIds = fresh.map((event) => event.id);
    // Inngest owns the crons now: the Postgres cron route creates nothing.
    const cron = await runCronJob("flip-monthly", { jobs, at: new Date("2026-12-01T06:00:00Z") });
    expect(cron.body).toMatchObject({ note: expect.stringMatching(/Inngest/) });
    expect(await db.select().from(jobRuns).where(eq(jobRuns.jobId, "flip-monthly"))).toHaveLength(0);

    const after = await drainUntilFinished(oldIds);
    expect(after.every((run) => run.status === "completed")).toBe(true);
    for (const id of oldIds) expect(handled.get(id)).toBe(1);

    // New events made no Postgres runs; each reached the stand-in once, with its id.
    expect(await runsOf(newIds)).toHaveLength(0);
    const counts = standIn.countsById();
    for (const id of newIds) expect(counts.get(id)).toBe(1);
    expect(oldIds.some((id) => counts.has(id))).toBe(false);
    expect(counts.size).toBe(200);
  }, 180_000);

  it("inngest -> postgres: events the relay never sent become Postgres runs; relayed ones do not", async () => {
    setDriver("inngest");
    const relayed = await sendEvent(bookingEvents(10), { jobs });
    await processDueWork({ jobs, budgetMs: 30_000 });
    standIn.fail(500); // Inngest unreachable when the flag goes back
    const stranded = await sendEvent(bookingEvents(30), { jobs });
    const attempt = await processDueWork({ jobs, budgetMs: 30_000 });
    expect(attempt.outbox).toMatchObject({ driver: "inngest", relayed: 0, failed: 30 });

    setDriver("postgres");
    const work = await processDueWork({ jobs, budgetMs: 30_000 });
    expect(work.outbox).toEqual({ driver: "postgres", adopted: 30 });
    const strandedIds = stranded.map((event) => event.id);
    const runs = await drainUntilFinished(strandedIds);
    expect(runs).toHaveLength(30);
    for (const id of strandedIds) expect(handled.get(id)).toBe(1);
    expect(await runsOf(relayed.map((event) => event.id))).toHaveLength(0);

    // Adopted once: later drains adopt nothing, and the relay will never send them.
    expect((await processDueWork({ jobs, budgetMs: 2_000 })).outbox).toEqual({ driver: "postgres", adopted: 0 });
    const rows = await db.select().from(jobEvents).where(inArray(jobEvents.id, strandedIds));
    expect(rows.every((row) => row.driver === "postgres" && row.relayedAt === null)).toBe(true);
    standIn.recover();
    // With Inngest reachable again, a relay pass (as an Inngest-mode deploy still running
    // would make) finds nothing left to send: the adopted events are no longer its to relay.
    expect(await relayEventsToInngest()).toEqual({ relayed: 0, failed: 0 });
    expect(strandedIds.some((id) => standIn.countsById().has(id))).toBe(false);
  }, 180_000);
});
