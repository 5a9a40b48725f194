import "server-only";
import { createHash } from "node:crypto";
import { createElement } from "react";
import { eq } from "drizzle-orm";
import { isAPIError } from "better-auth/api";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { email } from "@/lib/clinic/form-fields";
import { sendEmail, type SentEmail } from "@/lib/email/send";
import { PasswordResetEmail } from "@/lib/email/templates/password-reset";
import { env } from "@/lib/env";
import { sendEvent } from "@/lib/jobs/send";
import { auth } from "./auth";
import { clientIp, passwordResetLimits, recordAuthAttempt } from "./rate-limit";
import { catchResetToken, RESET_LINK_MINUTES, ResetLinkError } from "./reset-token";
import { newPassword } from "./password-fields";

export const RESET_PASSWORD_PATH = "/reset-password";

export const requestPasswordResetSchema = z.object({ email: email() });

const DAMAGED_LINK = "This reset link is incomplete or damaged; open the link from the email again.";

export const resetPasswordSchema = z.object({
  // better-auth's tokens are letters and digits; anything else was cut or changed on the way.
  token: z
    .string(DAMAGED_LINK)
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, DAMAGED_LINK),
  password: newPassword,
});

/**
 * Asks for a reset link. Every request counts against the limits (per email and per
 * address), whether or not the email has an account, and the answer is the same either
 * way. For an account, a `auth/password-reset.requested` event starts the password-reset
 * job, which makes the link and emails it (`sendPasswordResetLink`); the request itself
 * writes one event and no token. Returns the address as understood (trimmed, lower
 * case) and the event's id (null without an account), for the kick.
 */
export async function requestPasswordReset(
  input: z.output<typeof requestPasswordResetSchema>,
  requestHeaders: Headers = new Headers(),
): Promise<{ email: string; eventId: string | null }> {
  await recordAuthAttempt(passwordResetLimits(input.email, clientIp(requestHeaders)));
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (!user) return { email: input.email, eventId: null };
  const [event] = await sendEvent({ name: "auth/password-reset.requested", data: { userId: user.id } });
  return { email: input.email, eventId: event.id };
}

/**
 * The password-reset job's one step: a new token (better-auth stores it, valid for
 * RESET_LINK_MINUTES and once) and the email with its link. A retry makes another
 * token; an earlier one still works until it expires. The token is never returned, so
 * the step's checkpoint holds none.
 */
export async function sendPasswordResetLink(userId: string): Promise<SentEmail | null> {
  const [user] = await db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, userId));
  if (!user) return null;
  const token = await catchResetToken(() => auth().api.requestPasswordReset({ body: { email: user.email } }));
  if (!token) throw new Error(`better-auth made no reset token for user ${userId}`);
  const resetUrl = new URL(RESET_PASSWORD_PATH, env().APP_URL);
  resetUrl.searchParams.set("token", token);
  return sendEmail({
    to: user.email,
    subject: "Choose a new password for Slotline",
    // One email per token; the key names a digest of it, never the token itself.
    idempotencyKey: `password-reset:${userId}:${createHash("sha256").update(token).digest("hex").slice(0, 32)}`,
    react: createElement(PasswordResetEmail, {
      recipientName: user.name,
      resetUrl: resetUrl.toString(),
      validMinutes: RESET_LINK_MINUTES,
    }),
  });
}

/** better-auth's answers for a token it will not take (and for an account deleted since). */
const RESET_LINK_CODES = new Set(["INVALID_TOKEN", "USER_NOT_FOUND"]);

/**
 * Sets a new password from a reset link's token. better-auth checks the token (once,
 * before it expires), stores the new hash and ends every session of the account; its
 * onPasswordReset (lib/auth/auth.ts) forgets the account's failed sign-ins, so whoever
 * reset it can sign in at once.
 */
export async function resetPassword(input: z.output<typeof resetPasswordSchema>): Promise<void> {
  try {
    await auth().api.resetPassword({ body: { newPassword: input.password, token: input.token } });
  } catch (error) {
    if (isAPIError(error) && RESET_LINK_CODES.has(String(error.body?.code))) throw new ResetLinkError();
    throw error;
  }
}
