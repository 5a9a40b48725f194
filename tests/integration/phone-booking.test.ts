import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runMemberAction } from "@/lib/auth/action";
import { createBooking } from "@/lib/booking/create-booking";
import { addDays, localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";
import { createPhoneBookingAction } from "@/lib/clinic/phone-bookings";
import { db } from "@/lib/db/client";
import { bookings, clients, jobEvents } from "@/lib/db/schema";
import { createClinic, createMember, form } from "../fixtures/clinic";

const ZONE = "Europe/London";
const at = (ahead: number, hour: number) =>
  wallClockToInstant(addDays(localDateOf(new Date(), ZONE), ahead), hour * 60, ZONE).toISOString();

describe("a booking taken by phone", () => {
  it("goes through createBooking: the booking, its client and booking/created, for staff too", async () => {
    const fixture = await createClinic({ timeZone: ZONE });
    const staff = await createMember(fixture.clinic, "staff");
    const state = await runMemberAction(
      staff,
      createPhoneBookingAction,
      form({
        serviceId: fixture.service.id,
        practitionerId: fixture.practitioners[0].id,
        start: at(3, 11),
        name: "Phone Client",
        email: " Phone@Example.com ",
        phone: "+44 7700 900456",
        note: "Prefers the ground-floor room.",
      }),
    );
    expect(state).toMatchObject({ status: "ok", data: { date: addDays(localDateOf(new Date(), ZONE), 3) } });
    const { bookingId, eventId } = state.data as { bookingId: string; eventId: string };
    const [booking] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
    expect(booking.startsAt.toISOString()).toBe(at(3, 11));
    expect(booking.clientNote).toBe("Prefers the ground-floor room.");
    const [client] = await db.select().from(clients).where(eq(clients.id, booking.clientId));
    expect(client).toMatchObject({ email: "phone@example.com", phone: "+44 7700 900456" });
    const [event] = await db.select().from(jobEvents).where(eq(jobEvents.id, eventId));
    expect(event).toMatchObject({ name: "booking/created", data: { bookingId, clinicId: fixture.clinic.id } });
  });

  it("loses a race like anyone else, and refuses bad input, writing nothing", async () => {
    const fixture = await createClinic({ timeZone: ZONE });
    const owner = await createMember(fixture.clinic, "owner");
    await createBooking(fixture.clinic, {
      serviceId: fixture.service.id,
      practitionerId: fixture.practitioners[0].id,
      start: at(4, 10),
      name: "Online Client",
      email: "online@example.com",
    });
    const request = {
      serviceId: fixture.service.id,
      practitionerId: fixture.practitioners[0].id,
      start: at(4, 10),
      name: "Phone Client",
      email: "phone@example.com",
    };
    const taken = await runMemberAction(owner, createPhoneBookingAction, form(request));
    expect(taken).toMatchObject({ status: "error", message: "That time was just taken. Please choose another." });

    const any = await runMemberAction(owner, createPhoneBookingAction, form({ ...request, practitionerId: "any" }));
    expect(any).toMatchObject({ status: "error", fieldErrors: { practitionerId: ["Choose a practitioner"] } });
    const noEmail = await runMemberAction(
      owner,
      createPhoneBookingAction,
      form({ ...request, start: at(4, 12), email: "not an email" }),
    );
    expect(noEmail.status).toBe("error");
    expect(Object.keys(noEmail.fieldErrors ?? {})).toEqual(["email"]);
    const all = await db.select().from(bookings).where(eq(bookings.clinicId, fixture.clinic.id));
    expect(all).toHaveLength(1);
  });

  it("books only in the member's own clinic", async () => {
    const mine = await createClinic({ timeZone: ZONE });
    const theirs = await createClinic({ timeZone: ZONE });
    const owner = await createMember(mine.clinic, "owner");
    const state = await runMemberAction(
      owner,
      createPhoneBookingAction,
      form({
        serviceId: theirs.service.id,
        practitionerId: theirs.practitioners[0].id,
        start: at(3, 9),
        name: "Cross Tenant",
        email: "cross@example.com",
      }),
    );
    expect(state).toMatchObject({ status: "error", message: expect.stringMatching(/not found/i) });
    expect(await db.select().from(bookings).where(eq(bookings.clinicId, theirs.clinic.id))).toEqual([]);
  });

  it("takes 100 bookings by phone an hour per clinic; the 101st is refused and writes nothing", async () => {
    const fixture = await createClinic({ timeZone: ZONE });
    const owner = await createMember(fixture.clinic, "owner");
    // From two days ahead, every half hour from 09:00 to 16:30 (16 a day).
    const starts = Array.from({ length: 8 * 16 }, (_, i) =>
      wallClockToInstant(addDays(localDateOf(new Date(), ZONE), 2 + Math.floor(i / 16)), 9 * 60 + (i % 16) * 30, ZONE),
    );
    const request = (i: number) => ({
      serviceId: fixture.service.id,
      practitionerId: fixture.practitioners[0].id,
      start: starts[i].toISOString(),
      name: `Caller ${i}`,
      email: `caller${i}@example.com`,
    });
    // A booking that fails does not count.
    await createBooking(fixture.clinic, request(0));
    expect((await runMemberAction(owner, createPhoneBookingAction, form(request(0)))).status).toBe("error");
    for (let i = 1; i <= 100; i++)
      expect((await runMemberAction(owner, createPhoneBookingAction, form(request(i)))).status, `booking ${i}`).toBe(
        "ok",
      );
    const before = await db.select().from(bookings).where(eq(bookings.clinicId, fixture.clinic.id));
    const refused = await runMemberAction(owner, createPhoneBookingAction, form(request(101)));
    expect(refused).toMatchObject({
      status: "error",
      message: expect.stringMatching(/^Too many bookings by phone; try again in \d+ minutes?\.$/),
    });
    expect(await db.select().from(bookings).where(eq(bookings.clinicId, fixture.clinic.id))).toEqual(before);
    // The public page is not the dashboard's: a client still books online.
    await createBooking(fixture.clinic, request(102));
  }, 120_000);
});
