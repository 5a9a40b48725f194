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

/** Roles that manage the clinic (treatments, practitioners, settings); /admin is for operators (./operators.ts). */
export const MANAGER_ROLES: MemberRole[] = ["owner", "admin"];
export const ALL_ROLES: MemberRole[] = ["owner", "admin", "staff"];

/** The membership of a user; a user in several clinics acts in the one they joined first. */
export async function memberForUser(user: Member["user"]): Promise<Member | null> {
  const [row] = await db
    .select({ clinic: clinics, role: memberships.role })
    .from(memberships)
    .innerJoin(clinics, eq(clinics.id, memberships.clinicId))
    .where(eq(memberships.userId, user.id))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  return row ? { user: { id: user.id, name: user.name, email: user.email }, clinic: row.clinic, role: row.role } : null;
}

/** Lib functions check the role themselves too, whatever edge reached them. */
export function assertRole(member: Member, roles: MemberRole[]) {
  if (!roles.includes(member.role)) throw new ForbiddenError();
}
