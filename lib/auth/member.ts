import "server-only";
import { asc, eq } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { clinics, memberships, type Clinic, type MemberRole } from "@/lib/db/schema";
import { ForbiddenError } from "@/lib/clinic/errors";

/** A signed-in user acting inside one clinic; every dashboard query is scoped by `clinic.id`. */
export type Member = {
  user: { id: string; name: string; email: string };
  clinic: Clinic;
  role: MemberRole;
};

/** One of a user's clinics and their role in it. */
export type ClinicMembership = Pick<Member, "clinic" | "role">;

/**
 * Roles that manage the clinic (treatments, practitioners, reports, settings, the team);
 * staff see and manage appointments only. /admin is for operators (./operators.ts).
 */
export const MANAGER_ROLES: MemberRole[] = ["owner", "admin"];
export const ALL_ROLES: MemberRole[] = ["owner", "admin", "staff"];

/** Every clinic the user belongs to, the one they joined first first. */
export async function listMemberships(userId: string): Promise<ClinicMembership[]> {
  return db
    .select({ clinic: clinics, role: memberships.role })
    .from(memberships)
    .innerJoin(clinics, eq(clinics.id, memberships.clinicId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.clinicId));
}

/**
 * The membership a user acts in: the clinic they chose (the active-clinic cookie,
 * ./active-clinic.ts) when it is one of theirs, else the one they joined first. The
 * choice is only ever looked up among the user's own memberships, so a stale or forged
 * value can do no more than fall back.
 */
export function chooseMembership(
  list: ClinicMembership[],
  activeClinicId: string | null | undefined,
): ClinicMembership | undefined {
  return list.find((membership) => membership.clinic.id === activeClinicId) ?? list[0];
}

/**
 * The member a user acts as outside a request's cookies (sign-in's "where to next", tests):
 * in the clinic they joined first; null when they belong to none. Requests use getMember
 * (./session.ts), which honours the active-clinic cookie.
 */
export async function memberForUser(user: Member["user"]): Promise<Member | null> {
  const [chosen] = await listMemberships(user.id);
  return chosen ? { user: { id: user.id, name: user.name, email: user.email }, ...chosen } : null;
}

/** Lib functions check the role themselves too, whatever edge reached them. */
export function assertRole(member: Member, roles: MemberRole[]) {
  if (!roles.includes(member.role)) throw new ForbiddenError();
}
