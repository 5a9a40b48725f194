import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { bookings, clinics, emailOutbox, services } from "@/lib/db/schema";
import { runMemberAction, runValidated } from "@/lib/auth/action";
import { bookingPagePath } from "@/lib/booking/booking-links";
import { loadBookingPage } from "@/lib/booking/booking-page";
import { cancelBookingByClient, clientCancelSchema, findBookingByToken } from "@/lib/booking/cancel-booking";
import { createBookingToken } from "@/lib/booking/cancel-token";
import { updateClinicSettingsAction } from "@/lib/clinic/settings";
import { DEMO, seedDemo } from "@/lib/demo/seed";
import { loadBookingEmailDetails, sendAppointmentReminder, sendBookingConfirmation } from "@/lib/email/booking-emails";
import { sendCancellationToClient, sendCancellationToOwner } from "@/lib/email/cancellation-emails";
import { createClinic, createMember, form } from "../fixtures/clinic";
import { rowCounts } from "../fuzz/inputs";
import { createBookedClinic } from "./job-fixtures";

// The clinic's phone and address: saved in settings, refused when bad, and shown to clients.

const settings = (overrides: Record<string, string | undefined>) =>
  form({
    name: "Test Clinic",
    timeZone: "Europe/London",
    currency: "GBP",
    cancellationNoticeHours: "24",
    ...overrides,
  });

const clinicRow = async (id: string) => (await db.select().from(clinics).where(eq(clinics.id, id)))[0];

describe("clinic settings: phone and address", () => {
  it("saves both trimmed, keeps the address's lines, and clears them when left blank", async () => {
    const { clinic } = await createClinic();
    const owner = await createMember(clinic, "owner");

    const saved = await runMemberAction(
      owner,
      updateClinicSettingsAction,
      settings({ phone: "  +44 (0)20 7946-0000  ", address: " 12 River Lane\r\nLondon SE1 2AB \n" }),
    );
    expect(saved.status, JSON.stringify(saved.fieldErrors)).toBe("ok");
    expect(await clinicRow(clinic.id)).toMatchObject({
      phone: "+44 (0)20 7946-0000",
      address: "12 River Lane\nLondon SE1 2AB",
    });

    const cleared = await runMemberAction(owner, updateClinicSettingsAction, settings({ phone: " ", address: "\n" }));
    expect(cleared.status).toBe("ok");
    expect(await clinicRow(clinic.id)).toMatchObject({ phone: null, address: null });
  });

  it.each([
    [
      "a NUL in the phone",
      { phone: "020\u00007946" },
      "phone",
      "Enter the phone number with digits, spaces, +, -, ( and ) only",
    ],
    [
      "letters in the phone",
      { phone: "call reception" },
      "phone",
      "Enter the phone number with digits, spaces, +, -, ( and ) only",
    ],
    [
      "a phone too short to dial",
      { phone: "123" },
      "phone",
      "Enter the phone number with digits, spaces, +, -, ( and ) only",
    ],
    ["a phone of 31 characters", { phone: "1".repeat(31) }, "phone", "Keep the phone number under 30 characters"],
    ["a megabyte of phone", { phone: "2".repeat(1_000_000) }, "phone", "Keep the phone number under 30 characters"],
    [
      "a NUL in the address",
      { address: "12 River Lane\u0000London" },
      "address",
      "Remove the invisible control character (U+0000) from the address",
    ],
    ["an address of 301 characters", { address: "a".repeat(301) }, "address", "Keep the address under 300 characters"],
  ])("refuses %s with a field error and changes nothing", async (_label, bad, field, message) => {
    const { clinic } = await createClinic();
    const owner = await createMember(clinic, "owner");
    await runMemberAction(owner, updateClinicSettingsAction, settings({ phone: "020 7946 0000", address: "Old Road" }));

    const before = await rowCounts();
    // A new name beside the bad field: it must not be saved either.
    const state = await runMemberAction(owner, updateClinicSettingsAction, settings({ name: "Renamed", ...bad }));
    expect(state.status).toBe("error");
    expect(state.fieldErrors).toEqual({ [field]: [message] });
    expect(JSON.stringify(state).length).toBeLessThan(20_000);
    expect(await rowCounts()).toEqual(before);
    expect(await clinicRow(clinic.id)).toMatchObject({
      name: "Test Clinic",
      phone: "020 7946 0000",
      address: "Old Road",
    });
  });

  it("gives the demo clinic a phone and an address", async () => {
    await seedDemo();
    const [demo] = await db.select().from(clinics).where(eq(clinics.slug, DEMO.slug));
    expect(demo.phone).toMatch(/^\+44 20 7946 0\d{3}$/);
    expect(demo.address).toContain("\n");
  });

  it("is the managers' to change: staff are refused and nothing changes", async () => {
    const { clinic } = await createClinic();
    const staff = await createMember(clinic, "staff");
    const state = await runMemberAction(staff, updateClinicSettingsAction, settings({ phone: "020 7946 0000" }));
    expect(state).toMatchObject({ status: "error", message: expect.stringMatching(/role/) });
    expect((await clinicRow(clinic.id)).phone).toBeNull();
  });
});

describe("what a client sees of the phone and address", () => {
  async function bookedClinicWithContact(hoursAhead: number) {
    const booked = await createBookedClinic({ hoursAhead });
    await db
      .update(clinics)
      .set({ phone: "+44 20 7946 0000", address: "12 River Lane\nLondon SE1 2AB", cancellationNoticeHours: 24 })
      .where(eq(clinics.id, booked.clinic.id));
    return booked;
  }

  it("puts them in the confirmation, the reminder and the client's cancellation email", async () => {
    const { booking } = await bookedClinicWithContact(72);
    const details = await loadBookingEmailDetails(booking.id);
    expect(details).toMatchObject({ clinicPhone: "+44 20 7946 0000", clinicAddress: "12 River Lane\nLondon SE1 2AB" });

    await sendBookingConfirmation(details!);
    expect(await sendAppointmentReminder(booking.id, booking.startsAt.toISOString())).toMatchObject({ sent: true });
    await sendCancellationToClient(details!, "clinic");
    await sendCancellationToOwner(details!, { userId: "owner-1", name: "Olive", email: "olive@example.com" }, "clinic");

    const emails = await db.select().from(emailOutbox);
    const ofThisBooking = emails.filter((email) => email.idempotencyKey.includes(booking.id));
    const keyed = (prefix: string) => ofThisBooking.find((email) => email.idempotencyKey.startsWith(prefix))!;
    for (const prefix of ["booking-confirmation:", "appointment-reminder:", "booking-cancellation:"]) {
      const email = keyed(prefix);
      expect(email.text, prefix).toContain("Address: 12 River Lane, London SE1 2AB");
      expect(email.text, prefix).toContain("Phone: +44 20 7946 0000");
    }
    const owner = ofThisBooking.find((email) => email.recipient === "olive@example.com")!;
    expect(owner.text).not.toContain("Phone:");
  });

  it("names the phone when the notice period has passed and the client must call", async () => {
    const { booking } = await bookedClinicWithContact(5);
    const state = await runValidated(clientCancelSchema, form({ token: createBookingToken(booking.id) }), (input) =>
      cancelBookingByClient(input),
    );
    expect(state).toMatchObject({
      status: "error",
      message: expect.stringContaining("Please call the clinic on +44 20 7946 0000."),
    });
    expect((await db.select().from(bookings).where(eq(bookings.id, booking.id)))[0].status).toBe("confirmed");
  });

  it("offers a cancelled booking's treatment again on the booking page, if the clinic still offers it", async () => {
    const { booking, clinic, service } = await bookedClinicWithContact(72);
    await db.update(bookings).set({ status: "cancelled" }).where(eq(bookings.id, booking.id));
    const found = await findBookingByToken(createBookingToken(booking.id));
    expect(found?.service).toMatchObject({ id: service.id, active: true });
    expect(found?.clinic).toMatchObject({ phone: "+44 20 7946 0000" });

    const path = bookingPagePath(clinic.slug, service.id);
    expect(path).toBe(`/book/${clinic.slug}?service=${service.id}`);
    const page = await loadBookingPage(clinic.slug, Object.fromEntries(new URL(path, "http://x").searchParams));
    expect(page.selection.service).toBe(service.id);
    expect(page.errors).toEqual({});

    await db.update(services).set({ active: false }).where(eq(services.id, service.id));
    expect((await findBookingByToken(createBookingToken(booking.id)))?.service.active).toBe(false);
  });
});
