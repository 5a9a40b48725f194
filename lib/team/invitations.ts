import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { assertRole, MANAGER_ROLES, type Member } from "@/lib/auth/member";
import { invitationLimits, withinLimits } from "@/lib/auth/rate-limit";
import { db, type Tx } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/postgres-errors";
import { invitations, memberships, users, type Invitation, type MemberRole } from "@/lib/db/schema";
import { FieldError, ForbiddenError, NotFoundError } from "@/lib/clinic/errors";
import { email, id } from "@/lib/clinic/form-fields";
import { sendEvent } from "@/lib/jobs/send";
import { invitationExpired, pendingInvitation } from "./join";
import { handlesInvitationFor } from "./roles";

/** The clinic's side of invitations: who is on the team, inviting someone, taking it back. */

export const INVITATION_DAYS = 7;
/** Owners come from sign-up; an invitation brings an admin or a member of staff. */
export const INVITABLE_ROLES = ["admin", "staff"] as const satisfies MemberRole[];
type InvitableRole = (typeof INVITABLE_ROLES)[number];

export const inviteSchema = z.object({
  email: email(),
  role: z.enum(INVITABLE_ROLES, "Choose admin or staff"),
});
/** Revoking and resending both name one invitation. */
export const revokeInvitationSchema = z.object({ id: id("invitation") });

const alreadyInvited = (address: string) => `${address} already has a pending invitation. Revoke it to send a new one.`;

/** The members with their name, email and role, owners first; and the invitations still pending. */
export async function listTeam(member: Member) {
  const [people, waiting] = await Promise.all([
    db
      .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.clinicId, member.clinic.id))
      .orderBy(asc(memberships.role), asc(memberships.createdAt)),
    db
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        expiresAt: invitations.expiresAt,
        expired: invitationExpired,
      })
      .from(invitations)
      .where(and(eq(invitations.clinicId, member.clinic.id), pendingInvitation))
      .orderBy(desc(invitations.createdAt)),
  ]);
  return { members: people, invitations: waiting };
}

/**
 * Invites an email to the member's clinic. The invitation and its `team/member.invited`
 * event commit together, and the team-invitation job emails the link. Refused: staff,
 * an admin inviting an admin, someone already on the team, a second pending invitation
 * to one email (an expired one is revoked and replaced instead), and more invitations in
 * an hour than invitationLimits allows (per clinic, and per email from any clinic).
 */
export async function inviteMember(
  member: Member,
  input: z.output<typeof inviteSchema>,
): Promise<{ invitation: Invitation; eventId: string }> {
  assertRole(member, MANAGER_ROLES);
  if (!handlesInvitationFor(member.role, input.role)) throw new ForbiddenError(ONLY_OWNER_INVITES_ADMINS);
  return withinLimits(invitationLimits(member.clinic.id, input.email), TOO_MANY_INVITATIONS, () =>
    createFirstInvitation(member, input),
  );
}

/** inviteMember's transaction: the checks against the team and its pending invitations, then the invitation. */
async function createFirstInvitation(member: Member, input: z.output<typeof inviteSchema>) {
  const clinicId = member.clinic.id;
  try {
    return await db.transaction(async (tx) => {
      const [existing] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.clinicId, clinicId), eq(sql`lower(${users.email})`, input.email)));
      if (existing) throw new FieldError("email", `${input.email} is already on this clinic's team.`);

      const [previous] = await tx
        .select({ id: invitations.id, expired: invitationExpired })
        .from(invitations)
        .where(and(eq(invitations.clinicId, clinicId), eq(invitations.email, input.email), pendingInvitation))
        .for("update");
      if (previous && !previous.expired) throw new FieldError("email", alreadyInvited(input.email));
      if (previous) await markRevoked(tx, previous.id);

      return createInvitation(tx, member, input);
    });
  } catch (error) {
    // Two invitations to one email at the same moment: invitations_pending_key lets one in.
    if (isUniqueViolation(error, "invitations_pending_key")) throw new FieldError("email", alreadyInvited(input.email));
    throw error;
  }
}

/** Its link stops working (the row stays, as the team's history). */
async function markRevoked(tx: Tx, invitationId: string) {
  await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(eq(invitations.id, invitationId));
}

/** A new invitation and its `team/member.invited` event, in the caller's transaction. */
async function createInvitation(tx: Tx, member: Member, input: z.output<typeof inviteSchema>) {
  const [invitation] = await tx
    .insert(invitations)
    .values({
      clinicId: member.clinic.id,
      email: input.email,
      role: input.role,
      invitedBy: member.user.id,
      expiresAt: sql`now() + make_interval(days => ${INVITATION_DAYS})`,
    })
    .returning();
  const [event] = await sendEvent(
    { name: "team/member.invited", data: { invitationId: invitation.id, clinicId: member.clinic.id } },
    { tx },
  );
  return { invitation, eventId: event.id };
}

const ONLY_OWNER_INVITES_ADMINS = "Only an owner can invite an admin.";
const TOO_MANY_INVITATIONS = { noun: "invitations" };

/**
 * A pending invitation of the member's clinic, locked until `tx` commits; NotFound when
 * there is none, `refusal` when it is an admin's and the member is not an owner.
 */
async function lockPendingInvitation(tx: Tx, member: Member, invitationId: string, refusal: string) {
  const [pending] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.id, invitationId), eq(invitations.clinicId, member.clinic.id), pendingInvitation))
    .for("update");
  if (!pending) throw new NotFoundError("Invitation");
  if (!handlesInvitationFor(member.role, pending.role)) throw new ForbiddenError(refusal);
  return pending;
}

/**
 * Sends a pending (or expired) invitation again: it is revoked and replaced by a new one
 * to the same email and role, with a new link and a full INVITATION_DAYS, so the old
 * link stops working. The same rules as inviting: an admin cannot resend an admin's, and
 * a resend counts against the same limits.
 */
export async function resendInvitation(
  member: Member,
  input: z.output<typeof revokeInvitationSchema>,
): Promise<{ invitation: Invitation; eventId: string }> {
  assertRole(member, MANAGER_ROLES);
  const [pending] = await db
    .select({ email: invitations.email })
    .from(invitations)
    .where(and(eq(invitations.id, input.id), eq(invitations.clinicId, member.clinic.id)));
  if (!pending) throw new NotFoundError("Invitation");
  return withinLimits(invitationLimits(member.clinic.id, pending.email), TOO_MANY_INVITATIONS, () =>
    db.transaction(async (tx) => {
      const previous = await lockPendingInvitation(tx, member, input.id, ONLY_OWNER_INVITES_ADMINS);
      await markRevoked(tx, previous.id);
      return createInvitation(tx, member, { email: previous.email, role: previous.role as InvitableRole });
    }),
  );
}

/**
 * Withdraws a pending invitation of the member's clinic; its link stops working at once.
 * Like inviting and resending, an admin's invitation is an owner's to withdraw.
 */
export async function revokeInvitation(member: Member, input: z.output<typeof revokeInvitationSchema>) {
  assertRole(member, MANAGER_ROLES);
  return db.transaction(async (tx) => {
    const pending = await lockPendingInvitation(
      tx,
      member,
      input.id,
      "Only an owner can withdraw an admin's invitation.",
    );
    await markRevoked(tx, pending.id);
    return { id: pending.id, email: pending.email };
  });
}

export const inviteMemberAction = defineMemberAction({
  schema: inviteSchema,
  roles: MANAGER_ROLES,
  run: inviteMember,
});

export const resendInvitationAction = defineMemberAction({
  schema: revokeInvitationSchema,
  roles: MANAGER_ROLES,
  run: resendInvitation,
  success: "Invitation sent again, with a new link.",
});

export const revokeInvitationAction = defineMemberAction({
  schema: revokeInvitationSchema,
  roles: MANAGER_ROLES,
  run: revokeInvitation,
  success: "Invitation revoked.",
});
