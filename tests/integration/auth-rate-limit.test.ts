import { count, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { authAttempts, users } from "@/lib/db/schema";
import { runValidated } from "@/lib/auth/action";
import { clientIp, recordAuthAttempt, signInLimits, TooManyAttemptsError, type AuthLimit } from "@/lib/auth/rate-limit";
import { signIn, signInSchema, signUpClinic, signUpSchema } from "@/lib/auth/sign-up";
import { form } from "../fixtures/clinic";

const password = "correct-horse-battery";
const minutes = (n: number) => n * 60_000;
/** The one answer to a wrong email or password (lib/auth/sign-up.ts). */
const WRONG_PASSWORD = "That email and password do not match an account.";

const TOO_MANY = /^Too many attempts; try again in \d+ minutes?\.$/;
const minutesLeft = (message?: string) => Number(message?.match(/\d+/)?.[0]);
/** Whole minutes since `start`: with both cores busy, ten password hashes can take over a minute. */
const minutesSince = (start: number) => Math.ceil((Date.now() - start) / 60_000);

/** What the sign-in form's action does: parse the form, then signIn with the request's headers. */
function submitSignIn(email: string, attempt: string, ip = "203.0.113.7") {
  return runValidated(signInSchema, form({ email, password: attempt }), (input) =>
    signIn(input, new Headers({ "x-forwarded-for": `${ip}, 10.0.0.1` })),
  );
}

function submitSignUp(slug: string, ip: string) {
  const values = { clinicName: "Clinic", slug, name: "Owner", email: `${slug}@example.com`, password };
  return runValidated(signUpSchema, form(values), (input) => signUpClinic(input, new Headers({ "x-real-ip": ip })));
}

describe("the limiter itself", { timeout: 120_000 }, () => {
  const limit: AuthLimit = { key: "test:window", max: 3, windowMinutes: 15 };

  it("lets `max` attempts through per window, says when the next one will be, and forgets refused ones", async () => {
    const start = new Date("2026-05-01T10:00:00Z");
    for (const offset of [0, 1, 2]) await recordAuthAttempt([limit], new Date(start.getTime() + minutes(offset)));
    const refused = await recordAuthAttempt([limit], new Date(start.getTime() + minutes(5))).catch((e) => e);
    expect(refused).toBeInstanceOf(TooManyAttemptsError);
    // The first attempt (10:00) leaves the window at 10:15, ten minutes after 10:05.
    expect(refused).toMatchObject({ retryAfterMinutes: 10, message: "Too many attempts; try again in 10 minutes." });
    // Refused attempts are not recorded, so hammering does not prolong the lockout.
    for (let i = 0; i < 5; i++)
      await expect(recordAuthAttempt([limit], new Date(start.getTime() + minutes(6)))).rejects.toThrow(
        TooManyAttemptsError,
      );
    await expect(recordAuthAttempt([limit], new Date(start.getTime() + minutes(15) + 1))).resolves.toMatchObject({
      ids: [expect.any(String)],
    });
  });

  it("lets exactly `max` of a parallel burst through", async () => {
    const burst = { key: "test:burst", max: 5, windowMinutes: 15 };
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => recordAuthAttempt([burst])));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(results.filter((r) => r.status === "rejected").every((r) => r.reason instanceof TooManyAttemptsError)).toBe(
      true,
    );
  });

  it("reads the client address from the first x-forwarded-for entry, else x-real-ip", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": " 198.51.100.1 , 10.0.0.1", "x-real-ip": "10.0.0.2" }))).toBe(
      "198.51.100.1",
    );
    expect(clientIp(new Headers({ "x-real-ip": "198.51.100.2" }))).toBe("198.51.100.2");
    expect(clientIp(new Headers())).toBeNull();
  });
});

// Each sign-in and sign-up hashes a password (scrypt): tens of them take minutes with both
// cores busy, so these tests get that much headroom.
describe("sign-in", { timeout: 240_000 }, () => {
  it("refuses an email after 10 failures in 15 minutes, even with the right password, saying nothing about the account", async () => {
    const started = Date.now();
    await signUpClinic({
      clinicName: "Locked",
      slug: "locked-clinic",
      name: "Lee",
      email: "lee@example.com",
      password,
    });
    for (let i = 0; i < 10; i++) {
      const state = await submitSignIn("lee@example.com", `wrong-password-${i}`, `198.51.100.${i}`);
      expect(state.fieldErrors?.password).toEqual(["That email and password do not match an account."]);
    }
    const locked = await submitSignIn("LEE@example.com", password, "198.51.100.99");
    expect(locked).toMatchObject({ status: "error", message: expect.stringMatching(TOO_MANY) });
    expect(minutesLeft(locked.message)).toBeLessThanOrEqual(15);
    expect(minutesLeft(locked.message)).toBeGreaterThanOrEqual(15 - minutesSince(started));
    expect(locked.fieldErrors).toBeUndefined();

    // An email with no account is limited the same way and gets the same answer (the
    // minutes left count from its own first failure).
    for (let i = 0; i < 10; i++) await submitSignIn("nobody@example.com", `wrong-password-${i}`, `198.51.100.${i}`);
    const unknown = await submitSignIn("nobody@example.com", password, "198.51.100.99");
    const withoutMinutes = (state: typeof locked) => ({ ...state, message: state.message?.replace(/\d+/, "N") });
    expect(withoutMinutes(unknown)).toEqual({ ...withoutMinutes(locked), values: { email: "nobody@example.com" } });
  });

  it("clears the email's failures on a correct password, and records successes nowhere", async () => {
    await signUpClinic({ clinicName: "Forgetful", slug: "forgetful", name: "Fay", email: "fay@example.com", password });
    for (let i = 0; i < 9; i++) await submitSignIn("fay@example.com", `wrong-password-${i}`, "198.51.100.20");
    expect((await submitSignIn("fay@example.com", password, "198.51.100.20")).status).toBe("ok");
    const [emailRows] = await db
      .select({ n: count() })
      .from(authAttempts)
      .where(like(authAttempts.key, "sign-in:email:fay@%"));
    expect(emailRows.n).toBe(0);
    // A fresh allowance: nine more failures, then the right password still works.
    for (let i = 0; i < 9; i++) await submitSignIn("fay@example.com", `wrong-password-${i}`, "198.51.100.20");
    expect((await submitSignIn("fay@example.com", password, "198.51.100.20")).status).toBe("ok");
    const [ipRows] = await db
      .select({ n: count() })
      .from(authAttempts)
      .where(like(authAttempts.key, "sign-in:ip:198.51.100.20"));
    expect(ipRows.n).toBe(18);
  });

  it("refuses a client address after 50 failures in 15 minutes, whatever the email", async () => {
    // 49 failed sign-ins as the form records them (without paying for 49 password hashes), then the 50th for real.
    for (let i = 0; i < 49; i++) await recordAuthAttempt(signInLimits(`spray-${i}@example.com`, "192.0.2.50"));
    expect((await submitSignIn("spray-49@example.com", "wrong-password", "192.0.2.50")).fieldErrors?.password).toEqual([
      WRONG_PASSWORD,
    ]);
    expect(await submitSignIn("spray-new@example.com", "wrong-password", "192.0.2.50")).toMatchObject({
      status: "error",
      message: expect.stringMatching(/^Too many attempts/),
    });
    expect((await submitSignIn("spray-new@example.com", "wrong-password", "192.0.2.51")).fieldErrors?.password).toEqual(
      [WRONG_PASSWORD],
    );
  });
});

describe("sign-up", { timeout: 240_000 }, () => {
  it("allows 10 sign-ups per client address per hour", async () => {
    for (let i = 0; i < 10; i++) expect((await submitSignUp(`bulk-${i}`, "192.0.2.10")).status).toBe("ok");
    const before = await db.select({ n: count() }).from(users);
    const refused = await submitSignUp("bulk-10", "192.0.2.10");
    expect(refused).toMatchObject({
      status: "error",
      message: expect.stringMatching(/^Too many attempts; try again in \d+ minutes?\.$/),
    });
    expect(await db.select({ n: count() }).from(users)).toEqual(before);
    expect((await submitSignUp("bulk-11", "192.0.2.11")).status).toBe("ok");
  });
});
