import "server-only";
import { createElement } from "react";
import { sendEmail, type SentEmail } from "@/lib/email/send";
import { TeamInvitationEmail } from "@/lib/email/templates/team-invitation";
import { invitationUrl } from "./invitation-token";
import { findInvitation, type InvitationState } from "./join";

/** What the invitation email needs, JSON-safe so the job can checkpoint it. */
export type InvitationEmailDetails = {
  invitationId: string;
  email: string;
  role: "admin" | "staff";
  state: InvitationState;
  expiresAt: string;
  clinicName: string;
  timeZone: string;
  /** Optional: details checkpointed before it was added are shown in en-GB. */
  locale?: string;
  inviterName: string | null;
};

export async function loadInvitationEmailDetails(invitationId: string): Promise<InvitationEmailDetails | null> {
  const found = await findInvitation(invitationId);
  if (!found) return null;
  const { invitation, clinic, inviterName, state } = found;
  return {
    invitationId: invitation.id,
    email: invitation.email,
    // The table refuses an owner invitation (invitations_role_check).
    role: invitation.role === "admin" ? "admin" : "staff",
    state,
    expiresAt: invitation.expiresAt.toISOString(),
    clinicName: clinic.name,
    timeZone: clinic.timeZone,
    locale: clinic.locale,
    inviterName,
  };
}

/**
 * The invitee's email, once per invitation (the key names it). The link is signed
 * again here from the id; the token itself was never stored.
 */
export async function sendTeamInvitation(details: InvitationEmailDetails): Promise<SentEmail> {
  return sendEmail({
    to: details.email,
    subject: `${details.inviterName ?? details.clinicName} invited you to join ${details.clinicName} on Slotline`,
    idempotencyKey: `team-invitation:${details.invitationId}`,
    react: createElement(TeamInvitationEmail, {
      clinicName: details.clinicName,
      inviterName: details.inviterName,
      role: details.role,
      acceptUrl: invitationUrl(details.invitationId),
      expiresAt: details.expiresAt,
      timeZone: details.timeZone,
      locale: details.locale,
    }),
  });
}
