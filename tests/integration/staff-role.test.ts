import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  bookings,
  clients,
  clinics,
  invitations,
  memberships,
  practitionerServices,
  practitioners,
  services,
  timeOff,
  workingHours,
} from "@/lib/db/schema";
import { runMemberAction, type MemberActionDefinition } from "@/lib/auth/action";
import { createBooking } from "@/lib/booking/create-booking";
import { setAppointmentStatusAction } from "@/lib/clinic/appointments";
import { eraseClient, eraseClientAction } from "@/lib/clinic/erase-client";
import { ForbiddenError } from "@/lib/clinic/errors";
import {
  createPractitioner,
  createPractitionerAction,
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
import { updateClinicSettings, updateClinicSettingsAction } from "@/lib/clinic/settings";
import {
  createTreatment,
  createTreatmentAction,
  OFFERED_BY,
  setTreatmentPractitioners,
  setTreatmentPractitionersAction,
  updateTreatment,
  updateTreatmentAction,
} from "@/lib/clinic/treatments";
import {
  inviteMember,
  inviteMemberAction,
  resendInvitation,
  resendInvitationAction,
  revokeInvitation,
  revokeInvitationAction,
} from "@/lib/team/invitations";
import { changeMemberRole, changeMemberRoleAction, removeMember, removeMemberAction } from "@/lib/team/members";
import { createClinic, createMember, form } from "../fixtures/clinic";

// Staff see and manage appointments, nothing else: every action that manages the clinic
// refuses them, whether it is reached through the dashboard's action wrapper or called
// directly, and nothing changes. (Their pages answer 403: requireMember in
// active-clinic.test.ts, every page over HTTP in tests/e2e/team-invitation.test.ts.)

/** Every member action exported by a module under `dir` (a defineMemberAction definition), and whether staff may run it. */
async function memberActionsOf(dir: string) {
  const root = path.resolve(import.meta.dirname, "../..");
  const files = readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => readFileSync(file, "utf8").includes("defineMemberAction({"));
  const found: { name: string; definition: unknown; staff: boolean }[] = [];
  for (const file of files) {
    for (const [name, value] of Object.entries(await import(file))) {
      const roles = (value as { roles?: unknown })?.roles;
      if (Array.isArray(roles) && typeof (value as { run?: unknown }).run === "function")
        found.push({
          name: `${path.relative(root, file)}: ${name}`,
          definition: value,
          staff: roles.includes("staff"),
        });
    }
  }
  return found;
}

async function staffClinic() {
  const fixture = await createClinic();
  const owner = await createMember(fixture.clinic, "owner");
  const staff = await createMember(fixture.clinic, "staff");
  const [away] = await db
    .insert(timeOff)
    .values({
      practitionerId: fixture.practitioners[0].id,
      startsAt: new Date("2030-01-01T10:00Z"),
      endsAt: new Date("2030-01-01T11:00Z"),
    })
    .returning();
  const { invitation } = await inviteMember(owner, { email: "pending@example.com", role: "staff" });
  const [client] = await db
    .insert(clients)
    .values({ clinicId: fixture.clinic.id, name: "Kept Client", email: "kept@example.com" })
    .returning();
  return { ...fixture, owner, staff, timeOff: away, invitation, client };
}

async function snapshotOf(clinicId: string) {
  return {
    clinic: await db.select().from(clinics).where(eq(clinics.id, clinicId)),
    practitioners: await db.select().from(practitioners).where(eq(practitioners.clinicId, clinicId)),
    offeredBy: await db.select().from(practitionerServices),
    services: await db.select().from(services).where(eq(services.clinicId, clinicId)),
    hours: await db.select().from(workingHours),
    timeOff: await db.select().from(timeOff),
    invitations: await db.select().from(invitations).where(eq(invitations.clinicId, clinicId)),
    memberships: await db.select().from(memberships).where(eq(memberships.clinicId, clinicId)),
    clients: await db.select().from(clients).where(eq(clients.clinicId, clinicId)),
  };
}

describe("the staff role", () => {
  it("is refused every settings, treatment, practitioner and team action, and nothing changes", async () => {
    const c = await staffClinic();
    const pid = c.practitioners[0].id;
    const before = await snapshotOf(c.clinic.id);
    const submissions: [string, MemberActionDefinition<never, unknown>, Record<string, string>][] = [
      [
        "settings",
        updateClinicSettingsAction as never,
        { name: "Renamed", timeZone: "Europe/London", cancellationNoticeHours: "1" },
      ],
      ["treatment (new)", createTreatmentAction as never, { name: "Extra", durationMinutes: "30", price: "10" }],
      [
        "treatment (edit)",
        updateTreatmentAction as never,
        { id: c.service.id, name: "Renamed", durationMinutes: "30", price: "1" },
      ],
      ["practitioner (new)", createPractitionerAction as never, { name: "Extra" }],
      ["practitioner (edit)", updatePractitionerAction as never, { id: pid, name: "Renamed" }],
      ["working hours", setWorkingHoursAction as never, { practitionerId: pid, start_1: "06:00", end_1: "07:00" }],
      [
        "time off (add)",
        addTimeOffAction as never,
        { practitionerId: pid, startsAt: "2030-02-01T10:00", endsAt: "2030-02-01T12:00" },
      ],
      ["time off (remove)", removeTimeOffAction as never, { id: c.timeOff.id }],
      ["invite", inviteMemberAction as never, { email: "friend@example.com", role: "staff" }],
      ["revoke", revokeInvitationAction as never, { id: c.invitation.id }],
      ["resend", resendInvitationAction as never, { id: c.invitation.id }],
      ["change a role", changeMemberRoleAction as never, { userId: c.owner.user.id, role: "staff" }],
      ["remove a member", removeMemberAction as never, { userId: c.owner.user.id }],
      [
        "who offers a treatment",
        setTreatmentPractitionersAction as never,
        { id: c.service.id, [`${OFFERED_BY}${pid}`]: "on" },
      ],
      ["erase a client", eraseClientAction as never, { id: c.client.id, confirm: "on" }],
    ];
    // The list above is every manager action of lib/: a new one must be added to it.
    const managerActions = (await memberActionsOf("lib")).filter((found) => !found.staff);
    expect(managerActions.map((found) => found.definition)).toHaveLength(submissions.length);
    const listed = new Set(submissions.map(([, definition]) => definition as unknown));
    expect(managerActions.filter((found) => !listed.has(found.definition)).map((found) => found.name)).toEqual([]);
    for (const [name, definition, values] of submissions) {
      const state = await runMemberAction(c.staff, definition, form(values));
      expect(state, name).toEqual({ status: "error", message: new ForbiddenError().message });
    }
    expect(await snapshotOf(c.clinic.id)).toEqual(before);

    // The lib functions check the role themselves, whatever edge calls them.
    const direct: [string, () => Promise<unknown>][] = [
      [
        "updateClinicSettings",
        () => updateClinicSettings(c.staff, { name: "X", timeZone: "UTC", cancellationNoticeHours: 1 }),
      ],
      [
        "createTreatment",
        () =>
          createTreatment(c.staff, {
            name: "X",
            durationMinutes: 30,
            bufferMinutes: 0,
            price: 1,
            active: true,
            description: undefined,
          }),
      ],
      [
        "updateTreatment",
        () =>
          updateTreatment(c.staff, {
            id: c.service.id,
            name: "X",
            durationMinutes: 30,
            bufferMinutes: 0,
            price: 1,
            active: true,
            description: undefined,
          }),
      ],
      ["createPractitioner", () => createPractitioner(c.staff, { name: "X", active: true, email: undefined })],
      ["updatePractitioner", () => updatePractitioner(c.staff, { id: pid, name: "X", active: true, email: undefined })],
      ["setWorkingHours", () => setWorkingHours(c.staff, { practitionerId: pid, days: [] })],
      [
        "addTimeOff",
        () =>
          addTimeOff(c.staff, {
            practitionerId: pid,
            startsAt: { date: "2030-03-01", minute: 540 },
            endsAt: { date: "2030-03-01", minute: 600 },
            reason: undefined,
          }),
      ],
      ["removeTimeOff", () => removeTimeOff(c.staff, { id: c.timeOff.id })],
      ["inviteMember", () => inviteMember(c.staff, { email: "friend@example.com", role: "staff" })],
      ["revokeInvitation", () => revokeInvitation(c.staff, { id: c.invitation.id })],
      ["resendInvitation", () => resendInvitation(c.staff, { id: c.invitation.id })],
      ["changeMemberRole", () => changeMemberRole(c.staff, { userId: c.owner.user.id, role: "staff" })],
      ["removeMember", () => removeMember(c.staff, { userId: c.owner.user.id })],
      [
        "setTreatmentPractitioners",
        () => setTreatmentPractitioners(c.staff, { id: c.service.id, practitionerIds: [pid] }),
      ],
      ["eraseClient", () => eraseClient(c.staff, { id: c.client.id, confirm: true })],
    ];
    for (const [name, call] of direct) {
      await expect(call(), name).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(await snapshotOf(c.clinic.id)).toEqual(before);
  });

  it("may run only the front desk's actions: marking and moving appointments, phone bookings and client details", async () => {
    const staffActions = (await memberActionsOf("lib")).filter((found) => found.staff).map((found) => found.name);
    expect(staffActions.sort()).toEqual([
      "lib/clinic/appointments.ts: moveAppointmentAction",
      "lib/clinic/appointments.ts: setAppointmentStatusAction",
      "lib/clinic/clients.ts: updateClientAction",
      "lib/clinic/phone-bookings.ts: createPhoneBookingAction",
    ]);
  });

  it("marks the clinic's appointments", async () => {
    const c = await staffClinic();
    const start = new Date(Date.now() + 3 * 86_400_000);
    const { booking } = await createBooking(
      c.clinic,
      {
        serviceId: c.service.id,
        practitionerId: c.practitioners[0].id,
        start: `${start.toISOString().slice(0, 10)}T12:00:00.000Z`,
        name: "Alice",
        email: "alice@example.com",
        phone: undefined,
      },
      { now: new Date() },
    );
    const state = await runMemberAction(
      c.staff,
      setAppointmentStatusAction,
      form({ bookingId: booking.id, status: "cancelled", reason: "Called in" }),
    );
    expect(state.status).toBe("ok");
    const [row] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(row).toMatchObject({ status: "cancelled", cancelledBy: "clinic" });
  });
});
