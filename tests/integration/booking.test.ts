import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { bookings, clients, jobEvents, timeOff } from "@/lib/db/schema";
import { findFreeSlots } from "@/lib/booking/availability";
import { loadBookingPage } from "@/lib/booking/booking-page";
import { cancelBookingByClient } from "@/lib/booking/cancel-booking";
import { bookingManageUrl, createBookingToken, verifyBookingToken } from "@/lib/booking/cancel-token";
import { createBooking } from "@/lib/booking/create-booking";
import { BookingStateError } from "@/lib/booking/errors";
import { setAppointmentStatus } from "@/lib/clinic/appointments";
import { NotFoundError } from "@/lib/clinic/errors";
import { createClinic, createMember } from "../fixtures/clinic";

const originalTz = process.env.TZ;
afterAll(() => {
  process.env.TZ = originalTz;
});

async function eventsFor(bookingId: string) {
  return db
    .select()
    .from(jobEvents)
    .where(sql`${jobEvents.data}->>'bookingId' = ${bookingId}`);
}

async function book(fixture: Awaited<ReturnType<typeof createClinic>>, start: string, now: Date) {
  return createBooking(
    fixture.clinic,
    {
      serviceId: fixture.service.id,
      practitionerId: fixture.practitioners[0].id,
      start,
      name: "Pat Client",
      email: "PAT@example.com",
      phone: "+44 7700 900123",
    },
    { now },
  );
}

describe("free slots from the database, whatever the server's zone", () => {
  for (const serverZone of ["UTC", "America/Los_Angeles", "Asia/Tokyo"]) {
    it(`reads hours, bookings and time off in the clinic's zone (server in ${serverZone})`, async () => {
      process.env.TZ = serverZone;
      const fixture = await createClinic({ timeZone: "Europe/London" });
      const now = new Date("2026-03-01T00:00:00Z");
      // 29 March 2026 is the day London moves to BST: 09:00 local is 08:00Z.
      const before = await findFreeSlots(
        fixture.clinic,
        { serviceId: fixture.service.id, practitionerId: fixture.practitioners[0].id, date: "2026-03-29" },
        { now },
      );
      expect(before.slots[0].start).toBe("2026-03-29T08:00:00.000Z");
      expect(before.slots.at(-1)!.start).toBe("2026-03-29T15:30:00.000Z");

      await book(fixture, "2026-03-29T09:00:00.000Z", now);
      await db.insert(timeOff).values({
        practitionerId: fixture.practitioners[0].id,
        startsAt: new Date("2026-03-29T12:00:00Z"),
        endsAt: new Date("2026-03-29T13:00:00Z"),
      });
      const after = await findFreeSlots(
        fixture.clinic,
        { serviceId: fixture.service.id, practitionerId: "any", date: "2026-03-29" },
        { now },
      );
      const starts = after.slots.map((s) => s.start.slice(11, 16));
      expect(starts).not.toContain("09:00");
      expect(starts).not.toContain("08:45");
      expect(starts).toContain("09:30");
      expect(starts.filter((t) => t >= "11:45" && t < "13:00")).toEqual([]);
      expect(starts).toContain("13:00");
    });
  }

  it("offers a Sydney clinic its own 09:00 on the day its clocks go back", async () => {
    const fixture = await createClinic({ timeZone: "Australia/Sydney" });
    const { slots } = await findFreeSlots(
      fixture.clinic,
      { serviceId: fixture.service.id, practitionerId: "any", date: "2026-04-05" },
      { now: new Date("2026-04-01T00:00:00Z") },
    );
    expect(slots[0].start).toBe("2026-04-04T23:00:00.000Z");
  });
});

describe("the booking page's query", () => {
  it("turns bad query values into field messages instead of failing", async () => {
    const { clinic } = await createClinic();
    const page = await loadBookingPage(
      clinic.slug,
      { service: "not-a-uuid", date: "2026-02-30" },
      new Date("2026-02-01T00:00:00Z"),
    );
    expect(page.errors).toMatchObject({ service: "Choose a treatment", date: "Choose a date" });
    expect(page.slots).toEqual([]);
    await expect(loadBookingPage("no-such-clinic", {})).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("the client's signed link", () => {
  it("verifies its own tokens and refuses altered ones", () => {
    const id = "4b1f6a8e-3c1d-4e55-9b0a-2f6d7c8e9a01";
    const token = createBookingToken(id);
    expect(verifyBookingToken(token)).toBe(id);
    expect(verifyBookingToken(token.replace(id, "4b1f6a8e-3c1d-4e55-9b0a-2f6d7c8e9a02"))).toBeNull();
    expect(verifyBookingToken(`${token.slice(0, -2)}xx`)).toBeNull();
    expect(verifyBookingToken("garbage")).toBeNull();
    expect(bookingManageUrl("demo-clinic", id)).toBe(`http://localhost:3000/book/demo-clinic/manage/${token}`);
  });

  it("cancels before the notice period, in one transaction with booking/cancelled", async () => {
    const fixture = await createClinic({ noticeHours: 24 });
    const { booking, token } = await book(fixture, "2026-03-10T10:00:00.000Z", new Date("2026-03-01T00:00:00Z"));
    expect(booking.priceMinor).toBe(4500);

    const cancelled = await cancelBookingByClient(
      { token, reason: "Feeling better" },
      { now: new Date("2026-03-09T09:59:00Z") },
    );
    expect(cancelled).toMatchObject({ status: "cancelled", cancelledBy: "client", cancelReason: "Feeling better" });
    expect((await eventsFor(booking.id)).map((e) => [e.name, e.data])).toEqual([
      ["booking/created", { bookingId: booking.id, clinicId: fixture.clinic.id }],
      ["booking/cancelled", { bookingId: booking.id, clinicId: fixture.clinic.id, by: "client" }],
    ]);
    // A second cancel changes nothing and sends nothing.
    await expect(cancelBookingByClient({ token }, { now: new Date("2026-03-09T10:00:00Z") })).rejects.toBeInstanceOf(
      BookingStateError,
    );
    expect(await eventsFor(booking.id)).toHaveLength(2);
  });

  it("refuses to cancel inside the notice period, and a forged token finds nothing", async () => {
    const fixture = await createClinic({ noticeHours: 24 });
    const { booking, token } = await book(fixture, "2026-03-10T10:00:00.000Z", new Date("2026-03-01T00:00:00Z"));
    await expect(cancelBookingByClient({ token }, { now: new Date("2026-03-09T10:01:00Z") })).rejects.toThrow(
      /24 hours' notice/,
    );
    await expect(cancelBookingByClient({ token: `${booking.id}.forged` })).rejects.toBeInstanceOf(NotFoundError);
    const [row] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(row.status).toBe("confirmed");
    expect(await eventsFor(booking.id)).toHaveLength(1);
  });

  it("upserts the client by clinic and email", async () => {
    const fixture = await createClinic();
    const now = new Date("2026-03-01T00:00:00Z");
    const first = await book(fixture, "2026-03-10T10:00:00.000Z", now);
    const second = await book(fixture, "2026-03-10T11:00:00.000Z", now);
    expect(second.booking.clientId).toBe(first.booking.clientId);
  });

  it("never lets a later booking rename a client or change their phone; a missing phone is filled in", async () => {
    const fixture = await createClinic();
    const now = new Date("2026-03-01T00:00:00Z");
    const request = (start: string, client: { name: string; email: string; phone?: string }) =>
      createBooking(
        fixture.clinic,
        { serviceId: fixture.service.id, practitionerId: fixture.practitioners[0].id, start, ...client },
        { now },
      );
    const clientOf = async (clientId: string) => (await db.select().from(clients).where(eq(clients.id, clientId)))[0];

    const first = await request("2026-03-10T10:00:00.000Z", {
      name: "Pat Client",
      email: "pat@example.com",
      phone: "+44 7700 900123",
    });
    const second = await request("2026-03-10T11:00:00.000Z", {
      name: "Mallory",
      email: "pat@example.com",
      phone: "+44 7700 900999",
    });
    expect(second.booking.clientId).toBe(first.booking.clientId);
    expect(await clientOf(first.booking.clientId)).toMatchObject({ name: "Pat Client", phone: "+44 7700 900123" });

    const noPhone = await request("2026-03-10T12:00:00.000Z", { name: "Sam Client", email: "sam@example.com" });
    await request("2026-03-10T13:00:00.000Z", {
      name: "Someone Else",
      email: "sam@example.com",
      phone: "+44 7700 900456",
    });
    expect(await clientOf(noPhone.booking.clientId)).toMatchObject({ name: "Sam Client", phone: "+44 7700 900456" });
  });
});

describe("clinic-side status changes", () => {
  it("cancelling sends booking/cancelled by the clinic; completed needs a started appointment", async () => {
    const fixture = await createClinic();
    const staff = await createMember(fixture.clinic, "staff");
    const { booking } = await book(fixture, "2026-03-10T10:00:00.000Z", new Date("2026-03-01T00:00:00Z"));

    await expect(
      setAppointmentStatus(staff, { bookingId: booking.id, status: "completed" }, new Date("2026-03-10T09:00:00Z")),
    ).rejects.toBeInstanceOf(BookingStateError);
    const done = await setAppointmentStatus(
      staff,
      { bookingId: booking.id, status: "no_show" },
      new Date("2026-03-10T10:20:00Z"),
    );
    expect(done.status).toBe("no_show");

    const { booking: other } = await book(fixture, "2026-03-11T10:00:00.000Z", new Date("2026-03-01T00:00:00Z"));
    const cancelled = await setAppointmentStatus(staff, {
      bookingId: other.id,
      status: "cancelled",
      reason: "Practitioner ill",
    });
    expect(cancelled).toMatchObject({ status: "cancelled", cancelledBy: "clinic", cancelReason: "Practitioner ill" });
    const events = await db
      .select()
      .from(jobEvents)
      .where(and(eq(jobEvents.name, "booking/cancelled"), sql`${jobEvents.data}->>'bookingId' = ${other.id}`));
    expect(events.map((e) => e.data)).toEqual([{ bookingId: other.id, clinicId: fixture.clinic.id, by: "clinic" }]);
  });
});
