import { defineJob } from "@/lib/jobs/define";
import { emailThrottle } from "@/lib/email/throttle";
import { sendEmailChangeLink } from "@/lib/auth/email-change";

/**
 * Emails the link that moves an account to a new address, to that address
 * (lib/auth/email-change.ts): the account changes only when it is opened there.
 */
export const emailChange = defineJob(
  {
    id: "email-change",
    name: "New email address confirmation",
    triggers: [{ event: "auth/email-change.requested" }],
    retries: 3,
    throttle: emailThrottle(),
  },
  async ({ event, step }) => {
    const email = await step.run("send-change-email", () =>
      sendEmailChangeLink(event.data.userId, event.data.newEmail, event.id),
    );
    return email ? { sent: true, email } : { sent: false, reason: "account not found" };
  },
);
