import { count, eq, like, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { accounts, billingSummaries, bookings, clinics, jobEvents, memberships, users } from "@/lib/db/schema";
import { reportPeriods } from "@/lib/billing/report";
import { assertRole, memberForUser, MANAGER_ROLES } from "@/lib/auth/member";
import { auth } from "@/lib/auth/auth";
import { CREATE_CLINIC_PATH, createClinicForUser, homePathFor } from "@/lib/auth/onboarding";
import { markEmailVerified } from "@/lib/auth/email-ownership";
import { signIn, signUpClinic } from "@/lib/auth/sign-up";
import { FieldError, ForbiddenError } from "@/lib/clinic/errors";
import { DEMO, seedDemo } from "@/lib/demo/seed";
import { createClinic, createMember } from "../fixtures/clinic";

const owner = {
  clinicName: "Riverside Physio",
  slug: "riverside-physio",
  name: "Rita River",
  email: "rita@example.com",
  password: "correct-horse-battery",
};

async function counts() {
  const [[u], [c], [m]] = await Promise.all([
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(clinics),
    db.select({ n: count() }).from(memberships),
  ]);
  return { users: u.n, clinics: c.n, memberships: m.n };
}

describe("sign up, sign in", () => {
  it("creates the user through better-auth, the clinic and an owner membership", async () => {
    const { clinic } = await signUpClinic(owner);
    expect(clinic).toMatchObject({
      name: "Riverside Physio",
      slug: "riverside-physio",
      timeZone: "Europe/London",
      currency: "GBP",
    });
    const [user] = await db.select().from(users).where(eq(users.email, owner.email));
    const member = await memberForUser(user);
    expect(member).toMatchObject({ role: "owner", clinic: { id: clinic.id } });
    // A real password hash (not the password), checked by signing in.
    const [account] = await db.select().from(accounts).where(eq(accounts.userId, user.id));
    // better-auth's scrypt format: a 16-byte hex salt, a colon, the 64-byte hex key.
    expect(account.password).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    expect(account.password).not.toContain(owner.password);
    const session = await signIn({ email: owner.email, password: owner.password });
    expect(session.user.id).toBe(user.id);
    await expect(signIn({ email: owner.email, password: "wrong-password-123" })).rejects.toThrow(FieldError);
    await expect(signIn({ email: "nobody@example.com", password: owner.password })).rejects.toThrow("do not match");
  });

  it("refuses a taken booking address or email and writes nothing", async () => {
    await signUpClinic({ ...owner, slug: "taken-slug", email: "first@example.com" });
    const before = await counts();
    const slug = await signUpClinic({ ...owner, slug: "taken-slug", email: "second@example.com" }).catch((e) => e);
    expect(slug).toBeInstanceOf(FieldError);
    expect(slug).toMatchObject({ field: "slug" });
    const email = await signUpClinic({ ...owner, slug: "free-slug", email: "first@example.com" }).catch((e) => e);
    expect(email).toMatchObject({ field: "email" });
    expect(await counts()).toEqual(before);
  });

  it("writes the clinic and its owner's confirmation request together, or neither", async () => {
    const before = await counts();
    const requests = () => db.select().from(jobEvents).where(eq(jobEvents.name, "auth/email-verification.requested"));
    const requested = (await requests()).length;
    // The queue refuses the request (a fault the test injects), after the clinic was written in the transaction.
    await db.execute(sql`
      create function refuse_verification() returns trigger language plpgsql as $$
      begin raise exception 'the queue is down'; end $$;
      create trigger refuse_verification before insert on job_events
        for each row when (new.name = 'auth/email-verification.requested') execute function refuse_verification();
    `);
    try {
      const failed = await signUpClinic({ ...owner, slug: "no-queue", email: "no-queue@example.com" }).catch((e) => e);
      expect(failed).toMatchObject({ cause: { message: "the queue is down" } });
      expect(await counts()).toEqual(before);
      expect(await requests()).toHaveLength(requested);
    } finally {
      await db.execute(sql`drop trigger refuse_verification on job_events; drop function refuse_verification()`);
    }
    // The same form goes through once the queue takes requests again.
    const { clinic, verificationEventId } = await signUpClinic({
      ...owner,
      slug: "no-queue",
      email: "no-queue@example.com",
    });
    expect(clinic.slug).toBe("no-queue");
    expect((await requests()).map((event) => event.id)).toContain(verificationEventId);
  });
});

describe("two sign-ups with one email at the same moment", () => {
  it("lets one in and gives the other a field error on email, leaving one user and one clinic", async () => {
    const before = await counts();
    const results = await Promise.allSettled([
      signUpClinic({ ...owner, email: "twice@example.com", slug: "twice-one" }),
      signUpClinic({ ...owner, email: "twice@example.com", slug: "twice-two" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const loser = results.find((r) => r.status === "rejected")!.reason;
    expect(loser).toBeInstanceOf(FieldError);
    expect(loser).toMatchObject({
      field: "email",
      message: expect.stringContaining("An account with this email already exists"),
    });
    expect(await counts()).toEqual({
      users: before.users + 1,
      clinics: before.clinics + 1,
      memberships: before.memberships + 1,
    });
  });
});

describe("a user whose sign-up stopped before the clinic was made", () => {
  /** The state a crash between sign-up's two steps leaves: a better-auth user, no clinic. */
  async function clinicLessUser(address: string) {
    const { user } = await auth().api.signUpEmail({
      body: { name: "Half Way", email: address, password: owner.password },
    });
    return { id: user.id, name: user.name, email: user.email };
  }

  it("is sent from sign-in to the create-your-clinic page, and creates a clinic it owns there", async () => {
    const user = await clinicLessUser("halfway@example.com");
    const session = await signIn({ email: user.email, password: owner.password });
    expect(await homePathFor(session.user)).toBe(CREATE_CLINIC_PATH);

    const clinic = await createClinicForUser(user.id, { clinicName: "Half Way Clinic", slug: "half-way" });
    expect(clinic).toMatchObject({ name: "Half Way Clinic", slug: "half-way" });
    expect(await memberForUser(user)).toMatchObject({ role: "owner", clinic: { id: clinic.id } });
    expect(await homePathFor(user)).toBe("/dashboard");
  });

  it("sends an operator with no clinic to the job queue instead, once their address is confirmed", async () => {
    const operator = await clinicLessUser("ops@example.com");
    const previous = process.env.OPERATOR_EMAILS;
    process.env.OPERATOR_EMAILS = "ops@example.com";
    try {
      // Listed, but whoever made the account may not own the address: no queue for them.
      expect(await homePathFor(operator)).toBe(CREATE_CLINIC_PATH);
      await markEmailVerified(operator.id);
      expect(await homePathFor(operator)).toBe("/admin/jobs");
    } finally {
      if (previous === undefined) delete process.env.OPERATOR_EMAILS;
      else process.env.OPERATOR_EMAILS = previous;
    }
  });

  it("refuses a second clinic, and a taken slug, writing nothing", async () => {
    await signUpClinic({ ...owner, email: "has-one@example.com", slug: "has-one" });
    const [withClinic] = await db.select().from(users).where(eq(users.email, "has-one@example.com"));
    const user = await clinicLessUser("no-clinic@example.com");
    const before = await counts();

    await expect(
      createClinicForUser(withClinic.id, { clinicName: "Second", slug: "second-clinic" }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const taken = await createClinicForUser(user.id, { clinicName: "Copy", slug: "has-one" }).catch((e) => e);
    expect(taken).toBeInstanceOf(FieldError);
    expect(taken).toMatchObject({ field: "slug" });
    expect(await counts()).toEqual(before);
    expect(await homePathFor(user)).toBe(CREATE_CLINIC_PATH);
  });

  it("makes one clinic when the form is sent twice at once", async () => {
    const user = await clinicLessUser("double-click@example.com");
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        createClinicForUser(user.id, { clinicName: `Clinic ${i}`, slug: `double-${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    // The others waited on the user's row lock, then found the first one's membership.
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(7);
    for (const r of rejected) {
      expect(r.reason).toBeInstanceOf(ForbiddenError);
      expect(r.reason).toMatchObject({ message: "Your account already belongs to a clinic." });
    }
    expect(await db.select().from(memberships).where(eq(memberships.userId, user.id))).toHaveLength(1);
    expect(await db.select().from(clinics).where(like(clinics.slug, "double-%"))).toHaveLength(1);
  });
});

describe("roles", () => {
  it("lets owners and admins manage, and refuses staff", async () => {
    const { clinic } = await createClinic();
    for (const role of ["owner", "admin"] as const)
      expect(() => assertRole({ ...clinicMember(clinic), role }, MANAGER_ROLES)).not.toThrow();
    const staff = await createMember(clinic, "staff");
    expect(() => assertRole(staff, MANAGER_ROLES)).toThrow(ForbiddenError);
  });
});

function clinicMember(clinic: Awaited<ReturnType<typeof createClinic>>["clinic"]) {
  return { user: { id: "u", name: "U", email: "u@example.com" }, clinic, role: "owner" as const };
}

describe("the demo seed", () => {
  it("creates the demo clinic once, with a working demo login and a mix of bookings", async () => {
    const now = new Date("2026-03-15T12:00:00Z");
    expect(await seedDemo(now)).toEqual({ created: true });
    expect(await seedDemo(now)).toEqual({ created: false });
    const [clinic] = await db.select().from(clinics).where(eq(clinics.slug, DEMO.slug));
    expect(clinic).toMatchObject({ name: DEMO.clinicName, timeZone: "Europe/London" });
    const session = await signIn({ email: DEMO.email, password: DEMO.password });
    expect((await memberForUser(session.user))?.role).toBe("owner");
    const rows = await db.select().from(bookings).where(eq(bookings.clinicId, clinic.id));
    const statuses = new Set(rows.map((b) => b.status));
    for (const status of ["completed", "no_show", "cancelled", "confirmed"]) expect(statuses).toContain(status);
    expect(rows.some((b) => b.startsAt > now)).toBe(true);
    // A year of history: the reports show twelve summarised months, with returning clients.
    expect(rows.some((b) => b.startsAt < new Date(now.getTime() - 365 * 86_400_000))).toBe(true);
    const summaries = await db.select().from(billingSummaries).where(eq(billingSummaries.clinicId, clinic.id));
    expect(summaries.map((s) => s.period).sort()).toEqual(reportPeriods(clinic.timeZone, now));
    for (const summary of summaries) expect(summary.bookingsTotal).toBeGreaterThan(0);
    expect(summaries.every((s) => s.returningClients > 0 && s.noShows + s.cancelled > 0)).toBe(true);
  });
});
