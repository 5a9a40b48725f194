import { defineJob } from "@/lib/jobs/define";
import { emailThrottle } from "@/lib/email/throttle";
import { sendPasswordResetLink } from "@/lib/auth/password-reset";

/**
 * Emails a reset link to the account that asked (lib/auth/password-reset.ts). The link
 * is made in the step that emails it, so it is never stored outside better-auth's
 * verifications table, and a retry sends a fresh one. An account deleted meanwhile gets
 * nothing.
 */
export const passwordReset = defineJob(
  {
    id: "password-reset",
    name: "Password reset email",
    triggers: [{ event: "auth/password-reset.requested" }],
    retries: 3,
    throttle: emailThrottle(),
  },
  async ({ event, step }) => {
    const email = await step.run("send-reset-email", () => sendPasswordResetLink(event.data.userId));
    return email ? { sent: true, email } : { sent: false, reason: "account not found" };
  },
);
