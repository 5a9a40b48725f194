import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { isOperator } from "./operators";

// Whether an account's address is proven its own, apart from the job that emails the
// confirmation link (./email-verification.ts), so lib/auth/auth.ts can use it without
// importing the job layer.

/** How long a confirmation link works (better-auth's emailVerification.expiresIn). */
export const VERIFY_LINK_HOURS = 24;

/** Whether an account signs in with `address` (already trimmed and lower case). */
export async function emailTaken(address: string): Promise<boolean> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, address));
  return Boolean(user);
}

export async function isEmailVerified(userId: string): Promise<boolean> {
  const [user] = await db.select({ verified: users.emailVerified }).from(users).where(eq(users.id, userId));
  return user?.verified ?? false;
}

/**
 * Marks an address as its account's own without a confirmation link, where another
 * email to it already proved that: an invitation's link (the account must use the
 * invited address) and a password reset's.
 */
export async function markEmailVerified(userId: string): Promise<void> {
  await db.update(users).set({ emailVerified: true, updatedAt: new Date() }).where(eq(users.id, userId));
}

/**
 * A deployment operator (/admin/jobs): listed in OPERATOR_EMAILS and with that address
 * confirmed. Anyone may sign up with any address, so the list alone would let whoever
 * signed up first with an operator's address, before the operator did, see every clinic's
 * jobs.
 */
export async function isConfirmedOperator(user: { id: string; email: string }): Promise<boolean> {
  return isOperator(user.email) && (await isEmailVerified(user.id));
}
