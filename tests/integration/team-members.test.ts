import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { emailOutbox, invitations, jobEvents, memberships } from "@/lib/db/schema";
import { runMemberAction } from "@/lib/auth/action";
import { memberForUser } from "@/lib/auth/member";
import { CREATE_CLINIC_PATH, homePathFor } from "@/lib/auth/onboarding";
import { ForbiddenError, NotFoundError } from "@/lib/clinic/errors";
import { drain } from "@/lib/jobs/postgres/drain";
import { createInvitationToken, invitationPath } from "@/lib/team/invitation-token";
import { inviteMember, resendInvitation, revokeInvitation } from "@/lib/team/invitations";
import { acceptInvitation } from "@/lib/team/join";
import { changeMemberRole, changeMemberRoleAction, removeMember } from "@/lib/team/members";
import { createClinic, createMember, createUser, form } from "../fixtures/clinic";

// The people already on a team: who may change whose role or remove whom, and that a
// refusal changes nothing; and sending an invitation again.

async function team() {
  const { clinic } = await createClinic();
  return {
    clinic,
    owner: await createMember(clinic, "owner"),
    admin: await createMember(clinic, "admin"),
    staff: await createMember(clinic, "staff"),
  };
}

const rolesOf = async (clinicId: string) =>
  Object.fromEntries(
    (await db.select().from(memberships).where(eq(memberships.clinicId, clinicId))).map((row) => [
      row.userId,
      row.role,
    ]),
  );

describe("changing a member's role", () => {
  it("lets an owner make staff an admin and back", async () => {
    const t = await team();
    await changeMemberRole(t.owner, { userId: t.staff.user.id, role: "admin" });
    expect((await rolesOf(t.clinic.id))[t.staff.user.id]).toBe("admin");
    await changeMemberRole(t.owner, { userId: t.staff.user.id, role: "staff" });
    expect((await rolesOf(t.clinic.id))[t.staff.user.id]).toBe("staff");
  });

  it("refuses admins, changes to an owner or oneself, and members of other clinics, changing nothing", async () => {
    const t = await team();
    const secondOwner = await createMember(t.clinic, "owner");
    const elsewhere = await createMember((await createClinic()).clinic, "staff");
    const before = await rolesOf(t.clinic.id);
    const refusals: [string, () => Promise<unknown>, unknown][] = [
      [
        "admin promotes staff",
        () => changeMemberRole(t.admin, { userId: t.staff.user.id, role: "admin" }),
        ForbiddenError,
      ],
      [
        "owner demotes self",
        () => changeMemberRole(t.owner, { userId: t.owner.user.id, role: "staff" }),
        ForbiddenError,
      ],
      [
        "another owner",
        () => changeMemberRole(t.owner, { userId: secondOwner.user.id, role: "staff" }),
        ForbiddenError,
      ],
      [
        "another clinic's member",
        () => changeMemberRole(t.owner, { userId: elsewhere.user.id, role: "admin" }),
        NotFoundError,
      ],
      ["no such user", () => changeMemberRole(t.owner, { userId: "nobody", role: "admin" }), NotFoundError],
    ];
    for (const [name, attempt, error] of refusals) await expect(attempt(), name).rejects.toBeInstanceOf(error);
    expect(await rolesOf(t.clinic.id)).toEqual(before);
    expect((await rolesOf(elsewhere.clinic.id))[elsewhere.user.id]).toBe("staff");
  });

  it("through the form: an owner role is not on offer, and the refusal says why", async () => {
    const t = await team();
    const owner = await runMemberAction(
      t.owner,
      changeMemberRoleAction,
      form({ userId: t.staff.user.id, role: "owner" }),
    );
    expect(owner).toMatchObject({ status: "error", fieldErrors: { role: ["Choose admin or staff"] } });
    const byAdmin = await runMemberAction(
      t.admin,
      changeMemberRoleAction,
      form({ userId: t.staff.user.id, role: "admin" }),
    );
    expect(byAdmin).toMatchObject({ status: "error", message: "Only an owner can change roles." });
    const ok = await runMemberAction(t.owner, changeMemberRoleAction, form({ userId: t.admin.user.id, role: "staff" }));
    expect(ok).toMatchObject({ status: "ok", message: "Role changed." });
    expect((await rolesOf(t.clinic.id))[t.admin.user.id]).toBe("staff");
  });
});

describe("removing a member", () => {
  it("takes them off this clinic only: their account and other clinics stay", async () => {
    const t = await team();
    const other = await createClinic();
    await db.insert(memberships).values({ clinicId: other.clinic.id, userId: t.staff.user.id, role: "owner" });
    await removeMember(t.owner, { userId: t.staff.user.id });
    expect((await rolesOf(t.clinic.id))[t.staff.user.id]).toBeUndefined();
    // What the next request finds for them: their other clinic, not this one.
    expect((await memberForUser(t.staff.user))?.clinic.id).toBe(other.clinic.id);
    await removeMember(t.owner, { userId: t.admin.user.id });
    expect(await memberForUser(t.admin.user)).toBeNull();
    expect(Object.values(await rolesOf(t.clinic.id))).toEqual(["owner"]);
  });

  it("lets an admin remove staff but not another admin or an owner; no one removes themselves", async () => {
    const t = await team();
    const secondAdmin = await createMember(t.clinic, "admin");
    const before = await rolesOf(t.clinic.id);
    for (const [name, attempt, error] of [
      ["admin removes admin", () => removeMember(t.admin, { userId: secondAdmin.user.id }), ForbiddenError],
      ["admin removes owner", () => removeMember(t.admin, { userId: t.owner.user.id }), ForbiddenError],
      ["owner removes self", () => removeMember(t.owner, { userId: t.owner.user.id }), ForbiddenError],
      ["admin removes self", () => removeMember(t.admin, { userId: t.admin.user.id }), ForbiddenError],
      ["staff removes staff", () => removeMember(t.staff, { userId: t.staff.user.id }), ForbiddenError],
    ] as const)
      await expect(attempt(), name).rejects.toBeInstanceOf(error);
    expect(await rolesOf(t.clinic.id)).toEqual(before);
    await removeMember(t.admin, { userId: t.staff.user.id });
    expect((await rolesOf(t.clinic.id))[t.staff.user.id]).toBeUndefined();
  });
});

describe("sending an invitation again", () => {
  it("replaces it: a new link for a full week, the old link dead, one email for each", async () => {
    const t = await team();
    const { invitation: first } = await inviteMember(t.owner, { email: "late@example.com", role: "staff" });
    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    // A week has nearly passed.
    await db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() + 60_000) })
      .where(eq(invitations.id, first.id));
    const { invitation: second, eventId } = await resendInvitation(t.admin, { id: first.id });

    expect(second).toMatchObject({ email: "late@example.com", role: "staff", invitedBy: t.admin.user.id });
    expect(second.id).not.toBe(first.id);
    expect(second.expiresAt.getTime() - second.createdAt.getTime()).toBe(7 * 86_400_000);
    const [old] = await db.select().from(invitations).where(eq(invitations.id, first.id));
    expect(old.revokedAt).not.toBeNull();
    const [event] = await db.select().from(jobEvents).where(eq(jobEvents.id, eventId));
    expect(event.data).toEqual({ invitationId: second.id, clinicId: t.clinic.id });

    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    const emails = await db.select().from(emailOutbox).where(eq(emailOutbox.recipient, "late@example.com"));
    expect(emails.map((email) => email.idempotencyKey).sort()).toEqual(
      [`team-invitation:${first.id}`, `team-invitation:${second.id}`].sort(),
    );
    expect(emails.find((email) => email.idempotencyKey.endsWith(second.id))?.html).toContain(
      createInvitationToken(second.id),
    );

    const invitee = await createUser({ email: "late@example.com" });
    await expect(acceptInvitation(invitee, createInvitationToken(first.id))).rejects.toMatchObject({
      state: "revoked",
    });
    await acceptInvitation(invitee, createInvitationToken(second.id));
    expect((await rolesOf(t.clinic.id))[invitee.id]).toBe("staff");
  });

  it("refuses an admin's invitation resent or withdrawn by an admin, and one that is revoked or another clinic's", async () => {
    const t = await team();
    const { invitation: forAdmin } = await inviteMember(t.owner, { email: "boss@example.com", role: "admin" });
    const { invitation: revoked } = await inviteMember(t.owner, { email: "gone@example.com", role: "staff" });
    await revokeInvitation(t.owner, { id: revoked.id });
    const other = await team();
    const { invitation: theirs } = await inviteMember(other.owner, { email: "theirs@example.com", role: "staff" });
    const pendingBefore = await db.select().from(invitations);

    await expect(resendInvitation(t.admin, { id: forAdmin.id })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(revokeInvitation(t.admin, { id: forAdmin.id })).rejects.toMatchObject({
      message: "Only an owner can withdraw an admin's invitation.",
    });
    await expect(resendInvitation(t.owner, { id: revoked.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(resendInvitation(t.owner, { id: theirs.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(resendInvitation(t.staff, { id: theirs.id })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db.select().from(invitations)).toEqual(pendingBefore);

    const { invitation: again } = await resendInvitation(t.owner, { id: forAdmin.id });
    expect(again.role).toBe("admin");
    const pending = await db
      .select()
      .from(invitations)
      .where(and(eq(invitations.clinicId, t.clinic.id), eq(invitations.email, "boss@example.com")));
    expect(pending.filter((row) => row.revokedAt === null).map((row) => row.id)).toEqual([again.id]);
  });
});

describe("an invitee who signs in without the link", () => {
  it("is sent to the newest invitation waiting for their email, until it is accepted, revoked or expired", async () => {
    const t = await team();
    const user = await createUser({ email: "Drifter@Example.com" });
    expect(await homePathFor(user)).toBe(CREATE_CLINIC_PATH);

    const { invitation: older } = await inviteMember(t.owner, { email: "drifter@example.com", role: "staff" });
    const other = await team();
    const { invitation: newer } = await inviteMember(other.owner, { email: "drifter@example.com", role: "admin" });
    expect(await homePathFor(user)).toBe(invitationPath(createInvitationToken(newer.id)));

    await revokeInvitation(other.owner, { id: newer.id });
    expect(await homePathFor(user)).toBe(invitationPath(createInvitationToken(older.id)));
    await db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, older.id));
    expect(await homePathFor(user)).toBe(CREATE_CLINIC_PATH);

    const { invitation: fresh } = await resendInvitation(t.owner, { id: older.id });
    await acceptInvitation(user, createInvitationToken(fresh.id));
    expect(await homePathFor(user)).toBe("/dashboard");
  });
});
