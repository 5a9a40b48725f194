import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { clients, timeOff, users } from "@/lib/db/schema";
import { runMemberAction, runValidated, type ActionState, type MemberActionDefinition } from "@/lib/auth/action";
import { accountNameSchema, changePassword, changePasswordSchema, renameAccount } from "@/lib/auth/account";
import { auth } from "@/lib/auth/auth";
import {
  changeEmailSchema,
  confirmEmailChange,
  confirmEmailChangeSchema,
  requestEmailChange,
} from "@/lib/auth/email-change";
import { clinicSchema, createClinicForUser } from "@/lib/auth/onboarding";
import {
  requestPasswordReset,
  requestPasswordResetSchema,
  resetPassword,
  resetPasswordSchema,
} from "@/lib/auth/password-reset";
import { catchResetToken } from "@/lib/auth/reset-token";
import { updateClientAction } from "@/lib/clinic/clients";
import { eraseClientAction } from "@/lib/clinic/erase-client";
import {
  invitedSignUpSchema,
  signIn,
  signInSchema,
  signUpClinic,
  signUpInvited,
  signUpSchema,
} from "@/lib/auth/sign-up";
import { findFreeSlots } from "@/lib/booking/availability";
import { cancelBookingByClient, clientCancelSchema } from "@/lib/booking/cancel-booking";
import { createBookingToken } from "@/lib/booking/cancel-token";
import { bookingFormSchema, insertBookingWithEvent } from "@/lib/booking/create-booking";
import { addDays, localDateOf } from "@/lib/booking/wall-clock";
import { moveAppointmentAction, setAppointmentStatusAction } from "@/lib/clinic/appointments";
import { createPractitionerAction, updatePractitionerAction } from "@/lib/clinic/practitioners";
import { addTimeOffAction, removeTimeOffAction, setWorkingHoursAction } from "@/lib/clinic/schedule";
import { updateClinicSettingsAction } from "@/lib/clinic/settings";
import { createTreatmentAction, updateTreatmentAction } from "@/lib/clinic/treatments";
import { createInvitationToken } from "@/lib/team/invitation-token";
import { inviteMember, inviteMemberAction, revokeInvitationAction } from "@/lib/team/invitations";
import { acceptInvitation, acceptInvitationSchema } from "@/lib/team/join";
import {
  bookPublicly,
  createClinic,
  createMember,
  createUser,
  form,
  sessionHeaders,
  signUpOwner,
} from "../fixtures/clinic";
import { BAD_VALUES, rowCounts, UNICODE_NAME } from "../fuzz/inputs";

/**
 * Every form's server action, through the one validated-action wrapper as the app runs
 * it, with each field in turn replaced by bad input. Nothing may throw (a throw is the
 * 500 the user would see), and a refusal writes nothing at all.
 */

// Values no field may accept (checkboxes and passwords aside, see `lenient`). A lone
// surrogate is not among them: FormData itself turns it into U+FFFD, which is valid text.
const ALWAYS_REFUSED = new Set([
  "3,000 characters",
  "an email of 3,000 characters",
  "200 KB",
  "1 MB",
  "NUL",
  "only a NUL",
  "escape and bell",
  "DEL",
  "C1 control",
  "NUL after an email",
]);

type Target = {
  name: string;
  /** A valid submission; fresh values each call, so an accepted look-alike never blocks the next case. */
  valid: () => Record<string, string>;
  submit: (data: FormData) => Promise<ActionState>;
  /** Fields where any string is fine (a checkbox reads "on" or not; a password may hold anything). */
  lenient?: string[];
  /** Other clinics' ids and the like: valid in shape, refused for this member. */
  crossTenant?: Record<string, string>[];
};

const fixture = await createClinic();
const other = await createClinic();
const owner = await createMember(fixture.clinic, "owner");
const otherOwner = await createMember(other.clinic, "owner");
const pid = fixture.practitioners[0].id;
const [ownTimeOff] = await db
  .insert(timeOff)
  .values({ practitionerId: pid, startsAt: new Date("2030-01-01T10:00Z"), endsAt: new Date("2030-01-01T11:00Z") })
  .returning();
const [otherTimeOff] = await db
  .insert(timeOff)
  .values({
    practitionerId: other.practitioners[0].id,
    startsAt: new Date("2030-01-01T10:00Z"),
    endsAt: new Date("2030-01-01T11:00Z"),
  })
  .returning();

// A booking three days ahead, whatever the time of day the suite runs: inside the horizon, past the notice.
const day = addDays(localDateOf(new Date(), fixture.clinic.timeZone), 3);
const { slots } = await findFreeSlots(fixture.clinic, {
  serviceId: fixture.service.id,
  practitionerId: pid,
  date: day,
});
const [ownSlot, bookedSlot] = [slots[0], slots[slots.length - 1]];
const booking = await db.transaction((tx) =>
  insertBookingWithEvent(tx, {
    clinic: fixture.clinic,
    service: fixture.service,
    practitionerId: pid,
    start: new Date(bookedSlot.start),
    client: { name: "Booked Client", email: "booked@example.com" },
  }),
);
const otherBooking = await db.transaction((tx) =>
  insertBookingWithEvent(tx, {
    clinic: other.clinic,
    service: other.service,
    practitionerId: other.practitioners[0].id,
    start: new Date(bookedSlot.start),
    client: { name: "Other Client", email: "other@example.com" },
  }),
);

// A client with no appointments to come, whom the erase form may erase.
const [toErase] = await db
  .insert(clients)
  .values({ clinicId: fixture.clinic.id, name: "Erase Me", email: "erase-me@example.com", phone: "+44 20 7946 0555" })
  .returning();

// Invitations: one to revoke, one to sign up with, one to accept, and another clinic's.
const invite = (by: typeof owner, email: string) =>
  inviteMember(by, { email, role: "staff" }).then(({ invitation }) => invitation);
const toRevoke = await invite(owner, "revoke-me@example.com");
const toSignUp = await invite(owner, "sign-me-up@example.com");
const toAccept = await invite(owner, "accept-me@example.com");
const othersInvitation = await invite(otherOwner, "someone-else@example.com");
const invitee = await createUser({ email: "accept-me@example.com" });

// Reset links for one account, a fresh one for every valid submission (a link works once).
const resetting = await signUpOwner("fuzz-reset", "fuzz-password-123");
const resetTokens: string[] = [];
for (let i = 0; i < 60; i++)
  resetTokens.push(
    (await catchResetToken(() => auth().api.requestPasswordReset({ body: { email: resetting.email } })))!,
  );
const nextResetToken = () => {
  const token = resetTokens.pop();
  if (!token) throw new Error("the fuzz used up its reset tokens: make more");
  return token;
};

// A signed-in session of another account, whose password the "change password" form is sent for.
const changer = await signUpOwner("fuzz-change", "fuzz-password-123");
const changerSession = await sessionHeaders(changer.email, "fuzz-password-123");

// Another account, which asks to move to new addresses (with a wrong password: refused, nothing written).
const mover = await signUpOwner("fuzz-move", "fuzz-password-123");
const moverSession = await sessionHeaders(mover.email, "fuzz-password-123");

const unique = () => randomUUID().slice(0, 8);
const member = (definition: MemberActionDefinition<never, unknown>) => (data: FormData) =>
  runMemberAction(owner, definition, data);

const targets: Target[] = [
  {
    name: "sign-up",
    valid: () => ({
      clinicName: "Fuzz Clinic",
      slug: `fuzz-${unique()}`,
      timeZone: "Asia/Tokyo",
      currency: "JPY",
      name: "Fuzz Owner",
      email: `fuzz-${unique()}@example.com`,
      password: "fuzz-password-123",
    }),
    submit: (data) => runValidated(signUpSchema, data, (input) => signUpClinic(input)),
    lenient: ["password"],
    crossTenant: [{ slug: fixture.clinic.slug }, { email: owner.user.email }],
  },
  {
    name: "sign-in",
    valid: () => ({ email: owner.user.email, password: "not-the-password" }),
    submit: (data) => runValidated(signInSchema, data, (input) => signIn(input)),
    lenient: ["password"],
  },
  {
    name: "clinic sign-up (a user without a clinic)",
    valid: () => ({ clinicName: "Second Clinic", slug: `second-${unique()}`, timeZone: "UTC", currency: "KWD" }),
    submit: async (data) => {
      const id = randomUUID();
      await db.insert(users).values({ id, name: "No Clinic", email: `${id}@example.com` });
      // The user row above is the test's own; only what the action writes is compared.
      return runValidated(clinicSchema, data, (input) => createClinicForUser(id, input));
    },
    crossTenant: [{ slug: other.clinic.slug }],
  },
  {
    name: "booking",
    valid: () => ({
      clinic: fixture.clinic.slug,
      serviceId: fixture.service.id,
      practitionerId: pid,
      start: ownSlot.start,
      name: "Fuzz Client",
      email: "fuzz-client@example.com",
      phone: "+44 20 7946 0000",
      note: "Left knee, after a fall.",
    }),
    submit: (data) => runValidated(bookingFormSchema, data, (input) => bookPublicly(input)),
    crossTenant: [
      { serviceId: other.service.id },
      { practitionerId: other.practitioners[0].id },
      { clinic: other.clinic.slug },
      { start: bookedSlot.start },
    ],
  },
  {
    name: "cancel",
    valid: () => ({ token: createBookingToken(booking.id), reason: "Moving house" }),
    submit: (data) => runValidated(clientCancelSchema, data, (input) => cancelBookingByClient(input)),
    crossTenant: [{ token: `${otherBooking.id}.${createBookingToken(booking.id).split(".")[1]}` }],
  },
  {
    name: "treatment (new)",
    valid: () => ({ name: "Massage", description: "Deep tissue", durationMinutes: "45", price: "60.00", active: "on" }),
    submit: member(createTreatmentAction as never),
    lenient: ["active"],
  },
  {
    name: "treatment (edit)",
    valid: () => ({ id: fixture.service.id, name: "Check-up", durationMinutes: "30", price: "45.00", active: "on" }),
    submit: member(updateTreatmentAction as never),
    lenient: ["active"],
    crossTenant: [{ id: other.service.id }],
  },
  {
    name: "practitioner (new)",
    valid: () => ({ name: "Ana Lima", email: "ana@example.com", active: "on" }),
    submit: member(createPractitionerAction as never),
    lenient: ["active"],
  },
  {
    name: "practitioner (edit)",
    valid: () => ({ id: pid, name: "Practitioner A", email: "a@example.com", active: "on" }),
    submit: member(updatePractitionerAction as never),
    lenient: ["active"],
    crossTenant: [{ id: other.practitioners[0].id }],
  },
  {
    name: "working hours",
    valid: () => ({ practitionerId: pid, start_1: "09:00", end_1: "17:00" }),
    submit: member(setWorkingHoursAction as never),
    crossTenant: [{ practitionerId: other.practitioners[0].id }],
  },
  {
    name: "time off (add)",
    valid: () => ({ practitionerId: pid, startsAt: "2030-02-01T10:00", endsAt: "2030-02-01T12:00", reason: "Course" }),
    submit: member(addTimeOffAction as never),
    crossTenant: [{ practitionerId: other.practitioners[0].id }],
  },
  {
    name: "time off (remove)",
    valid: () => ({ id: ownTimeOff.id }),
    submit: member(removeTimeOffAction as never),
    crossTenant: [{ id: otherTimeOff.id }],
  },
  {
    name: "clinic settings",
    valid: () => ({
      name: "Test Clinic",
      timeZone: "Europe/London",
      currency: "GBP",
      cancellationNoticeHours: "24",
      phone: "+44 20 7946 0000",
      address: "12 River Lane\nLondon SE1 2AB",
    }),
    submit: member(updateClinicSettingsAction as never),
  },
  {
    name: "team invitation",
    valid: () => ({ email: `invitee-${unique()}@example.com`, role: "staff" }),
    submit: member(inviteMemberAction as never),
    crossTenant: [{ email: owner.user.email }, { email: "revoke-me@example.com" }, { role: "owner" }],
  },
  {
    name: "revoke invitation",
    valid: () => ({ id: toRevoke.id }),
    submit: member(revokeInvitationAction as never),
    crossTenant: [{ id: othersInvitation.id }],
  },
  {
    name: "sign-up through an invitation",
    valid: () => ({
      token: createInvitationToken(toSignUp.id),
      name: "Fuzz Invitee",
      email: "sign-me-up@example.com",
      password: "fuzz-password-123",
    }),
    submit: (data) => runValidated(invitedSignUpSchema, data, (input) => signUpInvited(input)),
    lenient: ["password"],
    crossTenant: [{ token: createInvitationToken(othersInvitation.id) }, { email: "someone-else@example.com" }],
  },
  {
    name: "accept an invitation",
    valid: () => ({ token: createInvitationToken(toAccept.id) }),
    submit: (data) => runValidated(acceptInvitationSchema, data, (input) => acceptInvitation(invitee, input.token)),
    crossTenant: [{ token: createInvitationToken(othersInvitation.id) }],
  },
  {
    name: "password reset link request",
    valid: () => ({ email: `forgetful-${unique()}@example.com` }),
    submit: (data) => runValidated(requestPasswordResetSchema, data, (input) => requestPasswordReset(input)),
  },
  {
    name: "new password from a reset link",
    valid: () => ({ token: nextResetToken(), password: "fuzz-password-456" }),
    submit: (data) => runValidated(resetPasswordSchema, data, resetPassword),
    lenient: ["password"],
  },
  {
    name: "your name",
    valid: () => ({ name: "Fuzz Renamed" }),
    submit: (data) => runValidated(accountNameSchema, data, (input) => renameAccount(changer, input)),
  },
  {
    // A wrong current password every time: whatever the new one, nothing may change.
    name: "change password",
    valid: () => ({ currentPassword: "not-the-current-one", newPassword: "fuzz-password-789" }),
    submit: (data) =>
      runValidated(changePasswordSchema, data, (input) => changePassword(changer, input, changerSession)),
    lenient: ["currentPassword", "newPassword"],
  },
  {
    name: "new email address",
    valid: () => ({ email: `fuzz-moved-${unique()}@example.com`, currentPassword: "not-the-current-one" }),
    submit: (data) => runValidated(changeEmailSchema, data, (input) => requestEmailChange(mover, input, moverSession)),
    lenient: ["currentPassword"],
  },
  {
    name: "confirm a new email address",
    // A link never sent: refused as expired, like a used one.
    valid: () => ({ token: randomBytes(32).toString("base64url") }),
    submit: (data) => runValidated(confirmEmailChangeSchema, data, confirmEmailChange),
  },
  {
    name: "client details",
    valid: () => ({
      id: booking.clientId,
      name: "Booked Client",
      email: "booked@example.com",
      phone: "+44 20 7946 0000",
      notes: "Prefers mornings.",
    }),
    submit: member(updateClientAction as never),
    crossTenant: [{ id: otherBooking.clientId }],
  },
  {
    name: "erase client",
    valid: () => ({ id: toErase.id, confirm: "on" }),
    submit: member(eraseClientAction as never),
    crossTenant: [{ id: otherBooking.clientId }],
  },
  {
    name: "move appointment",
    valid: () => ({ bookingId: booking.id, start: new Date(booking.startsAt.getTime() + 86_400_000).toISOString() }),
    submit: member(moveAppointmentAction as never),
    crossTenant: [{ bookingId: otherBooking.id }],
  },
  {
    name: "appointment status",
    valid: () => ({ bookingId: booking.id, status: "cancelled", reason: "Clinic closed" }),
    submit: member(setAppointmentStatusAction as never),
    crossTenant: [{ bookingId: otherBooking.id }],
  },
];

/** The submissions of one target that must be refused, and those that may go either way. */
function casesFor(target: Target) {
  const cases: { label: string; data: FormData; mustRefuse: boolean }[] = [];
  for (const field of Object.keys(target.valid())) {
    const lenient = target.lenient?.includes(field) ?? false;
    for (const [label, value] of Object.entries(BAD_VALUES)) {
      cases.push({
        label: `${field} = ${label}`,
        data: form({ ...target.valid(), [field]: value }),
        mustRefuse: !lenient && ALWAYS_REFUSED.has(label),
      });
    }
    const twice = form(target.valid());
    twice.append(field, target.valid()[field]);
    cases.push({ label: `${field} sent twice`, data: twice, mustRefuse: !lenient });
    const file = form(target.valid());
    file.set(field, new Blob(["a file"]), "field.txt");
    cases.push({ label: `${field} sent as a file`, data: file, mustRefuse: !lenient });
    const missing = form({ ...target.valid(), [field]: undefined });
    cases.push({ label: `${field} missing`, data: missing, mustRefuse: false });
  }
  for (const overrides of target.crossTenant ?? []) {
    cases.push({
      label: `another clinic's ${Object.keys(overrides).join(", ")}`,
      data: form({ ...target.valid(), ...overrides }),
      mustRefuse: true,
    });
  }
  return cases;
}

describe("fuzzing every form: no throw, no 500, and a refusal writes nothing", { timeout: 180_000 }, () => {
  for (const target of targets) {
    it(target.name, async () => {
      for (const { label, data, mustRefuse } of casesFor(target)) {
        const before = await rowCounts();
        const state = await target.submit(data).catch((error: Error) => {
          throw new Error(`${target.name}, ${label}: threw ${error.name}: ${error.message.slice(0, 300)}`);
        });
        // The page that renders this state stays small: no echo of a megabyte.
        expect(JSON.stringify(state).length, `${target.name}, ${label}`).toBeLessThan(20_000);
        if (mustRefuse) expect(state.status, `${target.name}, ${label}`).toBe("error");
        if (state.status === "error") {
          const after = await rowCounts();
          // The clinic sign-up target adds its own user first; everything else must match.
          if (target.name.startsWith("clinic sign-up")) after.users = before.users;
          expect(after, `${target.name}, ${label} wrote something`).toEqual(before);
          for (const message of [state.message ?? "", ...Object.values(state.fieldErrors ?? {}).flat()])
            expect(message.length, `${target.name}, ${label}: ${message.slice(0, 100)}`).toBeLessThan(300);
        }
      }
    });
  }
});

describe("forms no browser sends", () => {
  it("refuses 200,000 copies of one field, or 50,000 made-up fields, at once and writing nothing", async () => {
    const before = await rowCounts();
    const copies = form({ active: "on" });
    for (let i = 0; i < 200_000; i++) copies.append("name", "Ann");
    const made = form({ name: "Ann", active: "on" });
    for (let i = 0; i < 50_000; i++) made.append(`field${i}`, "x");
    // Reading them is linear: copying the list at each repeat (as before) takes minutes, past the test's timeout.
    const repeated = await runMemberAction(owner, createPractitionerAction, copies);
    const extra = await runMemberAction(owner, createPractitionerAction, made);
    expect(repeated.status).toBe("error");
    expect(Object.keys(extra.values ?? {}).length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(extra).length).toBeLessThan(20_000);
    // Unknown fields are ignored, so the second one is a valid practitioner.
    expect(extra.status).toBe("ok");
    expect((await rowCounts()).practitioners).toBe(before.practitioners + 1);
  });
});

describe("valid input that looked suspicious before", () => {
  it("accepts names in any script and an email with spaces around it", async () => {
    const signUp = await runValidated(
      signUpSchema,
      form({
        clinicName: UNICODE_NAME,
        slug: `unicode-${unique()}`,
        name: UNICODE_NAME,
        email: "  Zoe.Orsted@Example.com \n",
        password: "fuzz-password-123",
      }),
      (input) => signUpClinic(input),
    );
    expect(signUp).toMatchObject({ status: "ok", data: { clinic: { name: UNICODE_NAME } } });

    const practitioner = await runMemberAction(
      owner,
      createPractitionerAction,
      form({ name: UNICODE_NAME, email: " ana@example.com " }),
    );
    expect(practitioner).toMatchObject({ status: "ok", data: { name: UNICODE_NAME, email: "ana@example.com" } });

    const booked = await runValidated(
      bookingFormSchema,
      form({
        clinic: otherOwner.clinic.slug,
        serviceId: other.service.id,
        practitionerId: "any",
        start: ownSlot.start,
        name: `${UNICODE_NAME}\n`,
        email: " Zoe@Example.com ",
      }),
      (input) => bookPublicly(input),
    );
    expect(booked.status, JSON.stringify(booked)).toBe("ok");
  });

  it("turns line breaks in a one-line field into a space, and keeps the echo of a long value short", async () => {
    const state = await runMemberAction(owner, createPractitionerAction, form({ name: "Ann\r\nLee", active: "on" }));
    expect(state).toMatchObject({ status: "ok", data: { name: "Ann Lee" } });

    const long = await runMemberAction(owner, createPractitionerAction, form({ name: "n".repeat(200_000) }));
    expect(long.fieldErrors?.name).toEqual(["Keep the practitioner's name under 100 characters"]);
    expect(long.values?.name.length).toBeLessThanOrEqual(2_000);

    const nul = await runMemberAction(owner, createPractitionerAction, form({ name: "Ann\u0000Lee" }));
    expect(nul.fieldErrors?.name).toEqual([
      "Remove the invisible control character (U+0000) from the practitioner's name",
    ]);
    expect(nul.values?.name).toBe("AnnLee");
  });
});
