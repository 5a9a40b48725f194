import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { authAttempts, sessions, users } from "@/lib/db/schema";
import { accountNameSchema, changePassword, changePasswordSchema, renameAccount } from "@/lib/auth/account";
import { runValidated } from "@/lib/auth/action";
import { auth } from "@/lib/auth/auth";
import { resetPassword } from "@/lib/auth/password-reset";
import { catchResetToken, ResetLinkError } from "@/lib/auth/reset-token";
import { signInEmailKey, TooManyAttemptsError } from "@/lib/auth/rate-limit";
import { signIn } from "@/lib/auth/sign-up";
import { form, sessionHeaders, signUpOwner } from "../fixtures/clinic";

// A member's own account, below the browser: their name, and a password change that
// checks the current password, counts wrong ones as failed sign-ins, and ends every
// session but the one that made it.

const PASSWORD = "first-password-123";
const NEW_PASSWORD = "second-password-456";
const WRONG_PASSWORD = "That email and password do not match an account.";

const member = (slug: string) => signUpOwner(slug, PASSWORD, "Ada Account");
const signedInHeaders = (email: string, password: string, ip = "198.51.100.7") => sessionHeaders(email, password, ip);

const submitChange = (user: Awaited<ReturnType<typeof member>>, values: Record<string, string>, headers: Headers) =>
  runValidated(changePasswordSchema, form(values), (input) => changePassword(user, input, headers));

describe("your account", { timeout: 120_000 }, () => {
  it("changes the password with the current one; other sessions end, this one goes on", async () => {
    const user = await member("ada");
    const here = await signedInHeaders(user.email, PASSWORD);
    await signedInHeaders(user.email, PASSWORD); // another device (sign-up left a session too)
    const sessionsOf = () => db.select().from(sessions).where(eq(sessions.userId, user.id));
    const failedSignIns = () =>
      db
        .select()
        .from(authAttempts)
        .where(eq(authAttempts.key, signInEmailKey(user.email)));
    const before = await sessionsOf();
    expect(before.length).toBeGreaterThanOrEqual(2);
    // A reset link sent earlier, not used.
    const resetToken = await catchResetToken(() => auth().api.requestPasswordReset({ body: { email: user.email } }));
    expect(resetToken).toBeTruthy();

    const wrong = await submitChange(user, { currentPassword: "not-my-password", newPassword: NEW_PASSWORD }, here);
    expect(wrong).toMatchObject({
      status: "error",
      fieldErrors: { currentPassword: ["That is not your current password."] },
    });
    expect(await failedSignIns()).toHaveLength(1);
    expect(await sessionsOf()).toEqual(before);

    const changed = await submitChange(user, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, here);
    expect(changed.status).toBe("ok");
    // One session is left, and it is new: the one better-auth gave this browser (nextCookies sets it in the action).
    const after = await sessionsOf();
    expect(after).toHaveLength(1);
    expect(before.map((session) => session.token)).not.toContain(after[0].token);
    expect(await failedSignIns()).toEqual([]);
    await expect(signIn({ email: user.email, password: PASSWORD })).rejects.toThrow(WRONG_PASSWORD);
    expect((await signIn({ email: user.email, password: NEW_PASSWORD })).user.id).toBe(user.id);
    // The new password also ended the earlier reset link: it cannot set another.
    await expect(resetPassword({ token: resetToken!, password: "third-password-789" })).rejects.toThrow(ResetLinkError);
    expect((await signIn({ email: user.email, password: NEW_PASSWORD })).user.id).toBe(user.id);
  });

  it("refuses a short new password and a missing current one, and changes nothing", async () => {
    const user = await member("ben");
    const here = await signedInHeaders(user.email, PASSWORD);
    const short = await submitChange(user, { currentPassword: PASSWORD, newPassword: "short" }, here);
    expect(short).toMatchObject({ status: "error", fieldErrors: { newPassword: ["Use at least 10 characters"] } });
    const missing = await submitChange(user, { newPassword: NEW_PASSWORD }, here);
    expect(missing.fieldErrors?.currentPassword).toEqual(["Enter your current password"]);
    expect((await signIn({ email: user.email, password: PASSWORD })).user.id).toBe(user.id);
  });

  it("stops guessing the current password from an open session at the sign-in limit", async () => {
    const user = await member("cal");
    const here = await signedInHeaders(user.email, PASSWORD, "198.51.100.8");
    for (let i = 0; i < 10; i++)
      expect(
        (await submitChange(user, { currentPassword: `guess-${i}-guess`, newPassword: NEW_PASSWORD }, here)).status,
      ).toBe("error");
    const refused = await submitChange(user, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, here);
    expect(refused.message).toMatch(/^Too many attempts; try again in \d+ minutes?\.$/);
    // The same limit as signing in: the right password is refused too, until the window passes.
    await expect(signIn({ email: user.email, password: PASSWORD })).rejects.toThrow(TooManyAttemptsError);
  });

  it("renames the account; a blank or over-long name is refused and changes nothing", async () => {
    const user = await member("dee");
    const saved = await runValidated(accountNameSchema, form({ name: "  Dee Account " }), (input) =>
      renameAccount(user, input),
    );
    expect(saved.status).toBe("ok");
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row.name).toBe("Dee Account");
    for (const name of [" ", "x".repeat(101)]) {
      const refused = await runValidated(accountNameSchema, form({ name }), (input) => renameAccount(user, input));
      expect(refused.status).toBe("error");
    }
    expect((await db.select().from(users).where(eq(users.id, user.id)))[0].name).toBe("Dee Account");
  });
});
