import { and, eq, like, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { authAttempts, emailOutbox, jobEvents, sessions, users, verifications } from "@/lib/db/schema";
import { runValidated } from "@/lib/auth/action";
import {
  changeEmailSchema,
  confirmEmailChange,
  confirmEmailChangeSchema,
  findEmailChange,
  findEmailChangeToUndo,
  requestEmailChange,
  undoEmailChange,
  undoEmailChangeSchema,
} from "@/lib/auth/email-change";
import { EmailChangeLinkError } from "@/lib/auth/email-change-error";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { TooManyAttemptsError } from "@/lib/auth/rate-limit";
import { signIn } from "@/lib/auth/sign-up";
import { env } from "@/lib/env";
import { drain } from "@/lib/jobs/postgres/drain";
import { form, sessionHeaders, signUpOwner } from "../fixtures/clinic";

// Moving an account to a new sign-in address: the request (password, address, limits),
// the link the email-change job emails to the new address, and the one click that moves
// the account, confirmed; every refusal changes nothing.

const PASSWORD = "change-password-1234";

async function owner(slug: string) {
  const user = await signUpOwner(slug, PASSWORD, `Owner ${slug}`);
  return { user, headers: await sessionHeaders(user.email, PASSWORD) };
}

const userById = async (id: string) => (await db.select().from(users).where(eq(users.id, id)))[0];
const request = (who: Awaited<ReturnType<typeof owner>>, values: Record<string, string>) =>
  runValidated(changeEmailSchema, form(values), (input) => requestEmailChange(who.user, input, who.headers));

/** The emails to `address` whose idempotency key starts with `keyPrefix`, after the jobs ran. */
async function emailsTo(address: string, keyPrefix: string) {
  expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
  return db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.recipient, address), like(emailOutbox.idempotencyKey, `${keyPrefix}%`)));
}

/** The tokens in the email-change emails to `address`, after the jobs ran. */
async function tokensEmailedTo(address: string): Promise<string[]> {
  const sent = await emailsTo(address, "email-change:");
  return sent.map((email) => {
    const link = new RegExp(`${env().APP_URL}/confirm-email-change\\?token=([\\w-]+)`).exec(email.text);
    if (!link) throw new Error(`no link in:\n${email.text}`);
    expect(email.html).toContain(`href="${link[0]}"`);
    return link[1];
  });
}

const confirm = (token: string) => runValidated(confirmEmailChangeSchema, form({ token }), confirmEmailChange);

const changedEvents = (userId: string) =>
  db
    .select({ id: jobEvents.id, data: jobEvents.data })
    .from(jobEvents)
    .where(and(eq(jobEvents.name, "auth/email-changed"), sql`${jobEvents.data}->>'userId' = ${userId}`));

/** The notices of a change sent to `address`, after the jobs ran. */
const noticesTo = (address: string) => emailsTo(address, "email-changed:");

describe("moving an account to a new email address", { timeout: 120_000 }, () => {
  it("emails a link to the new address; opening it moves the account there, confirmed, once", async () => {
    const ada = await owner("ada");
    const state = await request(ada, { email: " Ada.New@Example.com ", currentPassword: PASSWORD });
    expect(state).toMatchObject({ status: "ok", data: { email: "ada.new@example.com" } });
    // Nothing moved yet.
    expect((await userById(ada.user.id)).email).toBe("ada@example.com");

    const [token] = await tokensEmailedTo("ada.new@example.com");
    // The link is in the email only: the table keeps a digest, the job tables nothing.
    const stored = await db.execute(sql`
      select (select json_agg(v) from verifications v)::text as verifications,
             (select json_agg(s) from job_steps s)::text as steps, (select json_agg(r) from job_runs r)::text as runs
    `);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await findEmailChange(token)).toEqual({
      userId: ada.user.id,
      from: "ada@example.com",
      to: "ada.new@example.com",
    });

    const confirmed = await confirm(token);
    expect(confirmed).toMatchObject({
      status: "ok",
      data: { email: "ada.new@example.com", eventId: expect.any(String) },
    });
    expect(await userById(ada.user.id)).toMatchObject({ email: "ada.new@example.com", emailVerified: true });
    await expect(signIn({ email: "ada.new@example.com", password: PASSWORD })).resolves.toBeTruthy();
    await expect(signIn({ email: "ada@example.com", password: PASSWORD })).rejects.toThrow();

    // The address the account left is told, once, by the event committed with the change.
    expect(await changedEvents(ada.user.id)).toEqual([
      {
        id: confirmed.data?.eventId,
        data: { userId: ada.user.id, previousEmail: "ada@example.com", newEmail: "ada.new@example.com" },
      },
    ]);
    const [notice, ...others] = await noticesTo("ada@example.com");
    expect(others).toEqual([]);
    expect(notice).toMatchObject({
      subject: "Your Slotline sign-in address changed",
      idempotencyKey: `email-changed:${ada.user.id}:${confirmed.data?.eventId}`,
    });
    expect(notice.text).toContain("your Slotline account signs in with ada.new@example.com from now on");
    expect(await noticesTo("ada.new@example.com")).toEqual([]);

    // Once only.
    expect(await confirm(token)).toMatchObject({ status: "error", message: expect.stringContaining("expired") });
    expect(await findEmailChange(token)).toBeNull();
    expect(await changedEvents(ada.user.id)).toHaveLength(1);
  });

  it("refuses a wrong password, its own address, a taken one and too many requests, and writes no event", async () => {
    const bea = await owner("bea");
    await owner("cal");
    const events = () => db.select().from(jobEvents).where(eq(jobEvents.name, "auth/email-change.requested"));
    const before = (await events()).length;

    expect(await request(bea, { email: "bea.new@example.com", currentPassword: "not-my-password" })).toMatchObject({
      status: "error",
      fieldErrors: { currentPassword: ["That is not your password."] },
    });
    // The wrong password counts as a failed sign-in of the account.
    expect(await db.select().from(authAttempts).where(like(authAttempts.key, "sign-in:email:bea@%"))).toHaveLength(1);
    expect(await request(bea, { email: "BEA@example.com", currentPassword: PASSWORD })).toMatchObject({
      fieldErrors: { email: ["That is already your email address."] },
    });
    expect(await request(bea, { email: "cal@example.com", currentPassword: PASSWORD })).toMatchObject({
      fieldErrors: { email: ["Another account uses this address."] },
    });
    expect(await request(bea, { email: "not an address", currentPassword: PASSWORD })).toMatchObject({
      status: "error",
      fieldErrors: { email: [expect.any(String)] },
    });
    expect(await events()).toHaveLength(before);

    for (let i = 0; i < 3; i++)
      expect(await request(bea, { email: `bea.${i}@example.com`, currentPassword: PASSWORD })).toMatchObject({
        status: "ok",
      });
    const refused = await request(bea, { email: "bea.3@example.com", currentPassword: PASSWORD });
    expect(refused.message).toMatch(/^Too many address changes; try again in \d+ minutes?\.$/);
    expect(await events()).toHaveLength(before + 3);
    await expect(
      requestEmailChange(bea.user, { email: "bea.4@example.com", currentPassword: PASSWORD }, bea.headers),
    ).rejects.toBeInstanceOf(TooManyAttemptsError);
  });

  it("changes nothing when the address moved since the link was sent, or another account took the new one", async () => {
    const dan = await owner("dan");
    await request(dan, { email: "dan.one@example.com", currentPassword: PASSWORD });
    await request(dan, { email: "dan.two@example.com", currentPassword: PASSWORD });
    const [one] = await tokensEmailedTo("dan.one@example.com");
    const [two] = await tokensEmailedTo("dan.two@example.com");
    expect(await confirm(two)).toMatchObject({ status: "ok" });
    // The account's other link is void now.
    expect(await findEmailChange(one)).toBeNull();
    expect(await confirm(one)).toMatchObject({ status: "error", message: expect.stringContaining("expired") });
    expect((await userById(dan.user.id)).email).toBe("dan.two@example.com");

    const eve = await owner("eve");
    await request(eve, { email: "taken.later@example.com", currentPassword: PASSWORD });
    const [token] = await tokensEmailedTo("taken.later@example.com");
    await signUpOwner("taken.later", PASSWORD); // taken.later@example.com
    const taken = await confirmEmailChange({ token }).catch((error) => error);
    expect(taken).toBeInstanceOf(EmailChangeLinkError);
    expect(taken.message).toBe("Another account uses taken.later@example.com now; nothing was changed.");
    expect((await userById(eve.user.id)).email).toBe("eve@example.com");

    // An address moved by other means (an operator's SQL, say) since the link was sent.
    const fay = await owner("fay");
    await request(fay, { email: "fay.new@example.com", currentPassword: PASSWORD });
    const [fayToken] = await tokensEmailedTo("fay.new@example.com");
    await db.update(users).set({ email: "fay.moved@example.com" }).where(eq(users.id, fay.user.id));
    expect(await confirm(fayToken)).toMatchObject({
      status: "error",
      message: "Your email address changed since this link was sent; nothing was changed.",
    });
    expect((await userById(fay.user.id)).email).toBe("fay.moved@example.com");

    // A token the table never had, and a damaged one.
    expect(await confirm("A".repeat(43))).toMatchObject({
      status: "error",
      message: expect.stringContaining("expired"),
    });
    expect(await confirm("short")).toMatchObject({ status: "error", fieldErrors: { token: [expect.any(String)] } });
    // Eve's link survived both refusals: usable once the other account lets the address go.
    expect(await findEmailChange(token)).toMatchObject({ userId: eve.user.id, to: "taken.later@example.com" });
    // No refusal told anyone of a change.
    for (const who of [eve, fay]) expect(await changedEvents(who.user.id)).toEqual([]);
    expect(await noticesTo("eve@example.com")).toEqual([]);
  });
});

/**
 * Moves `who` to `address` as its owner (or anyone with the password) would: signed in
 * afresh (an undo ends every session), request, link, confirm.
 */
async function moveTo(who: Awaited<ReturnType<typeof owner>>, address: string) {
  const { email } = await userById(who.user.id);
  const fresh = { user: { ...who.user, email }, headers: await sessionHeaders(email, PASSWORD) };
  expect(await request(fresh, { email: address, currentPassword: PASSWORD })).toMatchObject({ status: "ok" });
  const tokens = await tokensEmailedTo(address);
  expect(await confirm(tokens[tokens.length - 1])).toMatchObject({ status: "ok" });
}

/** The undo link's token in the latest change notice to `address`, after the jobs ran. */
async function undoTokenSentTo(address: string): Promise<string> {
  const notices = await noticesTo(address);
  const latest = notices.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1);
  const link = new RegExp(`${env().APP_URL}/undo-email-change\\?token=([\\w-]+)`).exec(latest?.text ?? "");
  if (!latest || !link) throw new Error(`no undo link to ${address}`);
  expect(latest.html).toContain(`href="${link[0]}"`);
  return link[1];
}

/** `slug`'s account moved twice (to slug.one, then slug.two), and the undo tokens of both changes. */
async function movedTwice(slug: string) {
  const who = await owner(slug);
  await moveTo(who, `${slug}.one@example.com`);
  const first = await undoTokenSentTo(`${slug}@example.com`);
  await moveTo(who, `${slug}.two@example.com`);
  return { who, first, second: await undoTokenSentTo(`${slug}.one@example.com`) };
}

const undo = (token: string) => runValidated(undoEmailChangeSchema, form({ token }), undoEmailChange);
const sessionsOf = (userId: string) => db.select().from(sessions).where(eq(sessions.userId, userId));
const resetLinksOf = (userId: string) =>
  db
    .select()
    .from(verifications)
    .where(and(like(verifications.identifier, "reset-password:%"), eq(verifications.value, userId)));
const resetEmailsTo = (address: string) => emailsTo(address, "password-reset:");

describe("giving an account back to the address a change took it from", { timeout: 120_000 }, () => {
  it("moves it back, confirmed, signs it out everywhere, voids reset links and sends a new one, once", async () => {
    const gil = await owner("gil");
    // Someone with Gil's password moves the account to their address, signs in there and asks for a reset link.
    await moveTo(gil, "thief@example.com");
    await sessionHeaders("thief@example.com", PASSWORD);
    await requestPasswordReset({ email: "thief@example.com" });
    expect(await resetEmailsTo("thief@example.com")).toHaveLength(1);
    expect(await resetLinksOf(gil.user.id)).toHaveLength(1);
    expect((await sessionsOf(gil.user.id)).length).toBeGreaterThanOrEqual(2);

    const token = await undoTokenSentTo("gil@example.com");
    expect(await findEmailChangeToUndo(token)).toEqual({
      userId: gil.user.id,
      from: "gil@example.com",
      to: "thief@example.com",
      changedAt: expect.any(String),
    });
    // The link is in the email only, and works for 7 days.
    const stored = await db.execute(sql`select (select json_agg(v) from verifications v)::text as verifications`);
    expect(JSON.stringify(stored)).not.toContain(token);
    const [{ days }] = (await db.execute(sql`
      select extract(epoch from expires_at - now()) / 86400 as days from verifications
      where identifier like 'undo-email-change:%' and value::jsonb->>'userId' = ${gil.user.id}
    `)) as unknown as { days: number }[];
    expect(Number(days)).toBeGreaterThan(6.99);
    expect(Number(days)).toBeLessThanOrEqual(7);

    const done = await undo(token);
    expect(done).toMatchObject({ status: "ok", data: { email: "gil@example.com", eventId: expect.any(String) } });
    expect(await userById(gil.user.id)).toMatchObject({ email: "gil@example.com", emailVerified: true });
    expect(await sessionsOf(gil.user.id)).toEqual([]);
    expect(await resetLinksOf(gil.user.id)).toEqual([]);
    // A link to set a new password goes to the address given back, not the other.
    expect(await resetEmailsTo("gil@example.com")).toHaveLength(1);
    expect(await resetEmailsTo("thief@example.com")).toHaveLength(1);
    await expect(signIn({ email: "thief@example.com", password: PASSWORD })).rejects.toThrow();

    // Once only, and a used link changes nothing more.
    await sessionHeaders("gil@example.com", PASSWORD);
    expect(await undo(token)).toMatchObject({
      status: "error",
      message: "This link has expired or was already used; nothing was changed.",
    });
    expect(await findEmailChangeToUndo(token)).toBeNull();
    expect(await sessionsOf(gil.user.id)).toHaveLength(1);
    expect(await resetEmailsTo("gil@example.com")).toHaveLength(1);
  });

  it("a later change's link cannot void an earlier one's, and an earlier one voids every later one", async () => {
    // Two accounts: three address changes an hour at most.
    const hal = await movedTwice("hal");
    // The second change's link (at the address the first moved to) gives the account to that address...
    expect(await undo(hal.second)).toMatchObject({ status: "ok", data: { email: "hal.one@example.com" } });
    // ...and the first change's link still works: the account goes back to where it started.
    expect(await findEmailChangeToUndo(hal.first)).toMatchObject({ from: "hal@example.com" });
    expect(await undo(hal.first)).toMatchObject({ status: "ok", data: { email: "hal@example.com" } });

    // The other order.
    const jon = await movedTwice("jon");
    expect(await undo(jon.first)).toMatchObject({ status: "ok", data: { email: "jon@example.com" } });
    expect(await findEmailChangeToUndo(jon.second)).toBeNull();
    expect(await undo(jon.second)).toMatchObject({ status: "error", message: expect.stringContaining("already used") });
    expect((await userById(jon.who.user.id)).email).toBe("jon@example.com");
  });

  it("changes nothing when another account took the address, the link expired or is unknown or damaged, or the account is gone", async () => {
    const ivy = await owner("ivy");
    await moveTo(ivy, "ivy.new@example.com");
    const token = await undoTokenSentTo("ivy@example.com");
    const other = await signUpOwner("ivy-other", PASSWORD);
    await db.update(users).set({ email: "ivy@example.com" }).where(eq(users.id, other.id));
    const sessionsBefore = (await sessionsOf(ivy.user.id)).length;
    const resetEvents = () =>
      db
        .select()
        .from(jobEvents)
        .where(
          and(eq(jobEvents.name, "auth/password-reset.requested"), sql`${jobEvents.data}->>'userId' = ${ivy.user.id}`),
        );

    expect(await undo(token)).toMatchObject({
      status: "error",
      message: "Another account uses ivy@example.com now; nothing was changed.",
    });
    expect((await userById(ivy.user.id)).email).toBe("ivy.new@example.com");
    expect(await sessionsOf(ivy.user.id)).toHaveLength(sessionsBefore);
    expect(await resetEvents()).toEqual([]);
    // The link survived: usable once the other account lets the address go.
    expect(await findEmailChangeToUndo(token)).toMatchObject({ userId: ivy.user.id });

    // Expired: refused, nothing changed.
    await db.execute(sql`
      update verifications set expires_at = now() - interval '1 second'
      where identifier like 'undo-email-change:%' and value::jsonb->>'userId' = ${ivy.user.id}
    `);
    await db.update(users).set({ email: "ivy.other@example.com" }).where(eq(users.id, other.id));
    expect(await findEmailChangeToUndo(token)).toBeNull();
    expect(await undo(token)).toMatchObject({ status: "error", message: expect.stringContaining("expired") });
    expect((await userById(ivy.user.id)).email).toBe("ivy.new@example.com");

    // An account deleted since its notice: nothing to give back.
    const kim = await owner("kim");
    await moveTo(kim, "kim.new@example.com");
    const kimToken = await undoTokenSentTo("kim@example.com");
    await db.delete(users).where(eq(users.id, kim.user.id));
    expect(await undo(kimToken)).toMatchObject({
      status: "error",
      message: "This account no longer exists; nothing was changed.",
    });
    expect(await findEmailChangeToUndo(kimToken)).toMatchObject({ userId: kim.user.id });

    expect(await undo("A".repeat(43))).toMatchObject({ status: "error", message: expect.stringContaining("expired") });
    expect(await undo("short")).toMatchObject({ status: "error", fieldErrors: { token: [expect.any(String)] } });
    expect(await resetEvents()).toEqual([]);
  });
});
