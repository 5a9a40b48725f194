import { and, eq, like } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { bookings, emailOutbox, jobRuns } from "@/lib/db/schema";
import { resetDatabaseClock, setDatabaseClock } from "@/lib/jobs/postgres/clock";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { insertBookingWithEvent } from "@/lib/booking/create-booking";
import { icsLines, icsUtc } from "./support/ics";
import { createBookedClinic, createClinic, createService } from "./job-fixtures";

// End to end through the real engine and the real registry (jobs/index.ts):
// sendEvent -> job_runs -> drain -> job handler -> sendEmail -> email_outbox.

const HOUR = 3_600_000;
const created = (booking: { id: string; clinicId: string }, id?: string) =>
  sendEvent({ name: "booking/created", id, data: { bookingId: booking.id, clinicId: booking.clinicId } });
const outboxFor = (prefix: string) =>
  db
    .select()
    .from(emailOutbox)
    .where(like(emailOutbox.idempotencyKey, `${prefix}%`));
const runOf = async (jobId: string, eventId: string) =>
  (
    await db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.jobId, jobId), eq(jobRuns.eventId, eventId)))
  )[0];

afterEach(async () => {
  vi.useRealTimers();
  await resetDatabaseClock();
});

describe("booking-confirmation", () => {
  it("follows a booking made by the app: the event commits with the booking, a rolled-back booking emails nobody", async () => {
    const { clinic, practitioner } = await createClinic({ name: "App Clinic" });
    const service = await createService(clinic.id, "Physio", 6000, 60);
    const start = new Date(Math.ceil(Date.now() / HOUR + 48) * HOUR);
    const client = { name: "Ada Client", email: `ada.${crypto.randomUUID().slice(0, 8)}@example.com` };
    const booking = await db.transaction((tx) =>
      insertBookingWithEvent(tx, { clinic, service, practitionerId: practitioner.id, start, client }),
    );
    const rolledBack = { name: "Rolled Back", email: `rb.${crypto.randomUUID().slice(0, 8)}@example.com` };
    await expect(
      db.transaction(async (tx) => {
        await insertBookingWithEvent(tx, {
          clinic,
          service,
          practitionerId: practitioner.id,
          start: new Date(start.getTime() + 2 * HOUR),
          client: rolledBack,
        });
        throw new Error("payment declined");
      }),
    ).rejects.toThrow("payment declined");

    await drain({ budgetMs: 30_000 });
    const emails = await outboxFor(`booking-confirmation:${booking.id}`);
    expect(emails.map((email) => [email.recipient, email.subject])).toEqual([
      [client.email, expect.stringContaining("Booked: Physio at App Clinic")],
    ]);
    expect((await db.select().from(emailOutbox)).map((email) => email.recipient)).not.toContain(rolledBack.email);
  });

  it("emails the client once, with the link to manage the booking", async () => {
    const { booking, client, clinic } = await createBookedClinic({ hoursAhead: 72 });
    const [event] = await created(booking);
    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });

    const emails = await outboxFor(`booking-confirmation:${booking.id}`);
    expect(emails).toHaveLength(1);
    expect(emails[0].recipient).toBe(client.email);
    expect(emails[0].subject).toContain("Booked: Sports massage at Riverside Physio");
    expect(emails[0].html).toContain(`/book/${clinic.slug}/manage/${booking.id}.`);
    expect(emails[0].text).toContain("Hi Sam Patel");
    expect(await runOf("booking-confirmation", event.id)).toMatchObject({
      status: "completed",
      output: { sent: true },
    });
  });

  it("attaches the booking as a calendar file and links it to Google Calendar and Outlook", async () => {
    const { booking, clinic } = await createBookedClinic({ hoursAhead: 72 });
    await created(booking);
    await drain({ budgetMs: 30_000 });

    const [email] = await outboxFor(`booking-confirmation:${booking.id}`);
    expect(email.attachments).toHaveLength(1);
    const [file] = email.attachments;
    expect(file).toMatchObject({
      filename: "appointment.ics",
      contentType: "text/calendar; charset=utf-8; method=PUBLISH",
    });
    const lines = icsLines(file);
    expect(lines).toEqual(
      expect.arrayContaining([
        "METHOD:PUBLISH",
        `UID:${booking.id}@slotline`,
        "SEQUENCE:0",
        `DTSTART:${icsUtc(booking.startsAt)}`,
        `DTEND:${icsUtc(booking.endsAt)}`,
        "SUMMARY:Sports massage at Riverside Physio",
        "LOCATION:Riverside Physio",
        "STATUS:CONFIRMED",
      ]),
    );
    expect(lines.find((line) => line.startsWith("DESCRIPTION:"))).toContain(
      `/book/${clinic.slug}/manage/${booking.id}.`,
    );

    const dates = `${icsUtc(booking.startsAt)}/${icsUtc(booking.endsAt)}`;
    expect(email.html).toContain(`dates=${encodeURIComponent(dates)}`);
    expect(email.html).toContain(`startdt=${encodeURIComponent(booking.startsAt.toISOString().replace(".000Z", "Z"))}`);
  });

  it("sends exactly one email per booking when the job runs twice (a second booking/created for the same booking)", async () => {
    const { booking } = await createBookedClinic({ hoursAhead: 72 });
    const [first] = await created(booking);
    await drain({ budgetMs: 30_000 });
    const [second] = await created(booking);
    await created(booking, first.id); // the same event id again creates no run at all
    await drain({ budgetMs: 30_000 });

    expect(await runOf("booking-confirmation", first.id)).toMatchObject({ status: "completed" });
    expect(await runOf("booking-confirmation", second.id)).toMatchObject({ status: "completed" });
    expect(
      (await db.select().from(jobRuns).where(eq(jobRuns.eventId, first.id))).filter(
        (run) => run.jobId === "booking-confirmation",
      ),
    ).toHaveLength(1);
    expect(await outboxFor(`booking-confirmation:${booking.id}`)).toHaveLength(1);
  });

  it("sends nothing for a booking cancelled before the job ran", async () => {
    const { booking } = await createBookedClinic({ hoursAhead: 72 });
    const [event] = await created(booking);
    await db
      .update(bookings)
      .set({ status: "cancelled", cancelledBy: "client", cancelledAt: new Date() })
      .where(eq(bookings.id, booking.id));
    await drain({ budgetMs: 30_000 });
    expect(await runOf("booking-confirmation", event.id)).toMatchObject({
      status: "completed",
      output: { sent: false },
    });
    expect(await outboxFor(`booking-confirmation:${booking.id}`)).toHaveLength(0);
  });
});

describe("appointment-reminder", () => {
  /** Books 72 h ahead, sends the event and drains once, leaving the reminder asleep. */
  async function asleep() {
    const fixture = await createBookedClinic({ hoursAhead: 72 });
    const [event] = await created(fixture.booking);
    await drain({ budgetMs: 30_000 });
    const wakeAt = new Date(fixture.booking.startsAt.getTime() - 24 * HOUR);
    return { ...fixture, event, wakeAt };
  }

  it("sleeps until exactly 24 h before the start, then emails the client once", async () => {
    const { booking, client, event, wakeAt } = await asleep();
    const run = await runOf("appointment-reminder", event.id);
    expect(run).toMatchObject({ status: "sleeping" });
    expect(run.runAt.toISOString()).toBe(wakeAt.toISOString());

    await setDatabaseClock(new Date(wakeAt.getTime() - 60_000));
    await drain({ budgetMs: 30_000 });
    expect(await runOf("appointment-reminder", event.id)).toMatchObject({ status: "sleeping" });
    expect(await outboxFor(`appointment-reminder:${booking.id}`)).toHaveLength(0);

    await setDatabaseClock(wakeAt);
    await drain({ budgetMs: 30_000 });
    expect(await runOf("appointment-reminder", event.id)).toMatchObject({
      status: "completed",
      output: { sent: true },
    });
    const emails = await outboxFor(`appointment-reminder:${booking.id}:`);
    expect(emails.map((email) => [email.idempotencyKey, email.recipient])).toEqual([
      [`appointment-reminder:${booking.id}:${booking.startsAt.toISOString()}`, client.email],
    ]);
    expect(emails[0].subject).toContain("Reminder: Sports massage");
  });

  it("does not send when the booking was cancelled while it slept", async () => {
    const { booking, event, wakeAt } = await asleep();
    await db
      .update(bookings)
      .set({ status: "cancelled", cancelledBy: "clinic", cancelledAt: new Date() })
      .where(eq(bookings.id, booking.id));
    await setDatabaseClock(wakeAt);
    await drain({ budgetMs: 30_000 });
    expect(await runOf("appointment-reminder", event.id)).toMatchObject({
      status: "completed",
      output: { sent: false, reason: "cancelled" },
    });
    expect(await outboxFor(`appointment-reminder:${booking.id}`)).toHaveLength(0);
  });

  it("does not send when the booking was moved while it slept", async () => {
    const { booking, event, wakeAt } = await asleep();
    await db
      .update(bookings)
      .set({
        startsAt: new Date(booking.startsAt.getTime() + 2 * HOUR),
        endsAt: new Date(booking.endsAt.getTime() + 2 * HOUR),
      })
      .where(eq(bookings.id, booking.id));
    await setDatabaseClock(wakeAt);
    await drain({ budgetMs: 30_000 });
    expect(await runOf("appointment-reminder", event.id)).toMatchObject({
      status: "completed",
      output: { sent: false, reason: "moved" },
    });
    expect(await outboxFor(`appointment-reminder:${booking.id}`)).toHaveLength(0);
  });

  it("does not send a stale reminder when it wakes up after the appointment started", async () => {
    const { booking, event } = await asleep();
    // The worker was down: the clock is past the start when the run finally wakes.
    const late = new Date(booking.startsAt.getTime() + 5 * 60_000);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(late);
    await setDatabaseClock(late);
    await drain({ budgetMs: 30_000 });
    vi.useRealTimers();
    expect(await runOf("appointment-reminder", event.id)).toMatchObject({
      status: "completed",
      output: { sent: false, reason: "started" },
    });
    expect(await outboxFor(`appointment-reminder:${booking.id}`)).toHaveLength(0);
  });

  it("does not send for an event that arrives after the appointment started", async () => {
    const { booking } = await createBookedClinic({ hoursAhead: -1, createdHoursAgo: 72 });
    const [event] = await created(booking);
    await drain({ budgetMs: 30_000 });
    expect(await runOf("appointment-reminder", event.id)).toMatchObject({
      status: "completed",
      output: { sent: false, reason: "started" },
    });
    expect(await outboxFor(`appointment-reminder:${booking.id}`)).toHaveLength(0);
  });
});
