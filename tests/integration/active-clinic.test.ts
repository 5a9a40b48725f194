import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { clinics, memberships } from "@/lib/db/schema";
import { memberAction } from "@/lib/auth/action";
import { ACTIVE_CLINIC_COOKIE } from "@/lib/auth/active-clinic";
import { auth } from "@/lib/auth/auth";
import { FORM_CLINIC_FIELD } from "@/lib/auth/form-clinic";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { getMember, getMemberships, requireMember } from "@/lib/auth/session";
import { ForbiddenError } from "@/lib/clinic/errors";
import { updateClinicSettingsAction } from "@/lib/clinic/settings";
import { createClinic, createMember, form } from "../fixtures/clinic";

// The browser's cookies as next/headers hands them to the app: one jar per test, holding
// a real better-auth session cookie, so getMember and requireMember run as in a request.
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; ") }),
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    getAll: () => [...jar].map(([name, value]) => ({ name, value: decodeURIComponent(value) })),
    set: (name: string, value: string) => void jar.set(name, value),
  }),
}));

const { switchClinic } = await import("@/app/(dashboard)/actions");

/** Signs a new user up through better-auth and keeps their session cookie in the jar. */
async function signedInUser(email: string) {
  const response = await auth().api.signUpEmail({
    body: { name: "Multi Clinic", email, password: "multi-password-123" },
    asResponse: true,
  });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(";");
    const at = pair.indexOf("=");
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const { user } = (await response.json()) as { user: { id: string } };
  return user.id;
}

/** A user who owns clinic A (joined first), is staff at clinic B, and is not in clinic C. */
async function threeClinics() {
  const [a, b, c] = [await createClinic(), await createClinic(), await createClinic()];
  const userId = await signedInUser(`multi-${randomUUID()}@example.com`);
  await db.insert(memberships).values({ clinicId: a.clinic.id, userId, role: "owner" });
  await db.insert(memberships).values({ clinicId: b.clinic.id, userId, role: "staff" });
  await createMember(c.clinic, "owner");
  return { a: a.clinic, b: b.clinic, c: c.clinic };
}

/** The error Next throws for redirect() and forbidden(), by its digest. */
const digestOf = (error: unknown) => String((error as { digest?: string }).digest);

beforeEach(() => {
  jar.clear();
  // What `experimental.authInterrupts` sets in the app, so forbidden() throws its 403.
  vi.stubEnv("__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS", "1");
});

describe("the active clinic of a member of several", () => {
  it("is the first clinic joined, or the one the cookie names when it is one of the user's", async () => {
    const { a, b, c } = await threeClinics();
    expect((await getMemberships()).map((m) => m.clinic.id)).toEqual([a.id, b.id]);
    expect(await getMember()).toMatchObject({ clinic: { id: a.id }, role: "owner" });

    jar.set(ACTIVE_CLINIC_COOKIE, b.id);
    expect(await getMember()).toMatchObject({ clinic: { id: b.id }, role: "staff" });

    // Forged or stale: another clinic's id, an unknown id, not an id at all.
    for (const forged of [c.id, randomUUID(), "'; drop table clinics; --", ""]) {
      jar.set(ACTIVE_CLINIC_COOKIE, forged);
      expect(await getMember(), forged).toMatchObject({ clinic: { id: a.id }, role: "owner" });
    }
    // Left from a clinic the user has since left: back to the first.
    jar.set(ACTIVE_CLINIC_COOKIE, b.id);
    await db.delete(memberships).where(eq(memberships.clinicId, b.id));
    expect(await getMember()).toMatchObject({ clinic: { id: a.id } });
  });

  it("decides the role requireMember checks and the clinic an action changes", async () => {
    const { a, b } = await threeClinics();
    jar.set(ACTIVE_CLINIC_COOKIE, b.id);
    // Staff in B: the manager pages answer 403 there...
    const refused = await requireMember({ roles: MANAGER_ROLES }).catch((error) => error);
    expect(digestOf(refused)).toMatch(/;403$/);
    const settings = { name: "Renamed", timeZone: "Europe/London", cancellationNoticeHours: "12" };
    expect(await memberAction(updateClinicSettingsAction, form(settings))).toMatchObject({
      status: "error",
      message: new ForbiddenError().message,
    });

    // ...owner in A: the same calls act on A, and only on A.
    jar.set(ACTIVE_CLINIC_COOKIE, a.id);
    expect(await requireMember({ roles: MANAGER_ROLES })).toMatchObject({ clinic: { id: a.id }, role: "owner" });
    expect(await memberAction(updateClinicSettingsAction, form(settings))).toMatchObject({ status: "ok" });
    const names = await db.select({ id: clinics.id, name: clinics.name }).from(clinics);
    expect(names.find((row) => row.id === a.id)?.name).toBe("Renamed");
    expect(names.find((row) => row.id === b.id)?.name).toBe("Test Clinic");

    // A forged cookie acts as the first clinic, never as the one it names.
    jar.set(ACTIVE_CLINIC_COOKIE, randomUUID());
    expect(await requireMember({ roles: MANAGER_ROLES })).toMatchObject({ clinic: { id: a.id } });
  });

  it("refuses a form shown for another clinic (switched in another tab), changing nothing", async () => {
    const { a, b } = await threeClinics();
    // An owner of both, so either clinic's settings may be saved.
    await db.update(memberships).set({ role: "owner" }).where(eq(memberships.clinicId, b.id));
    // The settings form was shown for A; the cookie names B by the time it is posted.
    jar.set(ACTIVE_CLINIC_COOKIE, b.id);
    const settings = { name: "Renamed in another tab", timeZone: "Europe/London", cancellationNoticeHours: "12" };
    const stale = await memberAction(updateClinicSettingsAction, form({ ...settings, [FORM_CLINIC_FIELD]: a.id }));
    expect(stale).toMatchObject({
      status: "error",
      message: expect.stringContaining("switched clinic in another tab"),
    });
    const names = await db.select({ id: clinics.id, name: clinics.name }).from(clinics);
    expect(names.filter((row) => row.name === settings.name)).toEqual([]);
    // The same form shown for B saves to B.
    const fresh = await memberAction(updateClinicSettingsAction, form({ ...settings, [FORM_CLINIC_FIELD]: b.id }));
    expect(fresh).toMatchObject({ status: "ok" });
    const [saved] = await db.select({ name: clinics.name }).from(clinics).where(eq(clinics.id, b.id));
    expect(saved.name).toBe(settings.name);
  });

  it("is switched only to a clinic of the user's own", async () => {
    const { b, c } = await threeClinics();
    const switched = await switchClinic({ status: "idle" }, form({ clinicId: b.id })).catch((error) => error);
    expect(digestOf(switched)).toContain("/dashboard");
    expect(jar.get(ACTIVE_CLINIC_COOKIE)).toBe(b.id);
    expect(await getMember()).toMatchObject({ clinic: { id: b.id } });

    for (const clinicId of [c.id, randomUUID(), "not-an-id"]) {
      const state = await switchClinic({ status: "idle" }, form({ clinicId }));
      expect(state.status, clinicId).toBe("error");
      expect(jar.get(ACTIVE_CLINIC_COOKIE)).toBe(b.id);
    }
  });
});
