/** Why an invitation link no longer lets anyone in. */
export type DeadInvitation = "invalid" | "expired" | "revoked" | "accepted";

export const DEAD_INVITATION_MESSAGES: Record<DeadInvitation, string> = {
  invalid: "This invitation link is not valid. Check that you copied all of it, or ask the clinic for a new one.",
  expired: "This invitation has expired. Ask the clinic for a new one.",
  revoked: "This invitation was withdrawn by the clinic.",
  accepted: "This invitation has already been accepted.",
};

/** An invitation link that is forged, expired, revoked or used; the action wrapper shows the message. */
export class InvitationStateError extends Error {
  override name = "InvitationStateError";
  constructor(public readonly state: DeadInvitation) {
    super(DEAD_INVITATION_MESSAGES[state]);
  }
}
