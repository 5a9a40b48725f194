import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { authSecret, env } from "@/lib/env";

export const MIN_PASSWORD_LENGTH = 10;

function createAuth() {
  return betterAuth({
    appName: "Slotline",
    baseURL: env().APP_URL,
    secret: authSecret(),
    database: drizzleAdapter(db, {
      provider: "pg",
      usePlural: true,
      schema: { users: schema.users, sessions: schema.sessions, accounts: schema.accounts, verifications: schema.verifications },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, autoSignIn: true },
    // Sign-up goes through our action (lib/auth/sign-up.ts), which creates the clinic and
    // the owner membership with the user; the bare HTTP endpoint would make clinic-less users.
    disabledPaths: ["/sign-up/email"],
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
