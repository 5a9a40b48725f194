import { and, eq, like, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { authAttempts, emailOutbox, jobEvents, jobRuns, sessions, verifications } from "@/lib/db/schema";
import { runValidated } from "@/lib/auth/action";
import { requestPasswordReset, resetPassword, resetPasswordSchema } from "@/lib/auth/password-reset";
import { ResetLinkError } from "@/lib/auth/reset-token";
import { signInEmailKey, TooManyAttemptsError } from "@/lib/auth/rate-limit";
import { signIn } from "@/lib/auth/sign-up";
import { env } from "@/lib/env";
import { drain } from "@/lib/jobs/postgres/drain";
import { form, signUpOwner } from "../fixtures/clinic";

// A forgotten password, below the browser: the request and its event, the job's email
// with a one-time link, the new password, and every way a request or a link is refused.

const OLD_PASSWORD = "old-password-1234";
const NEW_PASSWORD = "new-password-5678";
const WRONG_PASSWORD = "That email and password do not match an account.";

const owner = (slug: string) => signUpOwner(slug, OLD_PASSWORD, "Rita Reset");

const headersFrom = (ip: string) => new Headers({ "x-forwarded-for": ip });
const resetEmailsTo = (email: string) =>
  db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.recipient, email), like(emailOutbox.idempotencyKey, "password-reset:%")));
const eventsFor = (userId: string) =>
  db
    .select()
    .from(jobEvents)
    .where(and(eq(jobEvents.name, "auth/password-reset.requested"), sql`${jobEvents.data}->>'userId' = ${userId}`));

/** The tokens in the reset emails to `email`, after the jobs ran. */
async function tokensEmailedTo(email: string) {
  expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
  return (await resetEmailsTo(email)).map((sent) => {
    const link = new RegExp(`${env().APP_URL}/reset-password\\?token=([\\w-]+)`).exec(sent.text);
    if (!link) throw new Error(`no reset link in:\n${sent.text}`);
    expect(sent.html).toContain(`href="${link[0]}"`);
    return link[1];
  });
}

/** The token in the only reset email to `email`, after the job ran. */
async function tokenEmailedTo(email: string) {
  const tokens = await tokensEmailedTo(email);
  expect(tokens).toHaveLength(1);
  return tokens[0];
}

describe("a forgotten password", { timeout: 120_000 }, () => {
  it("emails a one-time link through the password-reset job; the new password works and every session ends", async () => {
    const user = await owner("rita");
    const session = await signIn({ email: user.email, password: OLD_PASSWORD });
    expect(session.token).toBeTruthy();
    // Three wrong passwords before remembering there is a reset.
    for (let i = 0; i < 3; i++)
      await expect(signIn({ email: user.email, password: "not-it-at-all" })).rejects.toThrow();

    const { email, eventId } = await requestPasswordReset({ email: user.email }, headersFrom("198.51.100.1"));
    expect(email).toBe(user.email);
    const runs = await db.select().from(jobRuns).where(eq(jobRuns.eventId, eventId!));
    expect(runs.map((run) => run.jobId)).toEqual(["password-reset"]);
    // The request made no token: the job does, in the step that emails it.
    expect(await db.select().from(verifications)).toEqual([]);

    const token = await tokenEmailedTo(user.email);
    // The token is in the email and in better-auth's verifications, nowhere in the job tables.
    const jobTables = await db.execute(sql`
      select (select json_agg(r) from job_runs r)::text as runs, (select json_agg(s) from job_steps s)::text as steps,
             (select json_agg(e) from job_events e)::text as events
    `);
    expect(JSON.stringify(jobTables)).not.toContain(token);

    const state = await runValidated(resetPasswordSchema, form({ token, password: NEW_PASSWORD }), resetPassword);
    expect(state.status).toBe("ok");
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    // The failed sign-ins are forgotten with the old password.
    expect(
      await db
        .select()
        .from(authAttempts)
        .where(eq(authAttempts.key, signInEmailKey(user.email))),
    ).toEqual([]);
    await expect(signIn({ email: user.email, password: OLD_PASSWORD })).rejects.toThrow(WRONG_PASSWORD);
    expect((await signIn({ email: user.email, password: NEW_PASSWORD })).user.id).toBe(user.id);

    // The link works once.
    const again = await runValidated(
      resetPasswordSchema,
      form({ token, password: "third-password-999" }),
      resetPassword,
    );
    expect(again).toMatchObject({ status: "error", message: new ResetLinkError().message });
    expect((await signIn({ email: user.email, password: NEW_PASSWORD })).user.id).toBe(user.id);
  });

  it("ends the other links the account was sent, and only that account's", async () => {
    const user = await owner("rosa");
    const other = await owner("reza");
    await requestPasswordReset({ email: user.email }, headersFrom("198.51.100.4"));
    await requestPasswordReset({ email: user.email }, headersFrom("198.51.100.4"));
    await requestPasswordReset({ email: other.email }, headersFrom("198.51.100.4"));
    const [first, second] = await tokensEmailedTo(user.email);
    expect(second).toBeDefined();
    const othersToken = await tokenEmailedTo(other.email);

    await resetPassword({ token: first, password: NEW_PASSWORD });
    // The second email's link, still within its hour, can no longer set a password.
    await expect(resetPassword({ token: second, password: "third-password-999" })).rejects.toThrow(ResetLinkError);
    expect((await signIn({ email: user.email, password: NEW_PASSWORD })).user.id).toBe(user.id);
    await resetPassword({ token: othersToken, password: NEW_PASSWORD });
    expect((await signIn({ email: other.email, password: NEW_PASSWORD })).user.id).toBe(other.id);
  });

  it("answers the same for an address without an account, and writes no event", async () => {
    const eventsBefore = await db.select({ id: jobEvents.id }).from(jobEvents);
    const result = await requestPasswordReset({ email: "nobody-here@example.com" }, headersFrom("198.51.100.2"));
    expect(result).toEqual({ email: "nobody-here@example.com", eventId: null });
    expect(await db.select({ id: jobEvents.id }).from(jobEvents)).toEqual(eventsBefore);
    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ processed: 0 });
    expect(await resetEmailsTo("nobody-here@example.com")).toEqual([]);
  });

  it("refuses a short password, an expired link and a made-up one, and changes nothing", async () => {
    const user = await owner("rory");
    await requestPasswordReset({ email: user.email }, headersFrom("198.51.100.3"));
    const token = await tokenEmailedTo(user.email);

    const short = await runValidated(resetPasswordSchema, form({ token, password: "short" }), resetPassword);
    expect(short).toMatchObject({ status: "error", fieldErrors: { password: ["Use at least 10 characters"] } });
    const made = await runValidated(
      resetPasswordSchema,
      form({ token: "made-up", password: NEW_PASSWORD }),
      resetPassword,
    );
    expect(made).toMatchObject({ status: "error", message: new ResetLinkError().message });
    const missing = await runValidated(resetPasswordSchema, form({ password: NEW_PASSWORD }), resetPassword);
    expect(missing.fieldErrors?.token?.[0]).toMatch(/open the link from the email again/);
    const damaged = await runValidated(
      resetPasswordSchema,
      form({ token: `${token}\u0000`, password: NEW_PASSWORD }),
      resetPassword,
    );
    expect(damaged.fieldErrors?.token?.[0]).toMatch(/incomplete or damaged/);

    await db.update(verifications).set({ expiresAt: sql`now() - interval '1 second'` });
    await expect(resetPassword({ token, password: NEW_PASSWORD })).rejects.toThrow(ResetLinkError);
    expect((await signIn({ email: user.email, password: OLD_PASSWORD })).user.id).toBe(user.id);
  });

  it("limits requests per address and per client, counting addresses without an account alike", async () => {
    const user = await owner("ruth");
    for (let i = 0; i < 3; i++) await requestPasswordReset({ email: user.email }, headersFrom(`198.51.100.${10 + i}`));
    const eventsBefore = (await eventsFor(user.id)).length;
    expect(eventsBefore).toBe(3);
    const refused = await requestPasswordReset({ email: user.email }, headersFrom("198.51.100.20")).catch((e) => e);
    expect(refused).toBeInstanceOf(TooManyAttemptsError);
    expect(await eventsFor(user.id)).toHaveLength(eventsBefore);

    // One client asking for ten different addresses, most without an account, is stopped too.
    const ip = headersFrom("203.0.113.50");
    for (let i = 0; i < 10; i++) await requestPasswordReset({ email: `probe-${i}@example.com` }, ip);
    await expect(requestPasswordReset({ email: "probe-10@example.com" }, ip)).rejects.toThrow(TooManyAttemptsError);
  });
});
