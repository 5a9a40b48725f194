import fs from "node:fs";
import path from "node:path";
import { and, eq, like, sql } from "drizzle-orm";
import { createEmailVerificationToken } from "better-auth/api";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { emailOutbox, jobEvents, jobRuns, users } from "@/lib/db/schema";
import { auth } from "@/lib/auth/auth";
import { isEmailVerified } from "@/lib/auth/email-ownership";
import { resendEmailVerification, sendVerificationLink } from "@/lib/auth/email-verification";
import { requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { TooManyAttemptsError } from "@/lib/auth/rate-limit";
import { signUpClinic, signUpInvited } from "@/lib/auth/sign-up";
import { listClinicOwners } from "@/lib/billing/owners";
import { authSecret, env } from "@/lib/env";
import { drain } from "@/lib/jobs/postgres/drain";
import { createInvitationToken } from "@/lib/team/invitation-token";
import { inviteMember } from "@/lib/team/invitations";
import { createClinic, createMember } from "../fixtures/clinic";

// Confirming an account's address: the link sign-up has emailed, what opening it does,
// links that are refused, "send it again", the two other emails that prove an address
// (an invitation's and a reset's), and the owner emails that wait for it.

const PASSWORD = "confirm-password-1234";

const signUp = (slug: string, email = `${slug}@example.com`) =>
  signUpClinic({ clinicName: `Clinic ${slug}`, slug, name: `Owner ${slug}`, email, password: PASSWORD });

const userByEmail = async (email: string) => (await db.select().from(users).where(eq(users.email, email)))[0];

const confirmationEmailsTo = (email: string) =>
  db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.recipient, email), like(emailOutbox.idempotencyKey, "email-verification:%")));

/** The links in the confirmation emails to `email`, after the jobs ran. */
async function linksEmailedTo(email: string): Promise<string[]> {
  expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
  return (await confirmationEmailsTo(email)).map((sent) => {
    const link = new RegExp(`${env().APP_URL}/api/auth/verify-email\\?token=[\\w.-]+&callbackURL=[\\w%.-]+`).exec(
      sent.text,
    );
    if (!link) throw new Error(`no confirmation link in:\n${sent.text}`);
    expect(sent.html).toContain(`href="${link[0].replaceAll("&", "&amp;")}"`);
    return link[0];
  });
}

/** Opens `url` as a browser would (better-auth's GET /verify-email); returns where it redirects. */
async function open(url: string): Promise<URL> {
  const response = await auth().handler(new Request(url));
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location")!, env().APP_URL);
}

function linkFor(payload: { email: string; userId: string }, expiresInSeconds = 3600) {
  return createEmailVerificationToken(authSecret(), payload.email, undefined, expiresInSeconds, {
    userId: payload.userId,
  }).then((token) => {
    const url = new URL("/api/auth/verify-email", env().APP_URL);
    url.searchParams.set("token", token);
    url.searchParams.set("callbackURL", `/verify-email?account=${payload.userId}`);
    return url.toString();
  });
}

describe("confirming an account's email address", { timeout: 120_000 }, () => {
  it("emails a link at sign-up through the email-verification job; opening it confirms the address", async () => {
    const { clinic, verificationEventId } = await signUp("cora");
    const owner = await userByEmail("cora@example.com");
    expect(owner.emailVerified).toBe(false);
    const runs = await db.select().from(jobRuns).where(eq(jobRuns.eventId, verificationEventId));
    expect(runs.map((run) => run.jobId)).toEqual(["email-verification"]);
    // Until then the clinic's owner emails go to no one.
    expect(await listClinicOwners(clinic.id)).toEqual([]);

    const [link] = await linksEmailedTo(owner.email);
    expect(await linksEmailedTo(owner.email)).toHaveLength(1);
    // The link is in the email only, nowhere in the job tables.
    const token = new URL(link).searchParams.get("token")!;
    const jobTables = await db.execute(sql`
      select (select json_agg(r) from job_runs r)::text as runs, (select json_agg(s) from job_steps s)::text as steps,
             (select json_agg(e) from job_events e)::text as events
    `);
    expect(JSON.stringify(jobTables)).not.toContain(token);

    const landing = await open(link);
    expect(`${landing.pathname}${landing.search}`).toBe(`/verify-email?account=${owner.id}`);
    expect(await isEmailVerified(owner.id)).toBe(true);
    expect(await listClinicOwners(clinic.id)).toEqual([{ userId: owner.id, name: owner.name, email: owner.email }]);
    // Opened again, it changes nothing and lands in the same place.
    expect((await open(link)).searchParams.get("error")).toBeNull();
  });

  it("refuses an expired link, a damaged one and one made for another account, and confirms nothing", async () => {
    await signUp("dara");
    await signUp("eli");
    const dara = await userByEmail("dara@example.com");
    const eli = await userByEmail("eli@example.com");

    const expired = await open(await linkFor({ email: dara.email, userId: dara.id }, -60));
    expect(expired.pathname).toBe("/verify-email");
    expect(expired.searchParams.get("error")).toBe("TOKEN_EXPIRED");

    const real = new URL(await linkFor({ email: dara.email, userId: dara.id }));
    real.searchParams.set("token", `${real.searchParams.get("token")!.slice(0, -4)}AAAA`);
    expect((await open(real.toString())).searchParams.get("error")).toBe("INVALID_TOKEN");

    // Signed with the right secret, but Dara's address on Eli's account.
    const crossed = await open(await linkFor({ email: dara.email, userId: eli.id }));
    expect(crossed.searchParams.get("error")).toBe("INVALID_TOKEN");

    expect(await isEmailVerified(dara.id)).toBe(false);
    expect(await isEmailVerified(eli.id)).toBe(false);
  });

  it("sends the link again a few times an hour, and not at all once the address is confirmed", async () => {
    await signUp("fern");
    const fern = await userByEmail("fern@example.com");
    const requested = () =>
      db
        .select()
        .from(jobEvents)
        .where(
          and(eq(jobEvents.name, "auth/email-verification.requested"), sql`${jobEvents.data}->>'userId' = ${fern.id}`),
        );
    for (let i = 0; i < 3; i++) expect(await resendEmailVerification(fern.id)).toEqual(expect.any(String));
    const refused = await resendEmailVerification(fern.id).catch((error) => error);
    expect(refused).toBeInstanceOf(TooManyAttemptsError);
    expect(refused.message).toMatch(/^Too many confirmation emails; try again in \d+ minutes?\.$/);
    // Sign-up's own request and the three resends: the refusal wrote none.
    expect(await requested()).toHaveLength(4);
    const links = await linksEmailedTo(fern.email);
    expect(links).toHaveLength(4);

    await open(links[2]);
    expect(await isEmailVerified(fern.id)).toBe(true);
    await db.execute(sql`delete from auth_attempts`);
    expect(await resendEmailVerification(fern.id)).toBeNull();
    expect(await requested()).toHaveLength(4);
    // A run still queued from before the confirmation sends nothing.
    expect(await sendVerificationLink(fern.id, "a-request")).toBeNull();
    expect(await sendVerificationLink("no-such-user", "a-request")).toBeNull();
  });

  it("takes an invitation's link and a password reset's as proof of the address", async () => {
    const { clinic } = await createClinic();
    const owner = await createMember(clinic, "owner");
    const { invitation } = await inviteMember(owner, { email: "ines@example.com", role: "staff" });
    const invited = await signUpInvited({
      token: createInvitationToken(invitation.id),
      name: "Ines",
      email: "ines@example.com",
      password: PASSWORD,
    });
    expect(await isEmailVerified(invited.id)).toBe(true);

    await signUp("gus");
    const gus = await userByEmail("gus@example.com");
    await requestPasswordReset({ email: gus.email });
    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    const [reset] = await db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.recipient, gus.email), like(emailOutbox.idempotencyKey, "password-reset:%")));
    const token = /reset-password\?token=([\w-]+)/.exec(reset.text)![1];
    expect(await isEmailVerified(gus.id)).toBe(false);
    await resetPassword({ token, password: "another-password-5678" });
    expect(await isEmailVerified(gus.id)).toBe(true);
  });

  it("sends a clinic's owner emails to its confirmed owners only", async () => {
    const { clinic } = await createClinic();
    const confirmed = await createMember(clinic, "owner");
    await createMember(clinic, "owner", { verified: false });
    await createMember(clinic, "admin");
    expect(await listClinicOwners(clinic.id)).toEqual([
      { userId: confirmed.user.id, name: confirmed.user.name, email: confirmed.user.email },
    ]);
  });

  // Last: it confirms every account of this file's database.
  it("confirms the accounts made before confirmation existed (migration 0024), so their owners keep their emails", async () => {
    const { clinic } = await createClinic();
    const earlier = await createMember(clinic, "owner", { verified: false });
    expect(await listClinicOwners(clinic.id)).toEqual([]);
    const migration = fs.readFileSync(
      path.resolve(import.meta.dirname, "../../drizzle/0024_existing_users_confirmed.sql"),
      "utf8",
    );
    await db.execute(sql.raw(migration));
    expect(await isEmailVerified(earlier.user.id)).toBe(true);
    expect(await listClinicOwners(clinic.id)).toHaveLength(1);
  });
});
