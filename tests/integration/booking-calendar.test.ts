import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { bookings, clients, practitioners, timeOff, workingHours } from "@/lib/db/schema";
import { findAvailableDays, findFreeSlots } from "@/lib/booking/availability";
import { loadBookingChoices, loadBookingPage } from "@/lib/booking/booking-page";
import { bookingCatalog } from "@/lib/booking/public-clinic";
import { wallClockToInstant } from "@/lib/booking/wall-clock";
import { NotFoundError } from "@/lib/clinic/errors";
import { createClinic } from "../fixtures/clinic";

// Wednesday 2 December 2026, 16:30 in London (GMT): with an hour's minimum notice, nothing
// is left today, so December's free days can only be the 3rd to the 31st.
const now = new Date("2026-12-02T16:30:00Z");

/** Books `practitionerId` from 09:00 to 17:00 on `date` (London), in 30-minute appointments. */
async function fillDay(fixture: Awaited<ReturnType<typeof createClinic>>, practitionerId: string, date: string) {
  const [client] = await db
    .insert(clients)
    .values({ clinicId: fixture.clinic.id, name: "Busy Client", email: `busy-${date}-${practitionerId}@example.com` })
    .returning();
  await db.insert(bookings).values(
    Array.from({ length: 16 }, (_, i) => ({
      clinicId: fixture.clinic.id,
      practitionerId,
      serviceId: fixture.service.id,
      clientId: client.id,
      startsAt: wallClockToInstant(date, 9 * 60 + 30 * i, "Europe/London"),
      endsAt: wallClockToInstant(date, 9 * 60 + 30 * (i + 1), "Europe/London"),
      priceMinor: 4500,
      currency: "GBP",
    })),
  );
}

describe("the month calendar's free days", () => {
  it("leaves out days that are fully booked, on time off or outside working hours, per practitioner and for any", async () => {
    const fixture = await createClinic({ practitioners: 2 });
    const [a, b] = fixture.practitioners;
    // B works weekdays only.
    await db.delete(workingHours).where(eq(workingHours.practitionerId, b.id));
    await db
      .insert(workingHours)
      .values(
        [1, 2, 3, 4, 5].map((weekday) => ({ practitionerId: b.id, weekday, startMinute: 9 * 60, endMinute: 17 * 60 })),
      );
    await fillDay(fixture, a.id, "2026-12-10");
    await fillDay(fixture, b.id, "2026-12-10");
    await fillDay(fixture, a.id, "2026-12-11");
    await db.insert(timeOff).values({
      practitionerId: b.id,
      startsAt: wallClockToInstant("2026-12-14", 0, "Europe/London"),
      endsAt: wallClockToInstant("2026-12-19", 0, "Europe/London"),
    });
    const days = (practitionerId: string) =>
      findAvailableDays(
        fixture.clinic,
        { serviceId: fixture.service.id, practitionerId, from: "2026-12-02", to: "2026-12-31" },
        { now },
      );

    const any = await days("any");
    expect(any).not.toContain("2026-12-02"); // inside the minimum notice all day
    expect(any).not.toContain("2026-12-10"); // both fully booked
    expect(any).toContain("2026-12-11"); // A is full, B is free
    expect(any).toContain("2026-12-12");
    expect(any).toHaveLength(29 - 1);

    const onlyB = await days(b.id);
    expect(onlyB).not.toContain("2026-12-10");
    expect(onlyB).toContain("2026-12-11");
    expect(onlyB).not.toContain("2026-12-12"); // a Saturday
    expect(onlyB.filter((d) => d >= "2026-12-14" && d <= "2026-12-18")).toEqual([]); // time off
    expect(onlyB).toContain("2026-12-21");

    // The calendar and the day view agree on every day of the month.
    for (let day = 3; day <= 31; day++) {
      const date = `2026-12-${String(day).padStart(2, "0")}`;
      const { slots } = await findFreeSlots(
        fixture.clinic,
        { serviceId: fixture.service.id, practitionerId: b.id, date },
        { now },
      );
      expect(onlyB.includes(date), date).toBe(slots.length > 0);
    }
  });

  it("offers only practitioners with working hours, and books none without", async () => {
    const fixture = await createClinic();
    const [idle] = await db
      .insert(practitioners)
      .values({ clinicId: fixture.clinic.id, name: "Dr No Hours" })
      .returning();
    const catalog = await bookingCatalog(fixture.clinic.id);
    expect(catalog.practitioners.map((p) => p.name)).toEqual([fixture.practitioners[0].name]);
    await expect(
      findAvailableDays(
        fixture.clinic,
        { serviceId: fixture.service.id, practitionerId: idle.id, from: "2026-12-03", to: "2026-12-31" },
        { now },
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("the booking page with a treatment chosen", () => {
  it("shows the month, selects the first free day, and links the next free day from a full one", async () => {
    const fixture = await createClinic();
    const [a] = fixture.practitioners;
    await fillDay(fixture, a.id, "2026-12-03");
    await fillDay(fixture, a.id, "2026-12-04");

    const first = await loadBookingPage(fixture.clinic.slug, { service: fixture.service.id }, now);
    expect(first.errors).toEqual({});
    expect(first.calendar?.month).toBe("2026-12");
    expect(first.selection.date).toBe("2026-12-05");
    expect(first.slots.length).toBeGreaterThan(0);
    const cells = first.calendar!.days;
    expect(cells.map((cell) => cell.date)).toEqual(
      Array.from({ length: 31 }, (_, i) => `2026-12-${String(i + 1).padStart(2, "0")}`),
    );
    expect(first.calendar!.today).toBe("2026-12-02");
    const state = (date: string) => cells.find((cell) => cell.date === date)?.state;
    expect(state("2026-12-01")).toBe("closed");
    expect(state("2026-12-02")).toBe("full");
    expect(state("2026-12-03")).toBe("full");
    expect(state("2026-12-05")).toBe("free");
    expect(first.calendar!.previous).toBeUndefined();
    expect(first.calendar!.next).toBe("2027-01");

    const full = await loadBookingPage(fixture.clinic.slug, { service: fixture.service.id, date: "2026-12-03" }, now);
    expect(full.slots).toEqual([]);
    expect(full.nextFreeDate).toBe("2026-12-05");

    // The next month, and a month past the horizon falls back to this one.
    const january = await loadBookingPage(fixture.clinic.slug, { service: fixture.service.id, month: "2027-01" }, now);
    expect(january.calendar?.month).toBe("2027-01");
    expect(january.selection.date).toBe("2027-01-01");
    expect(january.calendar?.previous).toBe("2026-12");
    const far = await loadBookingPage(fixture.clinic.slug, { service: fixture.service.id, month: "2031-05" }, now);
    expect(far.calendar?.month).toBe("2026-12");
    const bad = await loadBookingPage(fixture.clinic.slug, { service: fixture.service.id, month: "2026-13" }, now);
    expect(bad.errors).toMatchObject({ month: "Choose a month" });
    expect(bad.calendar).toBeUndefined();
  });

  it("moves to the next month when this one has no free day left", async () => {
    const fixture = await createClinic();
    const [a] = fixture.practitioners;
    for (let day = 3; day <= 31; day++) await fillDay(fixture, a.id, `2026-12-${String(day).padStart(2, "0")}`);
    const page = await loadBookingPage(fixture.clinic.slug, { service: fixture.service.id }, now);
    expect(page.calendar?.month).toBe("2027-01");
    expect(page.selection.date).toBe("2027-01-01");
  });

  it("for the phone booking page, shows one practitioner's month: the first offered when none or any is asked", async () => {
    const fixture = await createClinic({ practitioners: 2 });
    const [a, b] = fixture.practitioners;
    // A is busy on the 3rd, B is not: "any" would show the 3rd as free, A's month must not.
    await fillDay(fixture, a.id, "2026-12-03");
    const first = (await bookingCatalog(fixture.clinic.id, fixture.service.id)).practitioners[0];
    expect(first.id).toBe(a.id);
    const state = (page: Awaited<ReturnType<typeof loadBookingChoices>>, date: string) =>
      page.calendar?.days.find((day) => day.date === date)?.state;

    for (const search of [{}, { practitioner: "any" }]) {
      const page = await loadBookingChoices(fixture.clinic, { service: fixture.service.id, ...search }, now, {
        onePractitioner: true,
      });
      expect(page.selection.practitioner).toBe(a.id);
      expect(state(page, "2026-12-03")).toBe("full");
      expect(page.selection.date).toBe("2026-12-04");
    }
    const anyone = await loadBookingChoices(fixture.clinic, { service: fixture.service.id }, now);
    expect(anyone.selection.practitioner).toBe("any");
    expect(state(anyone, "2026-12-03")).toBe("free");

    const chosen = await loadBookingChoices(
      fixture.clinic,
      { service: fixture.service.id, practitioner: b.id, date: "2026-12-03" },
      now,
      { onePractitioner: true },
    );
    expect(chosen.selection).toMatchObject({ practitioner: b.id, date: "2026-12-03" });
    expect(chosen.slots.length).toBeGreaterThan(0);
  });
});
