import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DRAIN_LOG_DAYS, pruneFinishedWork } from "@/lib/jobs/postgres/prune";
import { processDueWork } from "@/lib/jobs/work";

// Ages are written relative to the database's clock (the one retention reads), so
// these tests mean the same whatever the date or time they run at.
const POLICY = { completedDays: 7, failedDays: 30 };

type RunShape = {
  jobId?: string;
  status: "queued" | "running" | "sleeping" | "completed" | "failed" | "cancelled";
  /** Days before the database's now() that the run was created and finished. */
  createdDaysAgo: number;
  finishedDaysAgo?: number;
  eventId?: string;
  attempt?: number;
  runInDays?: number;
};

async function insertEvent(options: { daysAgo: number; driver?: "postgres" | "inngest"; relayed?: boolean }) {
  const id = `retention-${randomUUID()}`;
  const relayedAt = options.relayed ? sql`now()` : sql`null`;
  await db.execute(sql`
    insert into job_events (id, name, data, ts, driver, relayed_at, created_at)
    values (${id}, 'booking/created', '{}'::jsonb, now() - make_interval(days => ${options.daysAgo}),
            ${options.driver ?? "postgres"}, ${relayedAt}, now() - make_interval(days => ${options.daysAgo}))
  `);
  return id;
}

async function insertRun(run: RunShape) {
  const finished =
    run.finishedDaysAgo === undefined ? sql`null` : sql`now() - make_interval(days => ${run.finishedDaysAgo})`;
  const [row] = (await db.execute(sql`
    insert into job_runs (job_id, event_id, status, attempt, max_attempts, run_at, created_at, finished_at,
                          error)
    values (${run.jobId ?? "retention-job"}, ${run.eventId ?? null}, ${run.status}, ${run.attempt ?? 0}, 4,
            now() + make_interval(days => ${run.runInDays ?? 0}),
            now() - make_interval(days => ${run.createdDaysAgo}), ${finished},
            ${run.attempt ? sql`'{"name":"Error","message":"step failed"}'::jsonb` : sql`null`})
    returning id
  `)) as unknown as { id: string }[];
  // Two checkpoints per run, as a real run leaves them.
  await db.execute(sql`
    insert into job_steps (run_id, step_id, op, status, attempt, started_at)
    values (${row.id}, 'load', 'run', 'completed', 0, now() - make_interval(days => ${run.createdDaysAgo})),
           (${row.id}, 'send', 'run', ${run.attempt ? "failed" : "completed"}, 0, now() - make_interval(days => ${run.createdDaysAgo}))
  `);
  return row.id;
}

async function insertEmail(table: "email_outbox" | "email_deliveries", key: string, daysAgo: number) {
  if (table === "email_outbox") {
    await db.execute(sql`
      insert into email_outbox (recipient, subject, html, text, idempotency_key, created_at)
      values ('client@example.com', 'Booked', '<p>hi</p>', 'hi', ${key}, now() - make_interval(days => ${daysAgo}))
    `);
  } else {
    await db.execute(sql`
      insert into email_deliveries (recipient, subject, idempotency_key, status, resend_id, sent_at, created_at)
      values ('client@example.com', 'Booked', ${key}, 'sent', ${randomUUID()}, now(),
              now() - make_interval(days => ${daysAgo}))
    `);
  }
}

const idsIn = async (table: string, column = "id") =>
  ((await db.execute(sql`select ${sql.raw(column)} as id from ${sql.raw(table)}`)) as unknown as { id: string }[]).map(
    (row) => row.id,
  );
const stepRunIds = async () => new Set(await idsIn("job_steps", "run_id"));

afterEach(async () => {
  await db.execute(sql`truncate job_steps, job_runs, job_events, email_outbox, email_deliveries`);
});

describe("retention (pruneFinishedWork)", () => {
  it("keeps a sleeping run's event, a run awaiting its retry and recent runs; old finished ones go with their steps", async () => {
    // A booking's event: its confirmation completed 40 days ago, its reminder still sleeps.
    const bookingEvent = await insertEvent({ daysAgo: 40 });
    const oldConfirmation = await insertRun({
      jobId: "confirmation",
      status: "completed",
      createdDaysAgo: 40,
      finishedDaysAgo: 40,
      eventId: bookingEvent,
    });
    const sleepingReminder = await insertRun({
      jobId: "reminder",
      status: "sleeping",
      createdDaysAgo: 40,
      eventId: bookingEvent,
      runInDays: 3,
    });
    // A run whose step failed and that waits for its backoff: not finished, whatever its age.
    const retryEvent = await insertEvent({ daysAgo: 45 });
    const awaitingRetry = await insertRun({
      status: "queued",
      createdDaysAgo: 45,
      eventId: retryEvent,
      attempt: 2,
      runInDays: 1,
    });
    // Finished runs on both sides of their age.
    const recentCompleted = await insertRun({ status: "completed", createdDaysAgo: 1, finishedDaysAgo: 1 });
    const oldEvent = await insertEvent({ daysAgo: 8 });
    const oldCompleted = await insertRun({
      status: "completed",
      createdDaysAgo: 8,
      finishedDaysAgo: 8,
      eventId: oldEvent,
    });
    const failedStillRetryable = await insertRun({ status: "failed", createdDaysAgo: 20, finishedDaysAgo: 20 });
    const cancelledStillRetryable = await insertRun({ status: "cancelled", createdDaysAgo: 9, finishedDaysAgo: 9 });
    const oldFailed = await insertRun({ status: "failed", createdDaysAgo: 31, finishedDaysAgo: 31 });
    // Created long ago, finished yesterday (it slept a month): its age counts from the finish.
    const longSleeperJustDone = await insertRun({ status: "completed", createdDaysAgo: 35, finishedDaysAgo: 1 });

    const result = await pruneFinishedWork({ policy: POLICY });

    expect(result).toMatchObject({ runs: 3, skipped: false });
    expect(new Set(await idsIn("job_runs"))).toEqual(
      new Set([
        sleepingReminder,
        awaitingRetry,
        recentCompleted,
        failedStillRetryable,
        cancelledStillRetryable,
        longSleeperJustDone,
      ]),
    );
    const steps = await stepRunIds();
    for (const gone of [oldConfirmation, oldCompleted, oldFailed]) expect(steps.has(gone)).toBe(false);
    for (const kept of [sleepingReminder, awaitingRetry, failedStillRetryable]) expect(steps.has(kept)).toBe(true);
    expect(new Set(await idsIn("job_events"))).toEqual(new Set([bookingEvent, retryEvent]));
  });

  it("prunes events that never had a run at the completed age, but never one still waiting for the Inngest relay", async () => {
    const relayedLongAgo = await insertEvent({ daysAgo: 8, driver: "inngest", relayed: true });
    const unrelayed = await insertEvent({ daysAgo: 60, driver: "inngest", relayed: false });
    const recent = await insertEvent({ daysAgo: 6, driver: "inngest", relayed: true });
    const noSubscriber = await insertEvent({ daysAgo: 10 });

    expect(await pruneFinishedWork({ policy: POLICY })).toMatchObject({ events: 2 });
    const left = await idsIn("job_events");
    expect(new Set(left)).toEqual(new Set([unrelayed, recent]));
    expect(left).not.toContain(relayedLongAgo);
    expect(left).not.toContain(noSubscriber);
  });

  it("keeps email keys a run could still use: billing keys for good, others while a run older than them lives", async () => {
    for (const table of ["email_outbox", "email_deliveries"] as const) {
      await insertEmail(table, `booking-confirmation:${table}:old`, 45);
      await insertEmail(table, `booking-confirmation:${table}:month`, 25);
      await insertEmail(table, `billing-summary:${table}:2024-01`, 700);
    }
    expect(await pruneFinishedWork({ policy: POLICY })).toMatchObject({ emails: 2 });
    expect(new Set(await idsIn("email_outbox", "idempotency_key"))).toEqual(
      new Set(["booking-confirmation:email_outbox:month", "billing-summary:email_outbox:2024-01"]),
    );
    expect(new Set(await idsIn("email_deliveries", "idempotency_key"))).toEqual(
      new Set(["booking-confirmation:email_deliveries:month", "billing-summary:email_deliveries:2024-01"]),
    );

    // A reminder sleeping since 60 days ago could still be replayed from scratch: nothing
    // it may have sent since then is pruned until it finishes.
    await insertRun({ status: "sleeping", createdDaysAgo: 60, runInDays: 1 });
    await insertEmail("email_outbox", "appointment-reminder:sleeper", 50);
    expect(await pruneFinishedWork({ policy: POLICY })).toMatchObject({ emails: 0 });
    expect(await idsIn("email_outbox", "idempotency_key")).toContain("appointment-reminder:sleeper");
  });

  it("keeps the drain log for the advisor's 30 days and drops older drains", async () => {
    const logDrain = (daysAgo: number) =>
      db.execute(sql`
        insert into job_drains (started_at, finished_at, budget_ms, processed, remaining)
        values (now() - make_interval(days => ${daysAgo}), now() - make_interval(days => ${daysAgo}), 1000, 1, 0)
        returning id
      `);
    const [old] = (await logDrain(DRAIN_LOG_DAYS + 1)) as unknown as { id: string }[];
    const [recent] = (await logDrain(29)) as unknown as { id: string }[];
    await pruneFinishedWork({ policy: POLICY });
    const left = (await db.execute(sql`
      select id from job_drains where id in (${old.id}, ${recent.id})
    `)) as unknown as { id: string }[];
    expect(left.map((row) => String(row.id))).toEqual([String(recent.id)]);
  });

  it("deletes in bounded batches: one batch when out of time, every batch otherwise", async () => {
    for (let i = 0; i < 5; i++) await insertRun({ status: "completed", createdDaysAgo: 10, finishedDaysAgo: 10 });

    expect(await pruneFinishedWork({ policy: POLICY, batchSize: 2, timeCapMs: 0 })).toMatchObject({ runs: 2 });
    expect(await idsIn("job_runs")).toHaveLength(3);
    expect(await pruneFinishedWork({ policy: POLICY, batchSize: 2, timeCapMs: 10_000 })).toMatchObject({ runs: 3 });
    expect(await idsIn("job_runs")).toEqual([]);
  });

  it("runs after every drain, at the documented default ages", async () => {
    const old = await insertRun({ status: "completed", createdDaysAgo: 8, finishedDaysAgo: 8 });
    const keptFailed = await insertRun({ status: "failed", createdDaysAgo: 8, finishedDaysAgo: 8 });

    const work = await processDueWork({ jobs: [], budgetMs: 2_000 });

    expect(work.pruned).toMatchObject({ runs: 1 });
    const left = await idsIn("job_runs");
    expect(left).toEqual([keptFailed]);
    expect(left).not.toContain(old);
  });
});
