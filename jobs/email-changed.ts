import { defineJob } from "@/lib/jobs/define";
import { emailThrottle } from "@/lib/email/throttle";
import { sendEmailChangedNotice } from "@/lib/auth/email-change";

/**
 * Tells the address an account left that it signs in with another one now
 * (lib/auth/email-change.ts), so a change its owner did not make does not go unnoticed.
 */
export const emailChanged = defineJob(
  {
    id: "email-changed",
    name: "Email address changed notice",
    triggers: [{ event: "auth/email-changed" }],
    retries: 3,
    throttle: emailThrottle(),
  },
  async ({ event, step }) => {
    const email = await step.run("send-changed-notice", () =>
      sendEmailChangedNotice(event.data, event.id, new Date(event.ts)),
    );
    return { sent: true, email };
  },
);
