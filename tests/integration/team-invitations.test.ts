import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { clinics, emailOutbox, invitations, jobEvents, jobRuns, memberships, users } from "@/lib/db/schema";
import { runMemberAction } from "@/lib/auth/action";
import { memberForUser } from "@/lib/auth/member";
import { signUpInvited } from "@/lib/auth/sign-up";
import { createBookingToken } from "@/lib/booking/cancel-token";
import { FieldError, ForbiddenError, NotFoundError } from "@/lib/clinic/errors";
import { env } from "@/lib/env";
import { replayRun } from "@/lib/jobs/postgres/control";
import { drain } from "@/lib/jobs/postgres/drain";
import { InvitationStateError } from "@/lib/team/errors";
import { createInvitationToken } from "@/lib/team/invitation-token";
import {
  inviteMember,
  inviteMemberAction,
  listTeam,
  resendInvitation,
  resendInvitationAction,
  revokeInvitation,
} from "@/lib/team/invitations";
import { acceptInvitation, findInvitationByToken } from "@/lib/team/join";
import { createClinic, createMember, createUser, form } from "../fixtures/clinic";

// Invitations end to end below the browser: the invite and its event, the job's one
// email with the link, and every way a link is accepted or refused.

const PASSWORD = "invitee-password-123";
const TOO_MANY_INVITATIONS = /^Too many invitations; try again in \d+ minutes?\.$/;

async function clinicWithOwner() {
  const { clinic } = await createClinic();
  return { clinic, owner: await createMember(clinic, "owner") };
}

const membershipsOf = (userId: string) => db.select().from(memberships).where(eq(memberships.userId, userId));
const invitationRow = async (id: string) => (await db.select().from(invitations).where(eq(invitations.id, id)))[0];
const teamRows = async (clinicId: string) => ({
  invitations: await db.select().from(invitations).where(eq(invitations.clinicId, clinicId)),
  memberships: await db.select().from(memberships).where(eq(memberships.clinicId, clinicId)),
  events: (await db.select({ n: sql<number>`count(*)::int` }).from(jobEvents))[0].n,
});

describe("inviting someone", () => {
  it("stores the invitation with its event in one transaction; the job emails the link once", async () => {
    const { clinic, owner } = await clinicWithOwner();
    const { invitation, eventId } = await inviteMember(owner, { email: "sam@example.com", role: "staff" });

    expect(invitation).toMatchObject({ clinicId: clinic.id, email: "sam@example.com", role: "staff" });
    expect(invitation.invitedBy).toBe(owner.user.id);
    expect(invitation.expiresAt.getTime() - invitation.createdAt.getTime()).toBe(7 * 86_400_000);
    const [event] = await db.select().from(jobEvents).where(eq(jobEvents.id, eventId));
    expect(event).toMatchObject({
      name: "team/member.invited",
      data: { invitationId: invitation.id, clinicId: clinic.id },
    });
    const runs = await db.select().from(jobRuns).where(eq(jobRuns.eventId, eventId));
    expect(runs.map((run) => run.jobId)).toEqual(["team-invitation"]);
    // One transaction wrote the invitation, its event and the run: they carry its id.
    const [written] = await db.execute<{ invitation: string; event: string; run: string }>(sql`
      select (select xmin::text from invitations where id = ${invitation.id}) as invitation,
             (select xmin::text from job_events where id = ${eventId}) as event,
             (select xmin::text from job_runs where id = ${runs[0].id}) as run
    `);
    expect(new Set(Object.values(written)).size).toBe(1);

    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    const emails = await db.select().from(emailOutbox).where(eq(emailOutbox.recipient, "sam@example.com"));
    expect(emails).toHaveLength(1);
    const [email] = emails;
    const token = createInvitationToken(invitation.id);
    const link = `${env().APP_URL}/invite/${token}`;
    expect(email.idempotencyKey).toBe(`team-invitation:${invitation.id}`);
    expect(email.subject).toBe("User owner invited you to join Test Clinic on Slotline");
    expect(email.html).toContain(`href="${link}"`);
    expect(email.text).toContain(link);
    expect(email.text).toContain("as staff");
    // The token is in the email, never in the database.
    const signature = token.split(".")[1];
    expect(JSON.stringify(await invitationRow(invitation.id))).not.toContain(signature);

    // A replay runs the job again from scratch; the key sends nothing new.
    await replayRun(runs[0].id);
    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ completed: 1, failed: 0 });
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.recipient, "sam@example.com"))).toHaveLength(1);
  });

  it("sends nothing for an invitation revoked before the job ran", async () => {
    const { owner } = await clinicWithOwner();
    const { invitation, eventId } = await inviteMember(owner, { email: "gone@example.com", role: "staff" });
    await revokeInvitation(owner, { id: invitation.id });
    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.eventId, eventId));
    expect(run.output).toEqual({ sent: false, reason: "invitation revoked" });
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.recipient, "gone@example.com"))).toEqual([]);
  });

  it("lets an owner invite an admin, refuses an admin who tries, and lets an admin invite staff", async () => {
    const { clinic, owner } = await clinicWithOwner();
    const admin = await createMember(clinic, "admin");
    const before = await teamRows(clinic.id);

    await expect(inviteMember(admin, { email: "boss@example.com", role: "admin" })).rejects.toThrow(
      new ForbiddenError("Only an owner can invite an admin."),
    );
    const refused = await runMemberAction(
      admin,
      inviteMemberAction,
      form({ email: "boss@example.com", role: "admin" }),
    );
    expect(refused).toMatchObject({ status: "error", message: "Only an owner can invite an admin." });
    expect(await teamRows(clinic.id)).toEqual(before);

    await expect(inviteMember(admin, { email: "desk@example.com", role: "staff" })).resolves.toBeTruthy();
    const byOwner = await runMemberAction(
      owner,
      inviteMemberAction,
      form({ email: "boss@example.com", role: "admin" }),
    );
    expect(byOwner.status).toBe("ok");
    expect((await listTeam(owner)).invitations.map((row) => [row.email, row.role]).sort()).toEqual([
      ["boss@example.com", "admin"],
      ["desk@example.com", "staff"],
    ]);
  });

  it("refuses staff, an owner role, a current member and a second pending invitation, writing nothing", async () => {
    const { clinic, owner } = await clinicWithOwner();
    const staff = await createMember(clinic, "staff");
    await inviteMember(owner, { email: "twice@example.com", role: "staff" });
    const before = await teamRows(clinic.id);

    await expect(inviteMember(staff, { email: "new@example.com", role: "staff" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const cases: [string, Record<string, string>, string][] = [
      ["an owner role", { email: "new@example.com", role: "owner" }, "role"],
      // Emails compare without case: the member's address in capitals is still them.
      ["a member", { email: staff.user.email.toUpperCase(), role: "staff" }, "email"],
      ["a second invitation", { email: "Twice@Example.com", role: "admin" }, "email"],
    ];
    for (const [label, values, field] of cases) {
      const state = await runMemberAction(owner, inviteMemberAction, form(values));
      expect(state.status, label).toBe("error");
      expect(Object.keys(state.fieldErrors ?? {}), label).toEqual([field]);
    }
    const member = await runMemberAction(owner, inviteMemberAction, form({ email: staff.user.email, role: "staff" }));
    expect(member.fieldErrors?.email).toEqual([`${staff.user.email} is already on this clinic's team.`]);
    const byStaff = await runMemberAction(staff, inviteMemberAction, form({ email: "new@example.com", role: "staff" }));
    expect(byStaff).toMatchObject({ status: "error", message: new ForbiddenError().message });
    expect(await teamRows(clinic.id)).toEqual(before);
  });

  it("keeps one pending invitation per email when two are sent at once, and replaces an expired one", async () => {
    const { clinic, owner } = await clinicWithOwner();
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => inviteMember(owner, { email: "race@example.com", role: "staff" })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results.filter((r): r is PromiseRejectedResult => r.status === "rejected"))
      expect(result.reason).toMatchObject({ field: "email", message: expect.stringContaining("pending invitation") });
    const [first] = await db.select().from(invitations).where(eq(invitations.clinicId, clinic.id));

    await db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(invitations.id, first.id));
    const { invitation: second } = await inviteMember(owner, { email: "race@example.com", role: "staff" });
    expect((await invitationRow(first.id)).revokedAt).not.toBeNull();
    expect((await listTeam(owner)).invitations.map((row) => row.id)).toEqual([second.id]);
  });

  it("revokes only its own clinic's pending invitations", async () => {
    const { owner } = await clinicWithOwner();
    const other = await clinicWithOwner();
    const { invitation } = await inviteMember(owner, { email: "kept@example.com", role: "staff" });
    await expect(revokeInvitation(other.owner, { id: invitation.id })).rejects.toBeInstanceOf(NotFoundError);
    expect((await invitationRow(invitation.id)).revokedAt).toBeNull();
    await revokeInvitation(owner, { id: invitation.id });
    await expect(revokeInvitation(owner, { id: invitation.id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("takes 20 invitations an hour per clinic and 5 per email, resends included; past them refuses and writes nothing", async () => {
    const { clinic, owner } = await clinicWithOwner();
    // Five sends to one address: the invitation and four resends.
    let { invitation } = await inviteMember(owner, { email: "often@example.com", role: "staff" });
    for (let i = 0; i < 4; i++) ({ invitation } = await resendInvitation(owner, { id: invitation.id }));
    const before = await teamRows(clinic.id);
    const again = await runMemberAction(owner, resendInvitationAction, form({ id: invitation.id }));
    expect(again).toMatchObject({ status: "error", message: expect.stringMatching(TOO_MANY_INVITATIONS) });
    expect(await teamRows(clinic.id)).toEqual(before);
    // The address's limit holds whichever clinic invites it.
    const other = await clinicWithOwner();
    await expect(inviteMember(other.owner, { email: "Often@Example.com", role: "staff" })).rejects.toThrow(
      TOO_MANY_INVITATIONS,
    );

    // Fourteen more addresses make 19 sends; a refused invitation does not count, so a 20th goes out.
    for (let i = 0; i < 14; i++) await inviteMember(owner, { email: `team${i}@example.com`, role: "staff" });
    await expect(inviteMember(owner, { email: "team0@example.com", role: "staff" })).rejects.toBeInstanceOf(FieldError);
    await inviteMember(owner, { email: "twentieth@example.com", role: "staff" });
    const full = await teamRows(clinic.id);
    const more = await runMemberAction(
      owner,
      inviteMemberAction,
      form({ email: "one.more@example.com", role: "staff" }),
    );
    expect(more).toMatchObject({ status: "error", message: expect.stringMatching(TOO_MANY_INVITATIONS) });
    expect(await teamRows(clinic.id)).toEqual(full);
    // Another clinic invites on.
    await inviteMember(other.owner, { email: "one.more@example.com", role: "staff" });
  });
});

describe("accepting an invitation", () => {
  it("makes the invitee a member once, however many times Accept is clicked", async () => {
    const { clinic, owner } = await clinicWithOwner();
    const { invitation } = await inviteMember(owner, { email: "sam.staff@example.com", role: "staff" });
    // Signed in with the invited address in other capitals.
    const sam = await createUser({ email: "Sam.Staff@Example.com" });
    const token = createInvitationToken(invitation.id);

    const clicks = await Promise.all(Array.from({ length: 3 }, () => acceptInvitation(sam, token)));
    expect(clicks.map((joined) => joined.id)).toEqual([clinic.id, clinic.id, clinic.id]);
    expect((await membershipsOf(sam.id)).map((row) => [row.clinicId, row.role])).toEqual([[clinic.id, "staff"]]);
    expect((await invitationRow(invitation.id)).acceptedAt).not.toBeNull();
    expect(await memberForUser(sam)).toMatchObject({ role: "staff", clinic: { id: clinic.id } });
    // Later clicks on the same link still take them in, and add nothing.
    await expect(acceptInvitation(sam, token)).resolves.toMatchObject({ id: clinic.id });
    expect(await membershipsOf(sam.id)).toHaveLength(1);
    expect((await findInvitationByToken(token))?.state).toBe("accepted");
    expect((await listTeam(owner)).invitations).toEqual([]);
  });

  it("lets an Accept and a Revoke take turns: an Accept that waited for a Revoke is refused", async () => {
    const { owner } = await clinicWithOwner();
    const { invitation } = await inviteMember(owner, { email: "race@example.com", role: "staff" });
    const invitee = await createUser({ email: "race@example.com" });
    const token = createInvitationToken(invitation.id);
    const waitingOnALock = async () =>
      (
        (await db.execute(sql`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'
        `)) as unknown as { n: number }[]
      )[0].n > 0;
    let accepting: Promise<unknown> | undefined;
    // A Revoke holds the invitation's row while the Accept arrives, then revokes and commits.
    await db.transaction(async (tx) => {
      await tx.select().from(invitations).where(eq(invitations.id, invitation.id)).for("update");
      accepting = acceptInvitation(invitee, token).then(
        () => "accepted",
        (error: unknown) => error,
      );
      while (!(await waitingOnALock())) await new Promise((resolve) => setTimeout(resolve, 10));
      await tx
        .update(invitations)
        .set({ revokedAt: sql`now()` })
        .where(eq(invitations.id, invitation.id));
    });
    const outcome = await accepting;
    expect(outcome).toBeInstanceOf(InvitationStateError);
    expect((outcome as InvitationStateError).state).toBe("revoked");
    expect(await membershipsOf(invitee.id)).toEqual([]);
    expect((await invitationRow(invitation.id)).acceptedAt).toBeNull();
  });

  it("refuses someone signed in with another email, and changes nothing", async () => {
    const { owner } = await clinicWithOwner();
    const { invitation } = await inviteMember(owner, { email: "right@example.com", role: "admin" });
    const wrong = await createUser({ email: "wrong@example.com" });
    const refused = await acceptInvitation(wrong, createInvitationToken(invitation.id)).catch((error) => error);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(refused.message).toContain("This invitation is for right@example.com");
    expect(await membershipsOf(wrong.id)).toEqual([]);
    expect(await invitationRow(invitation.id)).toMatchObject({ acceptedAt: null, revokedAt: null });
  });

  it("refuses expired, revoked, used and forged links", async () => {
    const { owner } = await clinicWithOwner();
    const invitee = await createUser({ email: "late@example.com" });
    const expired = (await inviteMember(owner, { email: "late@example.com", role: "staff" })).invitation;
    await db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(invitations.id, expired.id));
    const expiredToken = createInvitationToken(expired.id);
    expect((await findInvitationByToken(expiredToken))?.state).toBe("expired");
    await expect(acceptInvitation(invitee, expiredToken)).rejects.toThrow(new InvitationStateError("expired"));

    const revoked = (await inviteMember(owner, { email: "late@example.com", role: "staff" })).invitation;
    await revokeInvitation(owner, { id: revoked.id });
    await expect(acceptInvitation(invitee, createInvitationToken(revoked.id))).rejects.toThrow(
      new InvitationStateError("revoked"),
    );

    // A used link does not bring its invitee back once they are off the team.
    const used = (await inviteMember(owner, { email: "late@example.com", role: "staff" })).invitation;
    await acceptInvitation(invitee, createInvitationToken(used.id));
    await db.delete(memberships).where(eq(memberships.userId, invitee.id));
    await expect(acceptInvitation(invitee, createInvitationToken(used.id))).rejects.toThrow(
      new InvitationStateError("accepted"),
    );

    const token = createInvitationToken(used.id);
    for (const forged of [
      `${used.id}.${"A".repeat(43)}`,
      createBookingToken(used.id), // the same id signed for another purpose
      `${crypto.randomUUID()}.${token.split(".")[1]}`,
      "not-a-token",
      "",
    ]) {
      expect(await findInvitationByToken(forged), forged).toBeNull();
      await expect(acceptInvitation(invitee, forged)).rejects.toThrow(new InvitationStateError("invalid"));
    }
    expect(await membershipsOf(invitee.id)).toEqual([]);
  });
});

describe("signing up through an invitation", () => {
  it("creates an account for the invited email and no clinic; accepting then joins the team", async () => {
    const { clinic, owner } = await clinicWithOwner();
    const { invitation } = await inviteMember(owner, { email: "new.hire@example.com", role: "staff" });
    const token = createInvitationToken(invitation.id);
    const [clinicsBefore] = await db.select({ n: sql<number>`count(*)::int` }).from(clinics);

    const wrongEmail = await signUpInvited({ token, name: "Nia", email: "other@example.com", password: PASSWORD })
      .then(() => null)
      .catch((error) => error);
    expect(wrongEmail).toBeInstanceOf(FieldError);
    expect(wrongEmail).toMatchObject({ field: "email", message: expect.stringContaining("new.hire@example.com") });
    expect(await db.select().from(users).where(eq(users.email, "other@example.com"))).toEqual([]);

    const account = await signUpInvited({ token, name: "Nia Hire", email: "new.hire@example.com", password: PASSWORD });
    const [clinicsAfter] = await db.select({ n: sql<number>`count(*)::int` }).from(clinics);
    expect(clinicsAfter.n).toBe(clinicsBefore.n);
    expect(await membershipsOf(account.id)).toEqual([]);

    const user = { id: account.id, name: "Nia Hire", email: "new.hire@example.com" };
    await acceptInvitation(user, token);
    expect(await memberForUser(user)).toMatchObject({ role: "staff", clinic: { id: clinic.id } });
  });

  it("refuses a revoked invitation before making an account", async () => {
    const { owner } = await clinicWithOwner();
    const { invitation } = await inviteMember(owner, { email: "withdrawn@example.com", role: "staff" });
    await revokeInvitation(owner, { id: invitation.id });
    await expect(
      signUpInvited({
        token: createInvitationToken(invitation.id),
        name: "Wes",
        email: "withdrawn@example.com",
        password: PASSWORD,
      }),
    ).rejects.toThrow(new InvitationStateError("revoked"));
    expect(await db.select().from(users).where(eq(users.email, "withdrawn@example.com"))).toEqual([]);
  });
});
