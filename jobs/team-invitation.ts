import { defineJob } from "@/lib/jobs/define";
import { emailThrottle } from "@/lib/email/throttle";
import { loadInvitationEmailDetails, sendTeamInvitation } from "@/lib/team/invitation-email";

/**
 * Emails an invitee the link that accepts their invitation, once: the email's key is
 * the invitation id, and a doubled event within 24 hours starts no second run. An
 * invitation revoked (or accepted) before the run got to it is not sent at all.
 */
export const teamInvitation = defineJob(
  {
    id: "team-invitation",
    name: "Team invitation email",
    triggers: [{ event: "team/member.invited" }],
    retries: 5,
    idempotency: "event.data.invitationId",
    throttle: emailThrottle(),
  },
  async ({ event, step }) => {
    const invitation = await step.run("load-invitation", () => loadInvitationEmailDetails(event.data.invitationId));
    if (!invitation) return { sent: false, reason: "invitation not found" };
    if (invitation.state !== "pending") return { sent: false, reason: `invitation ${invitation.state}` };

    const email = await step.run("send-invitation-email", () => sendTeamInvitation(invitation));
    return { sent: true, email };
  },
);
