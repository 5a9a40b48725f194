import { defineJob } from "@/lib/jobs/define";
import { emailThrottle } from "@/lib/email/throttle";
import { sendVerificationLink } from "@/lib/auth/email-verification";

/**
 * Emails a new account the link that confirms its address (lib/auth/email-verification.ts).
 * The link is made in the step that emails it, so it is stored nowhere else, and a retry
 * sends a fresh one. An account deleted or confirmed meanwhile gets nothing.
 */
export const emailVerification = defineJob(
  {
    id: "email-verification",
    name: "Email address confirmation",
    triggers: [{ event: "auth/email-verification.requested" }],
    retries: 3,
    throttle: emailThrottle(),
  },
  async ({ event, step }) => {
    const email = await step.run("send-confirmation-email", () => sendVerificationLink(event.data.userId, event.id));
    return email ? { sent: true, email } : { sent: false, reason: "account not found or already confirmed" };
  },
);
