import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runValidated } from "@/lib/auth/action";
import { bookingFormSchema, createBooking } from "@/lib/booking/create-booking";
import { clientAppointments, getClient } from "@/lib/clinic/clients";
import { db } from "@/lib/db/client";
import { bookings } from "@/lib/db/schema";
import { createClinic, createMember, form } from "../fixtures/clinic";
import { rowCounts } from "../fuzz/inputs";

// Monday 2 March 2026, 10:00 in London. Practitioners work 09:00-17:00 every day.
const NOW = new Date("2026-03-02T10:00:00Z");

describe("the client's note on the booking form", async () => {
  const fixture = await createClinic();
  const book = (start: string, note?: string) =>
    runValidated(
      bookingFormSchema,
      form({
        clinic: fixture.clinic.slug,
        serviceId: fixture.service.id,
        practitionerId: fixture.practitioners[0].id,
        start,
        name: "Nia Note",
        email: "nia@example.com",
        ...(note === undefined ? {} : { note }),
      }),
      ({ clinic: _slug, ...request }) => createBooking(fixture.clinic, request, { now: NOW }),
    );

  it("is stored with the booking, its lines kept, and shown with the client's appointments", async () => {
    const state = await book("2026-03-03T10:00:00Z", "  Left knee, after a fall.\r\nStairs are hard.  ");
    expect(state.status).toBe("ok");
    const [booking] = await db
      .select()
      .from(bookings)
      .where(eq(bookings.startsAt, new Date("2026-03-03T10:00:00Z")));
    expect(booking.clientNote).toBe("Left knee, after a fall.\nStairs are hard.");

    const member = await createMember(fixture.clinic, "staff");
    const client = await getClient(member, booking.clientId);
    expect((await clientAppointments(client)).map((a) => a.clientNote)).toEqual([
      "Left knee, after a fall.\nStairs are hard.",
    ]);
  });

  it("is optional: left blank, the booking has none", async () => {
    for (const [start, note] of [
      ["2026-03-03T11:00:00Z", "   "],
      ["2026-03-03T12:00:00Z", undefined],
    ] as const) {
      expect((await book(start, note)).status).toBe("ok");
      const [booking] = await db
        .select({ note: bookings.clientNote })
        .from(bookings)
        .where(eq(bookings.startsAt, new Date(start)));
      // Stored as no note, not as an empty one.
      expect(booking.note).toBeNull();
    }
  });

  it("refuses a note over 500 characters, or with control characters, and books nothing", async () => {
    const before = await rowCounts();
    expect(await book("2026-03-03T13:00:00Z", "x".repeat(501))).toMatchObject({
      status: "error",
      fieldErrors: { note: ["Keep the note under 500 characters"] },
    });
    expect(await book("2026-03-03T13:00:00Z", "bell\u0007")).toMatchObject({
      status: "error",
      fieldErrors: { note: [expect.stringContaining("U+0007")] },
    });
    expect(await rowCounts()).toEqual(before);
  });
});
