import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createElement } from "react";
import { and, eq, gt, sql } from "drizzle-orm";
import { isAPIError } from "better-auth/api";
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/postgres-errors";
import { sessions, users, verifications } from "@/lib/db/schema";
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
import { revokeResetLinks } from "./reset-token";

/** How long a link to confirm a new address works. */
export const EMAIL_CHANGE_LINK_HOURS = 24;
export const CONFIRM_EMAIL_CHANGE_PATH = "/confirm-email-change";
/** How long the address an account left can give the account back to itself. */
export const UNDO_EMAIL_CHANGE_DAYS = 7;
export const UNDO_EMAIL_CHANGE_PATH = "/undo-email-change";

export const changeEmailSchema = z.object({
  email: email(),
  currentPassword: enteredPassword("Enter your password"),
});

export const confirmEmailChangeSchema = z.object({
  token: z.string("Open the link from the email again.").regex(/^[\w-]{43}$/, "This link is incomplete or damaged."),
});
export const undoEmailChangeSchema = confirmEmailChangeSchema;

const LINK_GONE = "This link has expired or was already used. Ask for a new one on your account page.";

type PendingChange = { userId: string; from: string; to: string };
/** A change made, as its undo link stands for it: `from` is the address it left, and gets the account back. */
type MadeChange = PendingChange & { changedAt: string };

const digestOf = (token: string) => createHash("sha256").update(token).digest("base64url");
/** A link's row in better-auth's verifications table: keyed by a digest, so the table never holds a usable link. */
const identifierOf = (token: string) => `change-email:${digestOf(token)}`;
const undoIdentifierOf = (token: string) => `undo-email-change:${digestOf(token)}`;
/**
 * The account a row of `verifications` is a link of this file's for, else null. Other
 * rows' values are not JSON (a reset link's is the user's id), so the CASE keeps the cast
 * off them, whatever order PostgreSQL tests a WHERE clause's conditions in.
 */
const linkAccount = sql`(case when identifier like 'change-email:%' or identifier like 'undo-email-change:%'
  then value::jsonb->>'userId' end)`;

/** A new link: the token for the email, and its row (a digest) in `verifications`, valid for `validMs`. */
async function storeLink(identifier: (token: string) => string, value: PendingChange | MadeChange, validMs: number) {
  const token = randomBytes(32).toString("base64url");
  await db.insert(verifications).values({
    id: randomUUID(),
    identifier: identifier(token),
    value: JSON.stringify(value),
    expiresAt: new Date(Date.now() + validMs),
  });
  return token;
}

const linkTo = (pathname: string, token: string) => {
  const link = new URL(pathname, env().APP_URL);
  link.searchParams.set("token", token);
  return link.toString();
};

/** What a link still working stands for (`identifier` of its token), or null. */
async function findLink<T>(identifier: string): Promise<T | null> {
  const [row] = await db
    .select({ value: verifications.value })
    .from(verifications)
    .where(and(eq(verifications.identifier, identifier), gt(verifications.expiresAt, sql`now()`)));
  return row ? (JSON.parse(row.value) as T) : null;
}

/** Uses up a link still working, in `tx`: what it stood for, or the error (`gone` its message). */
async function takeLink<T>(tx: Tx, identifier: string, gone = LINK_GONE): Promise<T> {
  const [row] = await tx
    .delete(verifications)
    .where(and(eq(verifications.identifier, identifier), gt(verifications.expiresAt, sql`now()`)))
    .returning({ value: verifications.value });
  if (!row) throw new EmailChangeLinkError(gone);
  return JSON.parse(row.value) as T;
}

/** Moves the account `userId` to `email`, confirmed; another account on that address refuses it. */
async function moveAccount(tx: Tx, userId: string, email: string, currentEmail?: string) {
  try {
    return await tx
      .update(users)
      .set({ email, emailVerified: true, updatedAt: new Date() })
      .where(and(eq(users.id, userId), currentEmail === undefined ? undefined : eq(users.email, currentEmail)))
      .returning({ id: users.id });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_unique"))
      throw new EmailChangeLinkError(`Another account uses ${email} now; nothing was changed.`);
    throw error;
  }
}

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
  const change: PendingChange = { userId, from: user.email, to: newEmail };
  const token = await storeLink(identifierOf, change, EMAIL_CHANGE_LINK_HOURS * 3_600_000);
  return sendEmail({
    to: newEmail,
    subject: "Confirm your new email address for Slotline",
    idempotencyKey: `email-change:${userId}:${requestId}`,
    react: createElement(EmailChangeEmail, {
      recipientName: user.name,
      currentEmail: user.email,
      confirmUrl: linkTo(CONFIRM_EMAIL_CHANGE_PATH, token),
      validHours: EMAIL_CHANGE_LINK_HOURS,
    }),
  });
}

/** The change a link stands for, while it works (the confirmation page shows it before the button). */
export const findEmailChange = (token: string) => findLink<PendingChange>(identifierOf(token));

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
    const change = await takeLink<PendingChange>(tx, identifierOf(input.token));
    const changed = await moveAccount(tx, change.userId, change.to, change.from);
    if (changed.length === 0)
      throw new EmailChangeLinkError("Your email address changed since this link was sent; nothing was changed.");
    await tx.execute(
      sql`delete from verifications where identifier like 'change-email:%' and ${linkAccount} = ${change.userId}`,
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
 * address was the account's when the change was made. While the account exists, the
 * email carries a link that gives it back to that address (undoEmailChange), valid for
 * UNDO_EMAIL_CHANGE_DAYS; a retry makes another, and only the email sent holds one.
 */
export async function sendEmailChangedNotice(
  change: { userId: string; previousEmail: string; newEmail: string },
  changeId: string,
  changedAt: Date,
): Promise<SentEmail> {
  const [user] = await db.select({ name: users.name }).from(users).where(eq(users.id, change.userId));
  const undo: MadeChange = {
    userId: change.userId,
    from: change.previousEmail,
    to: change.newEmail,
    changedAt: changedAt.toISOString(),
  };
  const token = user && (await storeLink(undoIdentifierOf, undo, UNDO_EMAIL_CHANGE_DAYS * 86_400_000));
  return sendEmail({
    to: change.previousEmail,
    subject: "Your Slotline sign-in address changed",
    idempotencyKey: `email-changed:${change.userId}:${changeId}`,
    react: createElement(EmailChangedEmail, {
      recipientName: user?.name ?? "there",
      newEmail: change.newEmail,
      changedAt: undo.changedAt,
      undo: token ? { url: linkTo(UNDO_EMAIL_CHANGE_PATH, token), validDays: UNDO_EMAIL_CHANGE_DAYS } : undefined,
    }),
  });
}

/** The change an undo link stands for, while it works (its page shows it before the button). */
export const findEmailChangeToUndo = (token: string) => findLink<MadeChange>(undoIdentifierOf(token));

/**
 * Gives an account back to the address a change took it from, from the link emailed
 * there: someone who had the password may have made the change. In one transaction: the
 * account signs in with that address again, confirmed; every session ends; reset links
 * and links to a new address stop working; the undo links of this change and of any
 * later one (sent to addresses the account had only since) stop working, while those of
 * earlier changes still work; and an `auth/password-reset.requested` event has the
 * password-reset job email the address a link to set a new password, since the old one
 * may be known. Nothing changes when the link is used, expired or unknown, the account is
 * gone, or another account took the address meanwhile. Returns the address and the event's id, for the kick.
 */
export async function undoEmailChange(
  input: z.output<typeof undoEmailChangeSchema>,
): Promise<{ email: string; eventId: string }> {
  return db.transaction(async (tx) => {
    const change = await takeLink<MadeChange>(
      tx,
      undoIdentifierOf(input.token),
      "This link has expired or was already used; nothing was changed.",
    );
    const moved = await moveAccount(tx, change.userId, change.from);
    if (moved.length === 0) throw new EmailChangeLinkError("This account no longer exists; nothing was changed.");
    await tx.delete(sessions).where(eq(sessions.userId, change.userId));
    await revokeResetLinks(change.userId, tx);
    await tx.execute(sql`
      delete from verifications
      where ${linkAccount} = ${change.userId}
        and (identifier like 'change-email:%'
          or (case when identifier like 'undo-email-change:%' then (value::jsonb->>'changedAt')::timestamptz end)
            >= ${change.changedAt}::timestamptz)
    `);
    const [event] = await sendEvent({ name: "auth/password-reset.requested", data: { userId: change.userId } }, { tx });
    return { email: change.from, eventId: event.id };
  });
}
