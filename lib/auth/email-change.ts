import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createElement } from "react";
import { and, eq, gt, sql } from "drizzle-orm";
import { isAPIError } from "better-auth/api";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/postgres-errors";
import { users, verifications } from "@/lib/db/schema";
import { FieldError } from "@/lib/clinic/errors";
import { email } from "@/lib/clinic/form-fields";
import { sendEmail, type SentEmail } from "@/lib/email/send";
import { EmailChangeEmail } from "@/lib/email/templates/email-change";
import { EmailChangedEmail } from "@/lib/email/templates/email-changed";
import { env } from "@/lib/env";
import { sendEvent } from "@/lib/jobs/send";
import { auth } from "./auth";
import { EmailChangeLinkError } from "./email-change-error";
import { emailTaken } from "./email-ownership";
import type { Member } from "./member";
import { enteredPassword } from "./password-fields";
import { checkPasswordWithinLimits, emailChangeLimits, withinLimits } from "./rate-limit";

/** How long a link to confirm a new address works. */
export const EMAIL_CHANGE_LINK_HOURS = 24;
export const CONFIRM_EMAIL_CHANGE_PATH = "/confirm-email-change";

export const changeEmailSchema = z.object({
  email: email(),
  currentPassword: enteredPassword("Enter your password"),
});

export const confirmEmailChangeSchema = z.object({
  token: z.string("Open the link from the email again.").regex(/^[\w-]{43}$/, "This link is incomplete or damaged."),
});

const LINK_GONE = "This link has expired or was already used. Ask for a new one on your account page.";

type PendingChange = { userId: string; from: string; to: string };

/** A link's row in better-auth's verifications table: keyed by a digest, so the table never holds a usable link. */
const identifierOf = (token: string) => `change-email:${createHash("sha256").update(token).digest("base64url")}`;

/**
 * Asks for a new sign-in address: the current password (a wrong one counts as a failed
 * sign-in), an address no account uses, and at most a few requests an hour. Nothing
 * changes yet: the email-change job emails a link to the new address, and the change is
 * made only when it is opened there (confirmEmailChange). Returns the event's id, for the
 * kick, and the new address as understood (trimmed, lower case).
 */
export async function requestEmailChange(
  user: Member["user"],
  input: z.output<typeof changeEmailSchema>,
  requestHeaders: Headers,
): Promise<{ eventId: string; email: string }> {
  if (input.email === user.email) throw new FieldError("email", "That is already your email address.");
  if (await emailTaken(input.email)) throw new FieldError("email", "Another account uses this address.");
  await checkPasswordWithinLimits(
    user.email,
    requestHeaders,
    () => auth().api.verifyPassword({ body: { password: input.currentPassword }, headers: requestHeaders }),
    (error) =>
      isAPIError(error) && error.body?.code === "INVALID_PASSWORD"
        ? new FieldError("currentPassword", "That is not your password.")
        : undefined,
  );
  return withinLimits(emailChangeLimits(user.id), { noun: "address changes" }, async () => {
    const [event] = await sendEvent({
      name: "auth/email-change.requested",
      data: { userId: user.id, newEmail: input.email },
    });
    return { eventId: event.id, email: input.email };
  });
}

/**
 * The email-change job's one step: a new link, stored as a digest in `verifications`
 * with the account's current address, and the email with it to the new address, once per
 * request (`requestId`). An account deleted meanwhile gets nothing (null). The link is
 * never returned, so the checkpoint holds none.
 */
export async function sendEmailChangeLink(
  userId: string,
  newEmail: string,
  requestId: string,
): Promise<SentEmail | null> {
  const [user] = await db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, userId));
  if (!user) return null;
  const token = randomBytes(32).toString("base64url");
  const change: PendingChange = { userId, from: user.email, to: newEmail };
  await db.insert(verifications).values({
    id: randomUUID(),
    identifier: identifierOf(token),
    value: JSON.stringify(change),
    expiresAt: new Date(Date.now() + EMAIL_CHANGE_LINK_HOURS * 3_600_000),
  });
  const link = new URL(CONFIRM_EMAIL_CHANGE_PATH, env().APP_URL);
  link.searchParams.set("token", token);
  return sendEmail({
    to: newEmail,
    subject: "Confirm your new email address for Slotline",
    idempotencyKey: `email-change:${userId}:${requestId}`,
    react: createElement(EmailChangeEmail, {
      recipientName: user.name,
      currentEmail: user.email,
      confirmUrl: link.toString(),
      validHours: EMAIL_CHANGE_LINK_HOURS,
    }),
  });
}

/** The change a link stands for, while it works (the confirmation page shows it before the button). */
export async function findEmailChange(token: string): Promise<PendingChange | null> {
  const [row] = await db
    .select({ value: verifications.value })
    .from(verifications)
    .where(and(eq(verifications.identifier, identifierOf(token)), gt(verifications.expiresAt, sql`now()`)));
  return row ? (JSON.parse(row.value) as PendingChange) : null;
}

/**
 * Makes the change a link stands for, once: the account's address becomes the new one,
 * confirmed (the link reached it), the account's other links for a new address stop
 * working, and an `auth/email-changed` event, in the same transaction, has the
 * email-changed job tell the address the account left. Nothing changes when the account's
 * address moved since the link was sent, or another account took the new one meanwhile.
 * Returns the new address and the event's id, for the kick.
 */
export async function confirmEmailChange(
  input: z.output<typeof confirmEmailChangeSchema>,
): Promise<{ email: string; eventId: string }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(verifications)
      .where(and(eq(verifications.identifier, identifierOf(input.token)), gt(verifications.expiresAt, sql`now()`)))
      .returning({ value: verifications.value });
    if (!row) throw new EmailChangeLinkError(LINK_GONE);
    const change = JSON.parse(row.value) as PendingChange;
    let changed: { id: string }[];
    try {
      changed = await tx
        .update(users)
        .set({ email: change.to, emailVerified: true, updatedAt: new Date() })
        .where(and(eq(users.id, change.userId), eq(users.email, change.from)))
        .returning({ id: users.id });
    } catch (error) {
      if (isUniqueViolation(error, "users_email_unique"))
        throw new EmailChangeLinkError(`Another account uses ${change.to} now; nothing was changed.`);
      throw error;
    }
    if (changed.length === 0)
      throw new EmailChangeLinkError("Your email address changed since this link was sent; nothing was changed.");
    await tx.execute(
      sql`delete from verifications where identifier like 'change-email:%' and value::jsonb->>'userId' = ${change.userId}`,
    );
    const [event] = await sendEvent(
      { name: "auth/email-changed", data: { userId: change.userId, previousEmail: change.from, newEmail: change.to } },
      { tx },
    );
    return { email: change.to, eventId: event.id };
  });
}

/**
 * The email-changed job's one step: tells the address an account left that it signs in
 * with another one now, once per change (`changeId`), so a change its owner did not make
 * does not go unnoticed. Sent whatever the account became since (even deleted): the
 * address was the account's when the change was made.
 */
export async function sendEmailChangedNotice(
  change: { userId: string; previousEmail: string; newEmail: string },
  changeId: string,
  changedAt: Date,
): Promise<SentEmail> {
  const [user] = await db.select({ name: users.name }).from(users).where(eq(users.id, change.userId));
  return sendEmail({
    to: change.previousEmail,
    subject: "Your Slotline sign-in address changed",
    idempotencyKey: `email-changed:${change.userId}:${changeId}`,
    react: createElement(EmailChangedEmail, {
      recipientName: user?.name ?? "there",
      newEmail: change.newEmail,
      changedAt: changedAt.toISOString(),
    }),
  });
}
