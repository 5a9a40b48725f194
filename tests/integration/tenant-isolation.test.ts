import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { bookings, clinics, practitioners, services, timeOff, workingHours } from "@/lib/db/schema";
import { runMemberAction } from "@/lib/auth/action";
import { createBooking } from "@/lib/booking/create-booking";
import { listUpcoming, setAppointmentStatus, setAppointmentStatusAction } from "@/lib/clinic/appointments";
import { NotFoundError } from "@/lib/clinic/errors";
import {
  findPractitioner,
  getPractitionerSchedule,
  listPractitioners,
  updatePractitioner,
  updatePractitionerAction,
} from "@/lib/clinic/practitioners";
import {
  addTimeOff,
  addTimeOffAction,
  removeTimeOff,
  removeTimeOffAction,
  setWorkingHours,
  setWorkingHoursAction,
} from "@/lib/clinic/schedule";
import { updateClinicSettings } from "@/lib/clinic/settings";
import { getTreatment, listTreatments, updateTreatment, updateTreatmentAction } from "@/lib/clinic/treatments";
import { createClinic, createMember, form } from "../fixtures/clinic";

async function twoClinics() {
  const a = await createClinic();
  const now = new Date();
  const start = new Date(now.getTime() + 3 * 86_400_000);
  const day = start.toISOString().slice(0, 10);
  const { booking } = await createBooking(
    a.clinic,
    {
      serviceId: a.service.id,
      practitionerId: a.practitioners[0].id,
      start: `${day}T12:00:00.000Z`,
      name: "Alice",
      email: "alice@example.com",
      phone: undefined,
    },
    { now },
  );
  const [away] = await db
    .insert(timeOff)
    .values({
      practitionerId: a.practitioners[0].id,
      startsAt: new Date(`${day}T15:00:00Z`),
      endsAt: new Date(`${day}T16:00:00Z`),
    })
    .returning();
  const b = await createClinic();
  const memberOfB = await createMember(b.clinic, "owner");
  return { a: { ...a, booking, timeOff: away }, b, memberOfB };
}

async function snapshotOf(clinicId: string) {
  const [clinic] = await db.select().from(clinics).where(eq(clinics.id, clinicId));
  return {
    clinic,
    practitioners: await db.select().from(practitioners).where(eq(practitioners.clinicId, clinicId)),
    services: await db.select().from(services).where(eq(services.clinicId, clinicId)),
    bookings: await db.select().from(bookings).where(eq(bookings.clinicId, clinicId)),
    hours: await db.select().from(workingHours),
    timeOff: await db.select().from(timeOff),
  };
}

describe("tenant isolation: a member of clinic B and clinic A's ids", () => {
  it("gets NotFoundError from every lib function, and nothing of A changes", async () => {
    const { a, memberOfB: m } = await twoClinics();
    const before = await snapshotOf(a.clinic.id);
    const pid = a.practitioners[0].id;
    const calls: [string, () => Promise<unknown>][] = [
      ["getTreatment", () => getTreatment(m, a.service.id)],
      [
        "updateTreatment",
        () =>
          updateTreatment(m, {
            id: a.service.id,
            name: "Hacked",
            durationMinutes: 30,
            bufferMinutes: 0,
            price: 1,
            active: true,
            description: undefined,
          }),
      ],
      ["findPractitioner", () => findPractitioner(m, pid)],
      ["getPractitionerSchedule", () => getPractitionerSchedule(m, pid)],
      ["updatePractitioner", () => updatePractitioner(m, { id: pid, name: "Hacked", active: false, email: undefined })],
      ["setWorkingHours", () => setWorkingHours(m, { practitionerId: pid, days: [] })],
      [
        "addTimeOff",
        () =>
          addTimeOff(m, {
            practitionerId: pid,
            startsAt: { date: "2030-01-01", minute: 540 },
            endsAt: { date: "2030-01-02", minute: 540 },
            reason: undefined,
          }),
      ],
      ["removeTimeOff", () => removeTimeOff(m, { id: a.timeOff.id })],
      [
        "setAppointmentStatus cancel",
        () => setAppointmentStatus(m, { bookingId: a.booking.id, status: "cancelled", reason: undefined }),
      ],
      [
        "setAppointmentStatus no-show",
        () => setAppointmentStatus(m, { bookingId: a.booking.id, status: "no_show", reason: undefined }),
      ],
    ];
    for (const [name, call] of calls) {
      const outcome = await call().then(
        () => "succeeded",
        (error) => error,
      );
      expect(outcome, name).toBeInstanceOf(NotFoundError);
    }
    expect(await snapshotOf(a.clinic.id)).toEqual(before);
  });

  it("gets “not found” through the dashboard actions too", async () => {
    const { a, memberOfB: m } = await twoClinics();
    const before = await snapshotOf(a.clinic.id);
    const pid = a.practitioners[0].id;
    const submissions = [
      runMemberAction(
        m,
        updateTreatmentAction,
        form({ id: a.service.id, name: "Hacked", durationMinutes: "30", price: "1.00", active: "on" }),
      ),
      runMemberAction(m, updatePractitionerAction, form({ id: pid, name: "Hacked" })),
      runMemberAction(m, setWorkingHoursAction, form({ practitionerId: pid, start_1: "00:00", end_1: "23:00" })),
      runMemberAction(
        m,
        addTimeOffAction,
        form({ practitionerId: pid, startsAt: "2030-01-01T09:00", endsAt: "2030-01-02T09:00" }),
      ),
      runMemberAction(m, removeTimeOffAction, form({ id: a.timeOff.id })),
      runMemberAction(m, setAppointmentStatusAction, form({ bookingId: a.booking.id, status: "cancelled" })),
    ];
    for (const state of await Promise.all(submissions)) {
      expect(state.status).toBe("error");
      expect(state.message).toMatch(/not found$/);
    }
    expect(await snapshotOf(a.clinic.id)).toEqual(before);
  });

  it("never lists A's rows to B, and B's settings change only B", async () => {
    const { a, memberOfB: m } = await twoClinics();
    const aIds = new Set([a.service.id, a.practitioners[0].id, a.booking.id]);
    const seen = [
      ...(await listTreatments(m)).map((t) => t.id),
      ...(await listPractitioners(m)).map((p) => p.id),
      ...(await listUpcoming(m)).map((r) => r.booking.id),
    ];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((id) => aIds.has(id))).toEqual([]);

    const memberOfA = await createMember(a.clinic, "owner");
    expect((await listUpcoming(memberOfA)).map((r) => r.booking.id)).toContain(a.booking.id);

    const before = await snapshotOf(a.clinic.id);
    await updateClinicSettings(m, { name: "B renamed", timeZone: "America/New_York", cancellationNoticeHours: 2 });
    expect(await snapshotOf(a.clinic.id)).toEqual(before);
  });
});
