import "server-only";
import { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./auth";

// The password fields of every form that takes one (sign-up, sign-in, a reset, a change),
// apart from sign-up's module, which imports the job layer (its confirmation email).

const TOO_LONG = `Use at most ${MAX_PASSWORD_LENGTH} characters`;

/** A password being chosen (sign-up, a reset, a change): better-auth's own limits, said in the form. */
export const newPassword = z
  .string("Choose a password")
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, TOO_LONG);

/**
 * A password someone already has (signing in, the current one when changing it): none
 * is longer than MAX_PASSWORD_LENGTH, and a longer one is not worth hashing.
 */
export const enteredPassword = (missing: string) =>
  z.string(missing).min(1, missing).max(MAX_PASSWORD_LENGTH, TOO_LONG);
