import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { bookings, services, workingHours } from "@/lib/db/schema";
import { findAvailableDays, findFreeSlots } from "@/lib/booking/availability";
import { createBooking, insertBookingWithEvent } from "@/lib/booking/create-booking";
import { isSlotConflict, SlotTakenError } from "@/lib/booking/errors";
import { rescheduleBookingByClinic } from "@/lib/booking/reschedule-booking";
import { addDays, localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";
import { createTreatmentSchema } from "@/lib/clinic/treatments";
import { createClinic, createMember } from "../fixtures/clinic";

// A treatment's buffer keeps its practitioner free after each appointment: no other booking
// starts inside it, in the times offered and in the database itself.

const ZONE = "Europe/London";
const day = (ahead: number) => addDays(localDateOf(new Date(), ZONE), ahead);
const at = (date: string, hour: number, minute = 0) => wallClockToInstant(date, hour * 60 + minute, ZONE);

/** A clinic (09:00–17:00 every day) whose 30-minute check-up keeps 15 minutes free after it. */
async function bufferedClinic(bufferMinutes = 15) {
  const fixture = await createClinic({ timeZone: ZONE });
  const [service] = await db
    .update(services)
    .set({ bufferMinutes })
    .where(eq(services.id, fixture.service.id))
    .returning();
  const practitionerId = fixture.practitioners[0].id;
  const book = (start: Date, email = `c-${start.getTime()}@example.com`) =>
    createBooking(fixture.clinic, {
      serviceId: service.id,
      practitionerId,
      start: start.toISOString(),
      name: "Buffered Client",
      email,
    });
  const freeTimes = async (date: string) =>
    (await findFreeSlots(fixture.clinic, { serviceId: service.id, practitionerId, date })).slots.map(
      (slot) => slot.start,
    );
  return { ...fixture, service, practitionerId, book, freeTimes };
}

const iso = (...instants: Date[]) => instants.map((instant) => instant.toISOString());

describe("a treatment's buffer", () => {
  it("records the time a booking holds, and offers no start inside the buffer before or after it", async () => {
    const { book, freeTimes } = await bufferedClinic();
    const date = day(5);
    const { booking } = await book(at(date, 10));
    expect(booking.endsAt).toEqual(at(date, 10, 30));
    expect(booking.blockedUntil).toEqual(at(date, 10, 45));

    const free = await freeTimes(date);
    // After: 10:30 is inside its buffer; 10:45 is the first start.
    expect(free).not.toContain(at(date, 10, 30).toISOString());
    expect(free).toContain(at(date, 10, 45).toISOString());
    // Before: a 09:30 check-up would end at 10:00 but hold its practitioner until 10:15.
    expect(free).not.toContain(at(date, 9, 30).toISOString());
    expect(free).toContain(at(date, 9, 15).toISOString());
    // The last appointment's buffer may run past the end of the day's hours.
    expect(free).toContain(at(date, 16, 30).toISOString());
  });

  it("is kept by the database under any race: a booking inside another's buffer is refused", async () => {
    const { clinic, service, practitionerId, book } = await bufferedClinic();
    const date = day(6);
    await book(at(date, 10));
    // Straight to the insert, past the free-times check, as a rival request that read before would.
    const insert = (start: Date) =>
      db.transaction((tx) =>
        insertBookingWithEvent(tx, {
          clinic,
          service,
          practitionerId,
          start,
          client: { name: "Rival", email: `rival-${start.getTime()}@example.com` },
        }),
      );
    for (const start of [at(date, 10, 30), at(date, 9, 30)]) {
      const refused = await insert(start).catch((error: unknown) => error);
      expect(isSlotConflict(refused)).toBe(true);
    }
    const rows = await db.select().from(bookings).where(eq(bookings.practitionerId, practitionerId));
    expect(rows.map((row) => row.startsAt)).toEqual([at(date, 10)]);
    // Through the booking page, the same time is taken, and the times still free are offered.
    const taken = await book(at(date, 10, 30)).catch((error: unknown) => error);
    expect(taken).toBeInstanceOf(SlotTakenError);
    expect((taken as SlotTakenError).remaining.map((slot) => slot.start)).toContain(at(date, 10, 45).toISOString());
    // Right after the buffer is fine.
    expect((await insert(at(date, 10, 45))).startsAt).toEqual(at(date, 10, 45));
  });

  it("leaves a day off the month calendar when its own buffer would run into the next booking", async () => {
    const { clinic, service, practitionerId, book } = await bufferedClinic(30);
    // Work from 09:15 to 10:30, booked at 10:00: a 09:15 check-up ends at 09:45 but holds
    // its practitioner until 10:15, and every later start meets the booking itself.
    const date = day(7);
    await db
      .update(workingHours)
      .set({ startMinute: 9 * 60 + 15, endMinute: 10 * 60 + 30 })
      .where(eq(workingHours.practitionerId, practitionerId));
    await book(at(date, 10));
    const query = { serviceId: service.id, practitionerId, from: date, to: date };
    expect(await findAvailableDays(clinic, query)).toEqual([]);
    // Without buffers, 09:15 and 09:30 are free that day.
    await db.update(services).set({ bufferMinutes: 0 }).where(eq(services.id, service.id));
    await db.update(bookings).set({ blockedUntil: null }).where(eq(bookings.practitionerId, practitionerId));
    expect(await findAvailableDays(clinic, query)).toEqual([date]);
  });

  it("moves with its appointment, keeping the buffer it was booked with", async () => {
    const { clinic, book, freeTimes } = await bufferedClinic();
    const date = day(8);
    const { booking } = await book(at(date, 10));
    const desk = await createMember(clinic, "staff");
    const { booking: moved } = await rescheduleBookingByClinic(desk, {
      bookingId: booking.id,
      start: at(date, 14).toISOString(),
    });
    expect([moved.startsAt, moved.endsAt, moved.blockedUntil]).toEqual([
      at(date, 14),
      at(date, 14, 30),
      at(date, 14, 45),
    ]);
    const free = await freeTimes(date);
    expect(free).toEqual(expect.arrayContaining(iso(at(date, 10), at(date, 10, 30), at(date, 14, 45))));
    expect(free).not.toContain(at(date, 14, 30).toISOString());
  });

  it("keeps the day's last appointment's buffer clear of the next day's first booking", async () => {
    const { practitionerId, book, freeTimes } = await bufferedClinic();
    // Working round the clock: a 23:30 check-up would hold its practitioner until 00:15.
    await db
      .update(workingHours)
      .set({ startMinute: 0, endMinute: 1440 })
      .where(eq(workingHours.practitionerId, practitionerId));
    const date = day(10);
    await book(at(addDays(date, 1), 0));
    const free = await freeTimes(date);
    expect(free).not.toContain(at(date, 23, 30).toISOString());
    expect(free).toContain(at(date, 23, 15).toISOString());
  });

  it("offers a move the times that fit the length and buffer it was booked with, not the treatment's new ones", async () => {
    const { clinic, service, book } = await bufferedClinic();
    const date = day(9);
    const { booking } = await book(at(date, 10)); // 10:00–10:30, held to 10:45
    await book(at(date, 11), "next@example.com");
    // The clinic then drops the buffer and lengthens nothing: the booking keeps its own.
    await db.update(services).set({ bufferMinutes: 0 }).where(eq(services.id, service.id));
    const moving = await findFreeSlots(
      clinic,
      { serviceId: service.id, practitionerId: booking.practitionerId, date },
      { moving: booking },
    );
    const times = moving.slots.map((slot) => slot.start);
    // At 10:30 it would hold its practitioner until 11:15, into the 11:00 appointment.
    expect(times).not.toContain(at(date, 10, 30).toISOString());
    expect(times).toContain(at(date, 10, 15).toISOString());
    const desk = await createMember(clinic, "staff");
    const refused = await rescheduleBookingByClinic(desk, {
      bookingId: booking.id,
      start: at(date, 10, 30).toISOString(),
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SlotTakenError);
    expect((refused as SlotTakenError).remaining.map((slot) => slot.start)).not.toContain(
      at(date, 10, 30).toISOString(),
    );
    const [unmoved] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(unmoved.startsAt).toEqual(at(date, 10));
  });

  it("is read from the treatment form: blank means none, and a bad value is refused by name", async () => {
    const { clinic } = await bufferedClinic();
    const schema = createTreatmentSchema(await createMember(clinic, "owner"));
    const form = (bufferMinutes?: string) => ({
      name: "Facial",
      durationMinutes: "60",
      price: "50",
      active: "on",
      ...(bufferMinutes === undefined ? {} : { bufferMinutes }),
    });
    for (const blank of [undefined, "", "  "]) expect(schema.parse(form(blank)).bufferMinutes).toBe(0);
    expect(schema.parse(form("10")).bufferMinutes).toBe(10);
    const message = (value: string) => schema.safeParse(form(value)).error?.issues[0]?.message;
    expect(message("300")).toBe("The buffer in minutes must be at most 240");
    expect(message("-5")).toBe("The buffer in minutes must be at least 0");
    expect(message("ten")).toBe("Enter the buffer in minutes as a whole number");
    expect(message("7.5")).toBe("Enter the buffer in minutes as a whole number");
  });
});
