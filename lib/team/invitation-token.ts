import "server-only";
import { createSignedId, verifySignedId } from "@/lib/auth/signed-id";
import { env } from "@/lib/env";

/**
 * The invitation link's token: the invitation id, signed (lib/auth/signed-id.ts). It is
 * never stored: the job that emails it signs the id again, and the page that accepts
 * it checks the signature, then the row (accepted, revoked, expired) for whether it is alive.
 */

const PURPOSE = "slotline.team-invitation.v1";

export function createInvitationToken(invitationId: string): string {
  return createSignedId(PURPOSE, invitationId);
}

/** The invitation id the token was signed for, or null when it is malformed or forged. */
export function verifyInvitationToken(token: string): string | null {
  return verifySignedId(PURPOSE, token);
}

export function invitationPath(token: string): string {
  return `/invite/${encodeURIComponent(token)}`;
}

/** Sign-in or sign-up on the way to an invitation: they come back to it afterwards. */
export function authPathForInvitation(page: "/sign-in" | "/sign-up", token: string): string {
  return `${page}?invite=${encodeURIComponent(token)}`;
}

/** Where to go after signing in (or out) with this `invite` value: the invitation when its signature holds. */
export function invitationPathOrNull(token: unknown): string | null {
  return typeof token === "string" && verifyInvitationToken(token) ? invitationPath(token) : null;
}

/** Where to sign in: on the way back to this `invite` value's invitation when its signature holds. */
export function signInPathFor(token: unknown): string {
  return typeof token === "string" && verifyInvitationToken(token)
    ? authPathForInvitation("/sign-in", token)
    : "/sign-in";
}

/** The invitation's own page, its token signed afresh. */
export function invitationPathFor(invitationId: string): string {
  return invitationPath(createInvitationToken(invitationId));
}

/** The absolute link the invitation email carries. */
export function invitationUrl(invitationId: string): string {
  return new URL(invitationPathFor(invitationId), env().APP_URL).toString();
}
