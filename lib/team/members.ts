import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { assertRole, MANAGER_ROLES, type Member } from "@/lib/auth/member";
import { db, type Tx } from "@/lib/db/client";
import { memberships } from "@/lib/db/schema";
import { ForbiddenError, NotFoundError } from "@/lib/clinic/errors";
import { INVITABLE_ROLES } from "./invitations";
import { memberRefusal } from "./roles";

/**
 * The clinic's side of the people already on the team: changing a role, removing
 * someone. Owners come from sign-up and stay: no one changes or removes an owner here,
 * and no one changes or removes themselves. Only an owner hands out or takes back the
 * admin role; an admin may remove staff.
 */

const userId = z.string("Choose a member").trim().min(1, "Choose a member").max(100, "Choose a member");
export const changeRoleSchema = z.object({ userId, role: z.enum(INVITABLE_ROLES, "Choose admin or staff") });
export const removeMemberSchema = z.object({ userId });

/** The other member's row, locked for the change; refused as memberRefusal says (./roles.ts). */
async function lockOther(tx: Tx, member: Member, otherId: string) {
  const [other] = await tx
    .select({ id: memberships.id, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.clinicId, member.clinic.id), eq(memberships.userId, otherId)))
    .for("update");
  if (!other) throw new NotFoundError("Member");
  const refusal = memberRefusal({ userId: member.user.id, role: member.role }, { userId: otherId, role: other.role });
  if (refusal) throw new ForbiddenError(refusal);
  return other;
}

/** Makes another member admin or staff; only an owner does. */
export async function changeMemberRole(member: Member, input: z.output<typeof changeRoleSchema>) {
  assertRole(member, MANAGER_ROLES);
  if (member.role !== "owner") throw new ForbiddenError("Only an owner can change roles.");
  return db.transaction(async (tx) => {
    const other = await lockOther(tx, member, input.userId);
    await tx.update(memberships).set({ role: input.role }).where(eq(memberships.id, other.id));
    return { userId: input.userId, role: input.role };
  });
}

/**
 * Takes someone off the team. Their account stays (it may belong to other clinics); the
 * next request they make no longer finds this clinic, since every request reads the
 * membership again (lib/auth/session.ts).
 */
export async function removeMember(member: Member, input: z.output<typeof removeMemberSchema>) {
  assertRole(member, MANAGER_ROLES);
  return db.transaction(async (tx) => {
    const other = await lockOther(tx, member, input.userId);
    await tx.delete(memberships).where(eq(memberships.id, other.id));
    return { userId: input.userId };
  });
}

export const changeMemberRoleAction = defineMemberAction({
  schema: changeRoleSchema,
  roles: MANAGER_ROLES,
  run: changeMemberRole,
  success: "Role changed.",
});

export const removeMemberAction = defineMemberAction({
  schema: removeMemberSchema,
  roles: MANAGER_ROLES,
  run: removeMember,
  success: "Removed from the team.",
});
