import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns, jobSteps } from "@/lib/db/schema";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { formatResult } from "@/lib/jobs/cli/format";
import { defineJob } from "@/lib/jobs/define";
import { FlowControlError } from "@/lib/jobs/flow-control";
import { drain } from "@/lib/jobs/postgres/drain";
import { showRun } from "@/lib/jobs/postgres/inspect";
import { sendEvent } from "@/lib/jobs/send";
import { uuid } from "./jobs-support/clock";
import { createBookedClinic } from "./job-fixtures";

// cancelOn and idempotency on the Postgres driver, through sendEvent and the real engine.

const runsOf = (jobId: string, eventId: string) =>
  db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.jobId, jobId), eq(jobRuns.eventId, eventId)));
const created = (booking: { id: string; clinicId: string }) =>
  sendEvent({ name: "booking/created", data: { bookingId: booking.id, clinicId: booking.clinicId } });

describe("cancelOn on Postgres", () => {
  it("cancelling a booking cancels its sleeping reminder in the same transaction, with the reason, and no other", async () => {
    const mine = await createBookedClinic({ hoursAhead: 72 });
    const other = await createBookedClinic({ hoursAhead: 72 });
    const [myEvent] = await created(mine.booking);
    const [otherEvent] = await created(other.booking);
    await drain({ budgetMs: 30_000 });
    const [asleep] = await runsOf("appointment-reminder", myEvent.id);
    expect(asleep.status).toBe("sleeping");

    // The app's own cancel path; no drain runs between it and the checks below.
    await db.transaction((tx) =>
      cancelBooking(tx, { bookingId: mine.booking.id, clinicId: mine.booking.clinicId }, "client"),
    );
    const [cancelEvent] = (await db.execute(
      sql`select id from job_events where name = 'booking/cancelled' and data->>'bookingId' = ${mine.booking.id}`,
    )) as unknown as { id: string }[];

    const [cancelled] = await runsOf("appointment-reminder", myEvent.id);
    expect(cancelled).toMatchObject({ status: "cancelled", cancelledByEventId: cancelEvent.id });
    expect(cancelled.cancelReason).toContain(`booking/cancelled ${cancelEvent.id}`);
    expect(cancelled.finishedAt).not.toBeNull();
    expect((await runsOf("appointment-reminder", otherEvent.id))[0].status).toBe("sleeping");

    // Operators see why: `npm run jobs -- show` and the run page read showRun.
    const detail = (await showRun(cancelled.id))!;
    expect(formatResult({ command: "show", runId: cancelled.id }, detail)).toMatch(
      new RegExp(`Why +cancelOn: booking/cancelled ${cancelEvent.id}`),
    );
  });

  it("a queued run is cancelled before any step, and a rolled-back cancellation cancels nothing", async () => {
    const { booking } = await createBookedClinic({ hoursAhead: 72 });
    const [event] = await created(booking);
    await expect(
      db.transaction(async (tx) => {
        await cancelBooking(tx, { bookingId: booking.id, clinicId: booking.clinicId }, "clinic");
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect((await runsOf("appointment-reminder", event.id))[0].status).toBe("queued");

    await db.transaction((tx) => cancelBooking(tx, { bookingId: booking.id, clinicId: booking.clinicId }, "clinic"));
    const [run] = await runsOf("appointment-reminder", event.id);
    expect(run.status).toBe("cancelled");
    await drain({ budgetMs: 30_000 });
    expect(await db.select().from(jobSteps).where(eq(jobSteps.runId, run.id))).toHaveLength(0);
    // The confirmation has no cancelOn: it runs, sees the booking cancelled, and sends nothing.
    expect((await runsOf("booking-confirmation", event.id))[0].status).toBe("completed");
  });

  it("a rescheduled booking's old reminder is cancelled and a new one starts", async () => {
    const { booking } = await createBookedClinic({ hoursAhead: 72 });
    const [first] = await created(booking);
    await drain({ budgetMs: 30_000 });
    const [moved] = await sendEvent({
      name: "booking/rescheduled",
      data: { bookingId: booking.id, clinicId: booking.clinicId },
    });
    expect((await runsOf("appointment-reminder", first.id))[0]).toMatchObject({
      status: "cancelled",
      cancelledByEventId: moved.id,
    });
    expect((await runsOf("appointment-reminder", moved.id))[0].status).toBe("queued");
  });

  it("a running run stops before its next step", async () => {
    let release!: () => void;
    const inFirstStep = new Promise<void>((resolve) => {
      release = resolve;
    });
    let cancelSent!: () => void;
    const cancelDone = new Promise<void>((resolve) => {
      cancelSent = resolve;
    });
    const secondStep: string[] = [];
    const job = defineJob(
      {
        id: "cancellable",
        triggers: [{ event: "booking/created" }],
        cancelOn: [{ event: "booking/cancelled", match: "data.bookingId" }],
      },
      async ({ step }) => {
        await step.run("first", async () => {
          release();
          await cancelDone;
        });
        await step.run("second", () => secondStep.push("ran"));
      },
    );
    const jobs = [job];
    const data = { bookingId: uuid(), clinicId: uuid() };
    const [event] = await sendEvent({ name: "booking/created", data }, { jobs });
    const draining = drain({ budgetMs: 30_000, jobs });
    await inFirstStep;
    await sendEvent({ name: "booking/cancelled", data: { ...data, by: "client" } }, { jobs });
    cancelSent();
    expect(await draining).toMatchObject({ cancelled: 1, completed: 0 });
    expect(secondStep).toEqual([]);
    expect((await runsOf("cancellable", event.id))[0].status).toBe("cancelled");
  });
});

describe("idempotency on Postgres", () => {
  const job = defineJob(
    { id: "once-per-booking", triggers: [{ event: "booking/created" }], idempotency: "event.data.bookingId" },
    async () => null,
  );
  const jobs = [job];
  const runCount = async (bookingId: string) =>
    (
      (await db.execute(sql`
        select count(*)::int as n from job_runs r join job_events e on e.id = r.event_id
        where r.job_id = 'once-per-booking' and e.data->>'bookingId' = ${bookingId}
      `)) as unknown as { n: number }[]
    )[0].n;

  it("starts one run per key within 24 hours, even from concurrent senders; another key starts its own", async () => {
    const data = { bookingId: uuid(), clinicId: uuid() };
    await Promise.all(Array.from({ length: 6 }, () => sendEvent({ name: "booking/created", data }, { jobs })));
    expect(await runCount(data.bookingId)).toBe(1);

    const otherKey = { bookingId: uuid(), clinicId: data.clinicId };
    await sendEvent({ name: "booking/created", data: otherKey }, { jobs });
    expect(await runCount(otherKey.bookingId)).toBe(1);
  });

  it("after 24 hours the same key starts a run again", async () => {
    const data = { bookingId: uuid(), clinicId: uuid() };
    await sendEvent({ name: "booking/created", data }, { jobs });
    await db.execute(sql`
      update job_runs set created_at = now() - interval '25 hours'
      where job_id = 'once-per-booking' and idempotency_key = ${data.bookingId}
    `);
    await sendEvent({ name: "booking/created", data }, { jobs });
    expect(await runCount(data.bookingId)).toBe(2);
  });

  it("defineJob refuses an expression the Postgres driver cannot evaluate, naming the job and option", () => {
    expect(() =>
      defineJob(
        { id: "bad-key", triggers: [{ event: "booking/created" }], idempotency: "event.data.a + event.data.b" },
        async () => null,
      ),
    ).toThrow(
      new FlowControlError(
        `Job "bad-key": idempotency must be a path into the event such as "event.data.clinicId" (got "event.data.a + event.data.b")`,
      ),
    );
    expect(() =>
      defineJob(
        { id: "bad-limit", triggers: [{ event: "booking/created" }], concurrency: { limit: 0 } },
        async () => null,
      ),
    ).toThrow(/bad-limit.*concurrency\[0\]\.limit must be a whole number/);
  });
});

describe("lifecycle on Postgres", () => {
  it("a booking made less than 24 h ahead gets its reminder inside the confirmation, and no separate one", async () => {
    const { booking, client } = await createBookedClinic({ hoursAhead: 5 });
    const [event] = await created(booking);
    await drain({ budgetMs: 30_000 });
    const emails = (await db.execute(
      sql`select idempotency_key, recipient, text from email_outbox where idempotency_key like ${`%:${booking.id}%`}`,
    )) as unknown as { idempotency_key: string; recipient: string; text: string }[];
    expect(emails.map((email) => [email.idempotency_key, email.recipient])).toEqual([
      [`booking-confirmation:${booking.id}`, client.email],
    ]);
    expect(emails[0].text).toContain("this email is also your reminder");
    expect((await runsOf("appointment-reminder", event.id))[0]).toMatchObject({
      status: "completed",
      output: { sent: false, reason: "in-confirmation" },
    });
  });

  it("a booking made more than 24 h ahead gets a plain confirmation", async () => {
    const { booking } = await createBookedClinic({ hoursAhead: 30 });
    await created(booking);
    await drain({ budgetMs: 30_000 });
    const [email] = (await db.execute(
      sql`select text from email_outbox where idempotency_key = ${`booking-confirmation:${booking.id}`}`,
    )) as unknown as { text: string }[];
    expect(email.text).not.toContain("reminder");
  });
});
