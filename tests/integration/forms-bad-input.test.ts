import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  bookings,
  clients,
  clinics,
  jobEvents,
  memberships,
  practitioners,
  services,
  timeOff,
  users,
  workingHours,
} from "@/lib/db/schema";
import { runMemberAction, runValidated, type ActionState } from "@/lib/auth/action";
import { signIn, signInSchema, signUpClinic, signUpSchema } from "@/lib/auth/sign-up";
import { cancelBookingByClient, clientCancelSchema } from "@/lib/booking/cancel-booking";
import { bookingRequestSchema, createBooking } from "@/lib/booking/create-booking";
import { setAppointmentStatusAction } from "@/lib/clinic/appointments";
import { createPractitionerAction, updatePractitionerAction } from "@/lib/clinic/practitioners";
import { addTimeOffAction, removeTimeOffAction, setWorkingHoursAction } from "@/lib/clinic/schedule";
import { updateClinicSettingsAction } from "@/lib/clinic/settings";
import { createTreatmentAction, updateTreatmentAction } from "@/lib/clinic/treatments";
import { createClinic, createMember, form } from "../fixtures/clinic";

const TABLES = {
  bookings,
  clients,
  clinics,
  jobEvents,
  memberships,
  practitioners,
  services,
  timeOff,
  users,
  workingHours,
};

async function rowCounts() {
  const entries = await Promise.all(
    Object.entries(TABLES).map(
      async ([name, table]) => [name, (await db.select({ n: count() }).from(table))[0].n] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** Submits bad input and checks: an error state, these fields flagged, and no row written anywhere. */
async function expectRejected(submit: () => Promise<ActionState>, fields: string[]) {
  const before = await rowCounts();
  const state = await submit();
  expect(state.status).toBe("error");
  expect(Object.keys(state.fieldErrors ?? {}).sort()).toEqual([...fields].sort());
  for (const messages of Object.values(state.fieldErrors ?? {}))
    for (const message of messages) expect(message.length).toBeGreaterThan(5);
  expect(await rowCounts()).toEqual(before);
  return state;
}

describe("bad input on every dashboard form gives field errors and writes nothing", async () => {
  const fixture = await createClinic();
  const owner = await createMember(fixture.clinic, "owner");
  const pid = fixture.practitioners[0].id;

  it("treatments", async () => {
    await expectRejected(
      () => runMemberAction(owner, createTreatmentAction, form({ name: " ", durationMinutes: "abc", price: "12.345" })),
      ["name", "durationMinutes", "price"],
    );
    await expectRejected(
      () => runMemberAction(owner, createTreatmentAction, form({ name: "Massage", durationMinutes: "3", price: "-5" })),
      ["durationMinutes", "price"],
    );
    await expectRejected(
      () =>
        runMemberAction(
          owner,
          updateTreatmentAction,
          form({ id: "1; drop table services", name: "X", durationMinutes: "30", price: "10" }),
        ),
      ["id"],
    );
  });

  it("practitioners", async () => {
    await expectRejected(
      () => runMemberAction(owner, createPractitionerAction, form({ name: "", email: "not-an-email" })),
      ["name", "email"],
    );
    await expectRejected(
      () => runMemberAction(owner, updatePractitionerAction, form({ id: pid, name: "x".repeat(101) })),
      ["name"],
    );
  });

  it("working hours", async () => {
    const state = await expectRejected(
      () =>
        runMemberAction(
          owner,
          setWorkingHoursAction,
          form({
            practitionerId: pid,
            start_1: "25:00",
            end_1: "26:00",
            start_2: "10:00",
            start_3: "12:00",
            end_3: "11:00",
          }),
        ),
      ["start_1", "end_1", "end_2", "end_3"],
    );
    expect(state.fieldErrors?.end_3).toEqual(["Wednesday must end after it starts"]);
    expect(state.values).toMatchObject({ start_2: "10:00" });
  });

  it("time off", async () => {
    const timeOff = (values: Record<string, string>) => () =>
      runMemberAction(owner, addTimeOffAction, form({ practitionerId: pid, ...values }));
    await expectRejected(timeOff({ startsAt: "tomorrow", endsAt: "2026-02-30T10:00" }), ["startsAt", "endsAt"]);
    await expectRejected(timeOff({ startsAt: "2026-05-02T10:00", endsAt: "2026-05-01T10:00" }), ["endsAt"]);
    // The form's date and time pickers.
    await expectRejected(
      timeOff({ startsDate: "2030-02-30", startsTime: "25:00", endsDate: "2030-03-01", endsTime: "x" }),
      ["startsDate", "startsTime", "endsTime"],
    );
    await expectRejected(
      timeOff({ startsDate: "2030-05-02", startsTime: "10:00", endsDate: "2030-05-02", endsTime: "10:00" }),
      ["endsDate"],
    );
    await expectRejected(timeOff({}), ["startsDate", "endsDate"]);
    await expectRejected(() => runMemberAction(owner, removeTimeOffAction, form({ id: "" })), ["id"]);
  });

  it("clinic settings", async () => {
    await expectRejected(
      () =>
        runMemberAction(
          owner,
          updateClinicSettingsAction,
          form({ name: "", timeZone: "Mars/Olympus_Mons", cancellationNoticeHours: "-1" }),
        ),
      ["name", "timeZone", "cancellationNoticeHours"],
    );
    await expectRejected(
      () =>
        runMemberAction(
          owner,
          updateClinicSettingsAction,
          form({ name: "Ok", timeZone: "GMT+1", cancellationNoticeHours: "1.5" }),
        ),
      ["timeZone", "cancellationNoticeHours"],
    );
    await expectRejected(
      () =>
        runMemberAction(
          owner,
          updateClinicSettingsAction,
          form({
            name: "Ok",
            timeZone: "Europe/London",
            cancellationNoticeHours: "24",
            phone: "ring us",
            address: "x".repeat(301),
          }),
        ),
      ["phone", "address"],
    );
  });

  it("appointment status", async () => {
    await expectRejected(
      () => runMemberAction(owner, setAppointmentStatusAction, form({ bookingId: "nope", status: "deleted" })),
      ["bookingId", "status"],
    );
  });

  it("refuses staff on manager forms with a message, writing nothing", async () => {
    const staff = await createMember(fixture.clinic, "staff");
    const before = await rowCounts();
    const state = await runMemberAction(
      staff,
      createTreatmentAction,
      form({ name: "Valid", durationMinutes: "30", price: "10.00", active: "on" }),
    );
    expect(state).toMatchObject({ status: "error", message: expect.stringMatching(/role/) });
    expect(await rowCounts()).toEqual(before);
  });

  it("a valid submission does write (so the checks above can fail)", async () => {
    const before = await rowCounts();
    const state = await runMemberAction(
      owner,
      createTreatmentAction,
      form({ name: "Valid", durationMinutes: "30", price: "£1,234.5", active: "on" }),
    );
    expect(state.status).toBe("ok");
    expect((state.data as { priceMinor: number }).priceMinor).toBe(123450);
    expect((await rowCounts()).services).toBe(before.services + 1);
  });
});

describe("bad input on the public and auth forms", async () => {
  const fixture = await createClinic();

  it("sign up and sign in", async () => {
    const state = await expectRejected(
      () =>
        runValidated(
          signUpSchema,
          form({ clinicName: "", slug: "Bad Slug!", name: "", email: "x", password: "short" }),
          (i) => signUpClinic(i),
        ),
      ["clinicName", "slug", "name", "email", "password"],
    );
    expect(state.values).not.toHaveProperty("password");
    await expectRejected(
      () => runValidated(signInSchema, form({ email: "", password: "" }), (i) => signIn(i)),
      ["email", "password"],
    );
  });

  it("booking", async () => {
    await expectRejected(
      () =>
        runValidated(
          bookingRequestSchema,
          form({
            serviceId: "x",
            practitionerId: "someone",
            start: "tomorrow",
            name: "",
            email: "x",
            phone: "call me",
          }),
          (i) => createBooking(fixture.clinic, i),
        ),
      ["serviceId", "practitionerId", "start", "name", "email", "phone"],
    );
  });

  it("cancelling", async () => {
    await expectRejected(
      () =>
        runValidated(clientCancelSchema, form({ token: "", reason: "x".repeat(501) }), (i) => cancelBookingByClient(i)),
      ["token", "reason"],
    );
  });
});
