import "server-only";
import { cookies } from "next/headers";
import { z } from "zod";
import { NotFoundError } from "@/lib/clinic/errors";
import { id } from "@/lib/clinic/form-fields";
import { env } from "@/lib/env";
import { listMemberships, type Member } from "./member";

/**
 * The clinic a member of several acts in, kept in a cookie. It is a preference, not a
 * credential: every request looks it up among the user's own memberships
 * (chooseMembership in ./member.ts), so a stale or forged value falls back to the
 * clinic they joined first.
 */
export const ACTIVE_CLINIC_COOKIE = "slotline_clinic";

export const switchClinicSchema = z.object({ clinicId: id("clinic") });

export async function activeClinicId(): Promise<string | undefined> {
  return (await cookies()).get(ACTIVE_CLINIC_COOKIE)?.value;
}

/** Remembers the clinic for this browser; only call it for a clinic the user belongs to. */
export async function rememberActiveClinic(clinicId: string) {
  (await cookies()).set(ACTIVE_CLINIC_COOKIE, clinicId, {
    httpOnly: true,
    sameSite: "lax",
    secure: new URL(env().APP_URL).protocol === "https:",
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
}

/** Signing out forgets the choice, so the next person to sign in on this browser starts from their own first clinic. */
export async function forgetActiveClinic() {
  (await cookies()).delete(ACTIVE_CLINIC_COOKIE);
}

/** The switcher's action: another of the user's clinics becomes the active one; anyone else's is "not found". */
export async function switchActiveClinic(user: Member["user"], input: z.output<typeof switchClinicSchema>) {
  const memberships = await listMemberships(user.id);
  const chosen = memberships.find((membership) => membership.clinic.id === input.clinicId);
  if (!chosen) throw new NotFoundError("Clinic");
  await rememberActiveClinic(chosen.clinic.id);
  return { clinicId: chosen.clinic.id };
}
