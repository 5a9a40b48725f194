import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

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

/** A reset link that is expired, used already, or was never issued: all look the same. */
export class ResetLinkError extends Error {
  override name = "ResetLinkError";
  constructor() {
    super("This reset link has expired or was already used. Ask for a new one; your password has not changed.");
  }
}
