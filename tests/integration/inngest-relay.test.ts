import { randomUUID } from "node:crypto";
import { count, eq, inArray, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobEvents, jobRuns } from "@/lib/db/schema";
import { resetEnv } from "@/lib/env";
import { resetInngestClient } from "@/lib/jobs/inngest/client";
import { RELAY_PARK_AFTER_ATTEMPTS, RELAY_REJECTED_PREFIX, relayEventsToInngest } from "@/lib/jobs/inngest/relay";
import { sendEvent } from "@/lib/jobs/send";
import type { EventInput } from "@/lib/jobs/types";
import { processDueWork } from "@/lib/jobs/work";
import { startEventApiStandIn, type EventApiStandIn } from "./inngest-event-api-stand-in";

let standIn: EventApiStandIn;

beforeAll(async () => {
  standIn = await startEventApiStandIn();
  Object.assign(process.env, {
    JOBS_DRIVER: "inngest",
    INNGEST_DEV: "0",
    INNGEST_BASE_URL: standIn.url,
    INNGEST_EVENT_KEY: "stand-in-event-key",
  });
  resetEnv();
  resetInngestClient();
});

afterAll(async () => {
  await standIn.close();
});

beforeEach(async () => {
  // Each test starts with an empty outbox, so counts below are this test's own.
  await db.delete(jobEvents);
  standIn.reset();
});

function bookingEvents(n: number): EventInput[] {
  return Array.from({ length: n }, () => ({
    name: "booking/created",
    data: { bookingId: randomUUID(), clinicId: randomUUID() },
  }));
}

async function unrelayedCount() {
  const [row] = await db.select({ n: count() }).from(jobEvents).where(isNull(jobEvents.relayedAt));
  return row.n;
}

describe("the relay (JOBS_DRIVER=inngest)", () => {
  it("delivers every event once, with its id, name, data and time, in batches", async () => {
    const sent = await sendEvent(bookingEvents(250));
    // In Inngest mode sendEvent only writes the outbox: no Postgres runs.
    expect(
      await db
        .select()
        .from(jobRuns)
        .where(
          inArray(
            jobRuns.eventId,
            sent.map((event) => event.id),
          ),
        ),
    ).toHaveLength(0);

    const result = await relayEventsToInngest();
    expect(result).toEqual({ relayed: 250, failed: 0 });
    expect(standIn.requests).toBe(3); // 100 + 100 + 50
    expect(standIn.keys).toEqual(new Set(["stand-in-event-key"]));
    const counts = standIn.countsById();
    expect(counts.size).toBe(250);
    for (const event of sent) expect(counts.get(event.id)).toBe(1);

    const stored = await db.select().from(jobEvents).where(eq(jobEvents.id, sent[0].id));
    const delivered = standIn.delivered.find((event) => event.id === sent[0].id)!;
    expect(delivered).toMatchObject({ name: "booking/created", data: stored[0].data, ts: stored[0].ts.getTime() });
    expect(stored[0]).toMatchObject({ relayAttempts: 1, relayError: null });
    expect(stored[0].relayedAt).toBeInstanceOf(Date);
    expect(await unrelayedCount()).toBe(0);

    // A second pass finds nothing to send.
    expect(await relayEventsToInngest()).toEqual({ relayed: 0, failed: 0 });
    expect(standIn.delivered).toHaveLength(250);
  });

  it("survives the event API failing for a while and loses nothing", async () => {
    const sent = await sendEvent(bookingEvents(40));
    standIn.fail(500);

    const down = await relayEventsToInngest();
    expect(down.relayed).toBe(0);
    expect(down.failed).toBe(40);
    expect(down.error).toMatch(/500|outage/i);
    const second = await relayEventsToInngest();
    expect(second.failed).toBe(40);

    const waiting = await db.select().from(jobEvents);
    expect(waiting).toHaveLength(40);
    for (const row of waiting) {
      expect(row.relayedAt).toBeNull();
      expect(row.relayAttempts).toBe(2);
      expect(row.relayError).toMatch(/500|outage/i);
    }
    expect(standIn.delivered).toHaveLength(0);

    standIn.recover();
    expect(await relayEventsToInngest()).toEqual({ relayed: 40, failed: 0 });
    const counts = standIn.countsById();
    expect(counts.size).toBe(40);
    for (const event of sent) expect(counts.get(event.id)).toBe(1);
    const after = await db.select().from(jobEvents);
    expect(after).toHaveLength(40);
    for (const row of after) expect(row).toMatchObject({ relayAttempts: 3, relayError: null });
  });

  it("commits before it calls Inngest: no transaction is open while a request is in flight", async () => {
    await sendEvent(bookingEvents(30));
    const openTransactions: string[] = [];
    let checks = 0;
    standIn.whileHandling(async () => {
      checks++;
      const rows = (await db.execute(sql`
        select state, query from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%'
      `)) as unknown as { state: string; query: string }[];
      openTransactions.push(...rows.map((row) => `${row.state}: ${row.query}`));
    });
    expect(await relayEventsToInngest({ batchSize: 10 })).toEqual({ relayed: 30, failed: 0 });
    expect(checks).toBe(3);
    expect(openTransactions).toEqual([]);
    expect(await unrelayedCount()).toBe(0);
  });

  it("two relays at once never send the same event twice", async () => {
    const sent = await sendEvent(bookingEvents(300));
    standIn.slowDown(20); // keeps both relays' batches in flight together
    const [a, b] = await Promise.all([
      relayEventsToInngest({ batchSize: 25 }),
      relayEventsToInngest({ batchSize: 25 }),
    ]);
    expect(a.relayed + b.relayed).toBe(300);
    expect(a.relayed).toBeGreaterThan(0);
    expect(b.relayed).toBeGreaterThan(0);
    const counts = standIn.countsById();
    expect(counts.size).toBe(300);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(sent.map((event) => event.id))).toEqual(new Set(counts.keys()));
  });

  it("re-sends an unconfirmed batch with the same ids, so Inngest drops the copy", async () => {
    const sent = await sendEvent(bookingEvents(5));
    // The API takes the batch but answers after the relay gave up waiting.
    standIn.slowDown(1_500);
    const timedOut = await relayEventsToInngest({ budgetMs: 100 });
    expect(timedOut).toMatchObject({ relayed: 0, failed: 5 });
    expect(timedOut.error).toMatch(/did not answer/);
    standIn.slowDown(0);
    for (let waited = 0; standIn.delivered.length < 5 && waited < 10_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(standIn.delivered).toHaveLength(5); // the API did take the batch the relay gave up on
    expect(await relayEventsToInngest()).toEqual({ relayed: 5, failed: 0 });

    const counts = standIn.countsById();
    for (const event of sent) expect(counts.get(event.id)).toBe(2);
    expect(counts.size).toBe(5);
  });

  it("runs from processDueWork (the cron drain and the after() kick)", async () => {
    const sent = await sendEvent(bookingEvents(12));
    const work = await processDueWork({ budgetMs: 5_000, jobs: [] });
    expect(work.outbox).toEqual({ driver: "inngest", relayed: 12, failed: 0 });
    expect(new Set(standIn.delivered.map((event) => event.id))).toEqual(new Set(sent.map((event) => event.id)));
  });

  it("a duplicate sendEvent id is neither stored nor relayed twice", async () => {
    const id = `booking-created:${randomUUID()}`;
    const [event] = bookingEvents(1);
    await sendEvent({ ...event, id });
    await relayEventsToInngest();
    await sendEvent({ ...event, id });
    await relayEventsToInngest();
    expect(standIn.countsById().get(id)).toBe(1);
  });

  it("delivers the other events once each past one that Inngest always rejects, and parks that one", async () => {
    const sent = await sendEvent(bookingEvents(25));
    const poison = sent[3];
    standIn.reject(poison.id, 400);

    // Batches of 10: the first is refused as a whole and retried one by one; the poison
    // event is not tried again in the later batches of the same pass.
    const first = await relayEventsToInngest({ batchSize: 10 });
    expect(first).toMatchObject({ relayed: 24, failed: 1, rejected: 1 });
    expect(first.error).toMatch(/400/);
    const counts = standIn.countsById();
    expect(counts.size).toBe(24);
    for (const event of sent) expect(counts.get(event.id)).toBe(event.id === poison.id ? undefined : 1);

    const [parked] = await db.select().from(jobEvents).where(eq(jobEvents.id, poison.id));
    expect(parked).toMatchObject({ relayedAt: null, relayAttempts: 1 });
    expect(parked.relayError).toMatch(new RegExp(`^${RELAY_REJECTED_PREFIX}.*400`));

    // Later events are not held up by it either.
    const later = await sendEvent(bookingEvents(3));
    expect(await relayEventsToInngest()).toMatchObject({ relayed: 3, failed: 1, rejected: 1 });
    for (const event of later) expect(standIn.countsById().get(event.id)).toBe(1);
    expect((await db.select().from(jobEvents).where(eq(jobEvents.id, poison.id)))[0].relayAttempts).toBe(2);

    // Once it has been rejected RELAY_PARK_AFTER_ATTEMPTS times, no pass sends it again;
    // it stays in job_events, with its error, for an operator to see.
    await db
      .update(jobEvents)
      .set({ relayAttempts: RELAY_PARK_AFTER_ATTEMPTS - 1 })
      .where(eq(jobEvents.id, poison.id));
    expect(await relayEventsToInngest()).toMatchObject({ relayed: 0, failed: 1, rejected: 1 });
    const requestsBefore = standIn.requests;
    expect(await relayEventsToInngest()).toEqual({ relayed: 0, failed: 0 });
    expect(standIn.requests).toBe(requestsBefore);
    const [kept] = await db.select().from(jobEvents).where(eq(jobEvents.id, poison.id));
    expect(kept).toMatchObject({ relayedAt: null, relayAttempts: RELAY_PARK_AFTER_ATTEMPTS });
    expect(kept.relayError).toMatch(new RegExp(`^${RELAY_REJECTED_PREFIX}`));
    expect(standIn.countsById().get(poison.id)).toBeUndefined();
    expect(await unrelayedCount()).toBe(1);
  });

  it("never parks an event for an outage or a bad event key, however many passes failed", async () => {
    const [event] = await sendEvent(bookingEvents(1));
    await db
      .update(jobEvents)
      .set({ relayAttempts: RELAY_PARK_AFTER_ATTEMPTS + 5, relayError: "Inngest API Error: 500 Internal server error" })
      .where(eq(jobEvents.id, event.id));

    // A 401 refuses every event alike: the pass stops, nothing is singled out as rejected.
    standIn.fail(401);
    const refused = await relayEventsToInngest();
    expect(refused).toMatchObject({ relayed: 0, failed: 1 });
    expect(refused.rejected).toBeUndefined();
    const [waiting] = await db.select().from(jobEvents).where(eq(jobEvents.id, event.id));
    expect(waiting.relayError).toMatch(/401/);
    expect(waiting.relayError).not.toMatch(new RegExp(`^${RELAY_REJECTED_PREFIX}`));

    standIn.recover();
    expect(await relayEventsToInngest()).toEqual({ relayed: 1, failed: 0 });
    expect(standIn.countsById().get(event.id)).toBe(1);
  });
});
