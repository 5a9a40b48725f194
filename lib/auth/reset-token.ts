import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { and, eq, like } from "drizzle-orm";
import { db, type Executor } from "@/lib/db/client";
import { verifications } from "@/lib/db/schema";

/** How long a reset link works (better-auth's resetPasswordTokenExpiresIn). */
export const RESET_LINK_MINUTES = 60;

/** The token better-auth hands its sendResetPassword callback, caught for the call that asked. */
const issuedTokens = new AsyncLocalStorage<{ token?: string }>();

/**
 * better-auth's `sendResetPassword`: keeps the new token for `catchResetToken`'s caller.
 * better-auth logs and swallows what this callback throws, so the email is sent by that
 * caller instead (lib/auth/password-reset.ts), where a failure fails the job's step and
 * is retried.
 */
export async function captureResetToken({ token }: { token: string }) {
  const slot = issuedTokens.getStore();
  if (!slot) throw new Error("Reset links are made by the password-reset job (sendPasswordResetLink), not directly.");
  slot.token = token;
}

/** Runs `issue` (better-auth's requestPasswordReset) and returns the token it made, if any. */
export async function catchResetToken(issue: () => Promise<unknown>): Promise<string | undefined> {
  const slot: { token?: string } = {};
  await issuedTokens.run(slot, issue);
  return slot.token;
}

/**
 * Ends every reset link `userId` was sent and has not used: a new password, by a reset or
 * a change, leaves no older link able to set another. better-auth keeps a link as a
 * verification `reset-password:<token>` whose value is the user's id
 * (tests/integration/password-reset.test.ts fails if that changes).
 */
export async function revokeResetLinks(userId: string, executor: Executor = db): Promise<void> {
  await executor
    .delete(verifications)
    .where(and(like(verifications.identifier, "reset-password:%"), eq(verifications.value, userId)));
}

/** A reset link that is expired, used already, or was never issued: all look the same. */
export class ResetLinkError extends Error {
  override name = "ResetLinkError";
  constructor() {
    super("This reset link has expired or was already used. Ask for a new one; your password has not changed.");
  }
}
