import "server-only";
import { createElement } from "react";
import { eq } from "drizzle-orm";
import { createEmailVerificationToken } from "better-auth/api";
import { db, type Executor } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { sendEmail, type SentEmail } from "@/lib/email/send";
import { EmailVerificationEmail } from "@/lib/email/templates/email-verification";
import { authSecret, env } from "@/lib/env";
import { sendEvent } from "@/lib/jobs/send";
import { isEmailVerified, VERIFY_LINK_HOURS } from "./email-ownership";
import { emailVerificationLimits, withinLimits } from "./rate-limit";

/** Where a confirmation link lands, with `account` (the user's id) and, when it failed, better-auth's `error`. */
export const VERIFIED_PATH = "/verify-email";

/**
 * Asks the email-verification job to email `userId` a link that confirms their address
 * (sign-up does, in its clinic's transaction, and the dashboard's "send it again").
 * Returns the event's id, for the kick.
 */
export async function requestEmailVerification(
  userId: string,
  options: { tx?: Executor; eventId?: string } = {},
): Promise<string> {
  const [event] = await sendEvent(
    { id: options.eventId, name: "auth/email-verification.requested", data: { userId } },
    { tx: options.tx },
  );
  return event.id;
}

/**
 * "Send the link again" from the dashboard: a few an hour per account, and none once the
 * address is confirmed (returns null then). Returns the event's id, for the kick.
 */
export async function resendEmailVerification(userId: string): Promise<string | null> {
  if (await isEmailVerified(userId)) return null;
  return withinLimits(emailVerificationLimits(userId), { noun: "confirmation emails" }, () =>
    requestEmailVerification(userId),
  );
}

/** The link better-auth's `/verify-email` endpoint takes: a signed token, good for VERIFY_LINK_HOURS. */
async function confirmationUrl(user: { id: string; email: string }) {
  const token = await createEmailVerificationToken(authSecret(), user.email, undefined, VERIFY_LINK_HOURS * 3600, {
    userId: user.id,
  });
  const landing = new URL(VERIFIED_PATH, env().APP_URL);
  landing.searchParams.set("account", user.id);
  const url = new URL("/api/auth/verify-email", env().APP_URL);
  url.searchParams.set("token", token);
  url.searchParams.set("callbackURL", `${landing.pathname}${landing.search}`);
  return url.toString();
}

/**
 * The email-verification job's one step: a fresh signed link and the email with it, one
 * email per request (`requestId`, the event's id: a retry after the email went out sends
 * no second one). An account deleted meanwhile, or confirmed already (by an earlier link,
 * an invitation or a reset), gets nothing (null). The link is never returned, so the
 * checkpoint holds none.
 */
export async function sendVerificationLink(userId: string, requestId: string): Promise<SentEmail | null> {
  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email, verified: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || user.verified) return null;
  const url = await confirmationUrl(user);
  return sendEmail({
    to: user.email,
    subject: "Confirm your email address for Slotline",
    idempotencyKey: `email-verification:${userId}:${requestId}`,
    react: createElement(EmailVerificationEmail, {
      recipientName: user.name,
      confirmUrl: url,
      validHours: VERIFY_LINK_HOURS,
    }),
  });
}
