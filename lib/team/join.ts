import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Member } from "@/lib/auth/member";
import { db, type Executor } from "@/lib/db/client";
import { clinics, invitations, memberships, users, type Clinic, type Invitation } from "@/lib/db/schema";
import { ForbiddenError } from "@/lib/clinic/errors";
import { normalizeEmail } from "@/lib/clinic/form-fields";
import { InvitationStateError, type DeadInvitation } from "./errors";
import { invitationPathFor, verifyInvitationToken } from "./invitation-token";

/** The invitee's side: what a link invites to, and accepting it. */

export type InvitationState = "pending" | Exclude<DeadInvitation, "invalid">;

export type FoundInvitation = {
  invitation: Invitation;
  clinic: Clinic;
  inviterName: string | null;
  state: InvitationState;
};

// Tokens are a uuid, a dot and 43 characters of signature; anything much longer is not one.
export const acceptInvitationSchema = z.object({ token: z.string("This invitation link is not valid.").max(200) });

/** Neither accepted nor revoked (an expired one too, until it is replaced). */
export const pendingInvitation = and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));
/** Past its expiry, by the database's clock. */
export const invitationExpired = sql<boolean>`${invitations.expiresAt} <= now()`;

function stateOf(invitation: Invitation, expired: boolean): InvitationState {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  return expired ? "expired" : "pending";
}

/** Whether a signed-in user is the one invited: emails compare without case. */
export function isInvitee(user: Member["user"], invitation: Pick<Invitation, "email">): boolean {
  return normalizeEmail(user.email) === invitation.email;
}

/**
 * The invitation with its clinic, who sent it and whether it still lets anyone in (by the
 * database's clock). With `lock`, inside `tx`, the invitation's row is locked until it commits.
 */
export async function findInvitation(
  invitationId: string,
  options: { tx?: Executor; lock?: boolean } = {},
): Promise<FoundInvitation | null> {
  const query = (options.tx ?? db)
    .select({ invitation: invitations, clinic: clinics, inviterName: users.name, expired: invitationExpired })
    .from(invitations)
    .innerJoin(clinics, eq(clinics.id, invitations.clinicId))
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(eq(invitations.id, invitationId));
  const [row] = options.lock ? await query.for("update", { of: invitations }) : await query;
  if (!row) return null;
  return { ...row, state: stateOf(row.invitation, row.expired) };
}

/**
 * The link of the newest invitation waiting for `email` (pending and unexpired), or null:
 * where an invitee who signs in without their link is sent (lib/auth/onboarding.ts).
 */
export async function waitingInvitationPath(email: string): Promise<string | null> {
  const [waiting] = await db
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.email, normalizeEmail(email)), pendingInvitation, sql`not ${invitationExpired}`))
    .orderBy(desc(invitations.createdAt))
    .limit(1);
  return waiting ? invitationPathFor(waiting.id) : null;
}

/** The invitation a link stands for; null when the token is malformed, forged or its row is gone. */
export async function findInvitationByToken(token: string): Promise<FoundInvitation | null> {
  const invitationId = verifyInvitationToken(token);
  return invitationId ? findInvitation(invitationId) : null;
}

/**
 * Makes the signed-in user a member of the invitation's clinic with its role, once. The
 * invitation's row lock makes an Accept and a Revoke take turns (an Accept that read it
 * pending could otherwise mark a revoked invitation accepted), and two clicks too: the
 * second finds it accepted and answers the same. Someone signed in with another
 * email, or a link that is expired, revoked or forged, changes nothing.
 */
export async function acceptInvitation(user: Member["user"], token: string): Promise<Clinic> {
  const invitationId = verifyInvitationToken(token);
  if (!invitationId) throw new InvitationStateError("invalid");
  return db.transaction(async (tx) => {
    const found = await findInvitation(invitationId, { tx, lock: true });
    if (!found) throw new InvitationStateError("invalid");
    const { invitation, clinic, state } = found;
    if (!isInvitee(user, invitation)) {
      throw new ForbiddenError(
        `This invitation is for ${invitation.email}, and you are signed in as ${user.email}. Sign in with the invited email to accept it.`,
      );
    }
    if (state === "accepted") {
      // The same person clicking again: already in, nothing more to do.
      const [member] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.clinicId, invitation.clinicId), eq(memberships.userId, user.id)));
      if (member) return clinic;
    }
    if (state !== "pending") throw new InvitationStateError(state);
    // Someone already on the team (added by another invitation meanwhile) keeps the role they have.
    await tx
      .insert(memberships)
      .values({ clinicId: invitation.clinicId, userId: user.id, role: invitation.role })
      .onConflictDoNothing({ target: [memberships.clinicId, memberships.userId] });
    await tx
      .update(invitations)
      .set({ acceptedAt: sql`now()` })
      .where(eq(invitations.id, invitation.id));
    return clinic;
  });
}
