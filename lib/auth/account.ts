import "server-only";
import { eq, sql } from "drizzle-orm";
import { isAPIError } from "better-auth/api";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { FieldError } from "@/lib/clinic/errors";
import { NAME_MAX, requiredText } from "@/lib/clinic/form-fields";
import { auth } from "./auth";
import type { Member } from "./member";
import { checkPasswordWithinLimits } from "./rate-limit";
import { revokeResetLinks } from "./reset-token";
import { enteredPassword, newPassword } from "./password-fields";

/** The signed-in person's own account (/dashboard/account), whatever their role. */
type AccountUser = Member["user"];

export const accountNameSchema = z.object({ name: requiredText(NAME_MAX, "name", "Enter your name") });

export const changePasswordSchema = z.object({
  currentPassword: enteredPassword("Enter your current password"),
  newPassword,
});

/** The name the dashboard and the team page show, and emails to the user use. */
export async function renameAccount(user: AccountUser, input: z.output<typeof accountNameSchema>): Promise<void> {
  await db
    .update(users)
    .set({ name: input.name, updatedAt: sql`now()` })
    .where(eq(users.id, user.id));
}

/**
 * Changes the password of the session in `requestHeaders` (better-auth checks the
 * current one, stores the new hash, ends every other session and gives this one a new
 * cookie), and ends the reset links the account was sent. A wrong current password
 * counts as a failed sign-in of the account (lib/auth/rate-limit.ts), so a session left
 * open is no way to guess it.
 */
export async function changePassword(
  user: AccountUser,
  input: z.output<typeof changePasswordSchema>,
  requestHeaders: Headers,
): Promise<void> {
  await checkPasswordWithinLimits(
    user.email,
    requestHeaders,
    () =>
      auth().api.changePassword({
        body: { currentPassword: input.currentPassword, newPassword: input.newPassword, revokeOtherSessions: true },
        headers: requestHeaders,
      }),
    (error) =>
      isAPIError(error) && error.body?.code === "INVALID_PASSWORD"
        ? new FieldError("currentPassword", "That is not your current password.")
        : undefined,
  );
  await revokeResetLinks(user.id);
}
