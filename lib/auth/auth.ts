import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { authSecret, env } from "@/lib/env";
import { markEmailVerified, VERIFY_LINK_HOURS } from "./email-ownership";
import { refuseBadAuthInput } from "./http-input";
import { captureResetToken, RESET_LINK_MINUTES, revokeResetLinks } from "./reset-token";
import { clearAuthFailures, signInEmailKey } from "./rate-limit";

export const MIN_PASSWORD_LENGTH = 10;
/** better-auth's default, named so the forms and their schemas say the same. */
export const MAX_PASSWORD_LENGTH = 128;

function createAuth() {
  return betterAuth({
    appName: "Slotline",
    baseURL: env().APP_URL,
    secret: authSecret(),
    database: drizzleAdapter(db, {
      provider: "pg",
      usePlural: true,
      schema: {
        users: schema.users,
        sessions: schema.sessions,
        accounts: schema.accounts,
        verifications: schema.verifications,
      },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      autoSignIn: true,
      // Reset links (lib/auth/password-reset.ts): made and emailed by the password-reset
      // job, good for an hour and once; a reset ends every session and every other reset
      // link of the account, and forgets its failed sign-ins.
      sendResetPassword: captureResetToken,
      resetPasswordTokenExpiresIn: RESET_LINK_MINUTES * 60,
      revokeSessionsOnPasswordReset: true,
      onPasswordReset: async ({ user }) => {
        await revokeResetLinks(user.id);
        // The link went to this address, so it is the account's own.
        await markEmailVerified(user.id);
        await clearAuthFailures(signInEmailKey(user.email));
      },
    },
    // Confirmation links (lib/auth/email-verification.ts) are made and emailed by the
    // email-verification job, and opened at better-auth's GET /verify-email, which sets
    // emailVerified. Until then no owner email goes to the address (lib/billing/owners.ts).
    emailVerification: { expiresIn: VERIFY_LINK_HOURS * 3600 },
    // Sign-up, sign-in, password resets and changes go through our actions (lib/auth/sign-up.ts,
    // password-reset.ts, account.ts): sign-up creates the clinic and owner membership with the
    // user, and all pass the Postgres-backed rate limit (lib/auth/rate-limit.ts), which the
    // bare HTTP endpoints would bypass.
    disabledPaths: [
      "/sign-up/email",
      "/sign-in/email",
      "/request-password-reset",
      "/reset-password",
      "/change-password",
      // Unlimited and ungated: the dashboard's "send it again" is the way (resendEmailVerification).
      "/send-verification-email",
    ],
    // The same field rules as our forms for better-auth's own HTTP endpoints (lib/auth/http-input.ts).
    hooks: { before: refuseBadAuthInput },
    // nextCookies must stay last: it copies Set-Cookie from auth calls made in server actions.
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
let instance: Auth | undefined;

/**
 * better-auth, built on first use so that importing this module (during `next build`,
 * or from a script that sets DATABASE_URL and APP_URL first) reads the final env.
 */
export function auth(): Auth {
  instance ??= createAuth();
  return instance;
}
