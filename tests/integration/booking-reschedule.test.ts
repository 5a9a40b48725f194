import { and, eq, like, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { bookings, emailOutbox, jobEvents, jobRuns } from "@/lib/db/schema";
import { cancelBookingByClient } from "@/lib/booking/cancel-booking";
import { createBooking } from "@/lib/booking/create-booking";
import { BookingStateError, BookingTimeError, SlotTakenError } from "@/lib/booking/errors";
import { rescheduleBookingByClient, rescheduleBookingByClinic } from "@/lib/booking/reschedule-booking";
import { addDays, localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";
import { NotFoundError } from "@/lib/clinic/errors";
import { drain } from "@/lib/jobs/postgres/drain";
import { createClinic, createMember } from "../fixtures/clinic";
import { createOwner } from "./job-fixtures";
import { icsLines, icsUtc } from "./support/ics";

// Days well past the 24-hour notice and inside the horizon, whatever the hour the suite runs.
const ZONE = "Europe/London";
const day = (ahead: number) => addDays(localDateOf(new Date(), ZONE), ahead);
const at = (date: string, hour: number, minute = 0) => wallClockToInstant(date, hour * 60 + minute, ZONE);

async function bookedClinic() {
  const fixture = await createClinic({ timeZone: ZONE });
  const owner = await createOwner(fixture.clinic.id, "Olive Owner");
  const { booking, token } = await createBooking(fixture.clinic, {
    serviceId: fixture.service.id,
    practitionerId: fixture.practitioners[0].id,
    start: at(day(5), 10).toISOString(),
    name: "Pat Client",
    email: "pat@example.com",
  });
  return { ...fixture, owner, booking, token };
}

const runsOf = (jobId: string) => db.select().from(jobRuns).where(eq(jobRuns.jobId, jobId));

/** The emails telling of this booking's moves, oldest move first (their keys name the move's event). */
async function moveEmails(bookingId: string) {
  const moves = await db
    .select({ id: jobEvents.id })
    .from(jobEvents)
    .where(and(eq(jobEvents.name, "booking/rescheduled"), sql`${jobEvents.data}->>'bookingId' = ${bookingId}`))
    .orderBy(jobEvents.createdAt);
  const emails = await db.select().from(emailOutbox).where(like(emailOutbox.idempotencyKey, "booking-rescheduled:%"));
  return moves.flatMap((move) =>
    emails.filter((email) => email.idempotencyKey.startsWith(`booking-rescheduled:${move.id}:`)),
  );
}

describe("a client moves their booking with its link", () => {
  it("moves it in one transaction with booking/rescheduled: the reminder moves, client and owner are emailed once", async () => {
    const { booking, token, owner } = await bookedClinic();
    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    const [firstReminder] = await runsOf("appointment-reminder");
    expect(firstReminder.status).toBe("sleeping");

    const newStart = at(day(6), 14);
    const { booking: moved } = await rescheduleBookingByClient({ token, start: newStart.toISOString() });
    expect(moved.startsAt).toEqual(newStart);
    expect(moved.endsAt).toEqual(new Date(newStart.getTime() + 30 * 60_000));
    const events = await db.select().from(jobEvents).where(eq(jobEvents.name, "booking/rescheduled"));
    // The first test of the file: the only move so far.
    expect(events.map((event) => event.data)).toEqual([
      { bookingId: booking.id, clinicId: booking.clinicId, by: "client" },
    ]);
    // The sleeping reminder is cancelled at once, in the same transaction; a new one starts for the new time.
    const [cancelled] = await db.select().from(jobRuns).where(eq(jobRuns.id, firstReminder.id));
    expect(cancelled.status).toBe("cancelled");

    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    const reminders = await runsOf("appointment-reminder");
    expect(reminders.map((run) => run.status).sort()).toEqual(["cancelled", "sleeping"]);
    const next = reminders.find((run) => run.status === "sleeping")!;
    expect(next.runAt).toEqual(new Date(newStart.getTime() - 24 * 3_600_000));

    const emails = await moveEmails(booking.id);
    expect(emails.map((email) => email.recipient).sort()).toEqual([owner.email, "pat@example.com"].sort());
    const toClient = emails.find((email) => email.recipient === "pat@example.com")!;
    expect(toClient.text).toContain("has moved to");
    // The updated calendar file: same UID, the new start.
    const ics = icsLines(toClient.attachments[0]);
    expect(ics).toContain(`UID:${booking.id}@slotline`);
    expect(ics).toContain(`DTSTART:${icsUtc(newStart)}`);

    // The same move cannot be made twice, and a second drain sends nothing new.
    await expect(rescheduleBookingByClient({ token, start: newStart.toISOString() })).rejects.toBeInstanceOf(
      BookingStateError,
    );
    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    expect(await moveEmails(booking.id)).toHaveLength(2);
  });

  it("tells of every move, a move back to an earlier time too", async () => {
    const { booking, token } = await bookedClinic();
    const [first, second] = [booking.startsAt, at(day(6), 9)];
    for (const start of [second, first, second]) {
      await rescheduleBookingByClient({ token, start: start.toISOString() });
      expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    }
    const toClient = (await moveEmails(booking.id)).filter((email) => email.recipient === "pat@example.com");
    expect(toClient.map((email) => icsLines(email.attachments[0]).find((line) => line.startsWith("DTSTART:")))).toEqual(
      [second, first, second].map((start) => `DTSTART:${icsUtc(start)}`),
    );
  });

  it("takes 5 moves an hour of one appointment; the 6th is refused and changes nothing", async () => {
    const { booking, token, ...fixture } = await bookedClinic();
    const moves = () =>
      db
        .select({ id: jobEvents.id })
        .from(jobEvents)
        .where(and(eq(jobEvents.name, "booking/rescheduled"), sql`${jobEvents.data}->>'bookingId' = ${booking.id}`));
    const times = [at(day(6), 9), at(day(6), 11), at(day(7), 9), at(day(7), 11), at(day(8), 9)];
    for (const start of times) await rescheduleBookingByClient({ token, start: start.toISOString() });
    await expect(rescheduleBookingByClient({ token, start: at(day(8), 11).toISOString() })).rejects.toThrow(
      /^Too many moves of this appointment; try again in \d+ minutes?, or call the clinic\.$/,
    );
    const [row] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(row.startsAt).toEqual(times[4]);
    expect(await moves()).toHaveLength(5);
    // Another appointment of the clinic moves on.
    const other = await createBooking(fixture.clinic, {
      serviceId: fixture.service.id,
      practitionerId: fixture.practitioners[0].id,
      start: at(day(9), 10).toISOString(),
      name: "Other Client",
      email: "other@example.com",
    });
    await rescheduleBookingByClient({ token: other.token, start: at(day(9), 14).toISOString() });
  });

  it("may move onto part of its own old time, and never onto someone else's", async () => {
    const fixture = await bookedClinic();
    const { booking: other } = await createBooking(fixture.clinic, {
      serviceId: fixture.service.id,
      practitionerId: fixture.practitioners[0].id,
      start: at(day(5), 11).toISOString(),
      name: "Robin Rival",
      email: "robin@example.com",
    });
    const quarterPast = at(day(5), 10, 15);
    const { booking: moved } = await rescheduleBookingByClient({
      token: fixture.token,
      start: quarterPast.toISOString(),
    });
    expect(moved.startsAt).toEqual(quarterPast);

    const taken = rescheduleBookingByClient({ token: fixture.token, start: other.startsAt.toISOString() });
    await expect(taken).rejects.toBeInstanceOf(SlotTakenError);
    const [unchanged] = await db.select().from(bookings).where(eq(bookings.id, fixture.booking.id));
    expect(unchanged.startsAt).toEqual(quarterPast);
  });

  it("lets the database decide a race for the new time: one wins, the other is told it was taken", async () => {
    const fixture = await bookedClinic();
    const target = at(day(7), 15);
    const outcomes = await Promise.allSettled([
      rescheduleBookingByClient({ token: fixture.token, start: target.toISOString() }),
      createBooking(fixture.clinic, {
        serviceId: fixture.service.id,
        practitionerId: fixture.practitioners[0].id,
        start: target.toISOString(),
        name: "Quick Quinn",
        email: "quinn@example.com",
      }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(SlotTakenError);
    const atTarget = await db
      .select()
      .from(bookings)
      .where(and(eq(bookings.clinicId, fixture.clinic.id), eq(bookings.startsAt, target)));
    expect(atTarget).toHaveLength(1);
  });

  it("refuses, changing nothing: inside the notice, a cancelled booking, a bad link, a time never offered", async () => {
    const fixture = await bookedClinic();
    const original = fixture.booking.startsAt;
    const later = at(day(6), 9).toISOString();
    // Inside the notice: an hour before the appointment.
    await expect(
      rescheduleBookingByClient(
        { token: fixture.token, start: later },
        { now: new Date(original.getTime() - 3_600_000) },
      ),
    ).rejects.toThrow(/can no longer be moved online/);
    await expect(rescheduleBookingByClient({ token: "not-a-token", start: later })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      rescheduleBookingByClient({ token: fixture.token, start: at(day(6), 20).toISOString() }),
    ).rejects.toBeInstanceOf(BookingTimeError);
    await expect(
      rescheduleBookingByClient({ token: fixture.token, start: original.toISOString() }),
    ).rejects.toBeInstanceOf(BookingStateError);
    await cancelBookingByClient({ token: fixture.token });
    await expect(rescheduleBookingByClient({ token: fixture.token, start: later })).rejects.toThrow(/no longer active/);
    const [row] = await db.select().from(bookings).where(eq(bookings.id, fixture.booking.id));
    expect(row.startsAt).toEqual(original);
    const moves = await db.select().from(jobEvents).where(eq(jobEvents.name, "booking/rescheduled"));
    expect(moves.filter((event) => (event.data as { bookingId: string }).bookingId === fixture.booking.id)).toEqual([]);
  });
});

describe("the front desk moves an appointment", () => {
  it("moves it with booking/rescheduled by the clinic: the client is emailed the new time, the owner that the clinic moved it", async () => {
    const { clinic, booking, owner } = await bookedClinic();
    const staff = await createMember(clinic, "staff");
    // Inside the client's notice period (an hour before): the clinic may still move it.
    const now = new Date(booking.startsAt.getTime() - 3_600_000);
    const newStart = at(day(5), 15);
    const { booking: moved, date } = await rescheduleBookingByClinic(
      staff,
      { bookingId: booking.id, start: newStart.toISOString() },
      { now },
    );
    expect(moved.startsAt).toEqual(newStart);
    expect(date).toBe(day(5));
    const events = await db.select().from(jobEvents).where(eq(jobEvents.name, "booking/rescheduled"));
    expect(events.map((event) => event.data)).toContainEqual({
      bookingId: booking.id,
      clinicId: booking.clinicId,
      by: "clinic",
    });

    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    const emails = await moveEmails(booking.id);
    expect(emails.find((email) => email.recipient === "pat@example.com")!.text).toContain("has moved to");
    expect(emails.find((email) => email.recipient === owner.email)!.text).toContain(
      "your clinic moved Pat Client's appointment to",
    );
  });

  it("refuses, changing nothing: another clinic's appointment, a cancelled or started one, its own time, a time never offered", async () => {
    const { clinic, booking, token } = await bookedClinic();
    const member = await createMember(clinic, "staff");
    const stranger = await createMember((await bookedClinic()).clinic, "owner");
    const original = booking.startsAt;
    const later = at(day(6), 9).toISOString();
    await expect(rescheduleBookingByClinic(stranger, { bookingId: booking.id, start: later })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      rescheduleBookingByClinic(
        member,
        { bookingId: booking.id, start: later },
        { now: new Date(original.getTime() + 60_000) },
      ),
    ).rejects.toThrow("This appointment has started, so it cannot be moved.");
    await expect(
      rescheduleBookingByClinic(member, { bookingId: booking.id, start: original.toISOString() }),
    ).rejects.toThrow("The appointment is already at that time. Choose another.");
    await expect(
      rescheduleBookingByClinic(member, { bookingId: booking.id, start: at(day(6), 20).toISOString() }),
    ).rejects.toBeInstanceOf(BookingTimeError);
    await cancelBookingByClient({ token });
    await expect(rescheduleBookingByClinic(member, { bookingId: booking.id, start: later })).rejects.toThrow(
      "This appointment is cancelled, so it cannot be moved.",
    );
    const [row] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(row.startsAt).toEqual(original);
    const moves = await db.select().from(jobEvents).where(eq(jobEvents.name, "booking/rescheduled"));
    expect(moves.filter((event) => (event.data as { bookingId: string }).bookingId === booking.id)).toEqual([]);
  });
});
