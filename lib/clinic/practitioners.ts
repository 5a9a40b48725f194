import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { assertRole, MANAGER_ROLES, type Member } from "@/lib/auth/member";
import { db, type Executor } from "@/lib/db/client";
import { practitioners, timeOff, workingHours, type Practitioner } from "@/lib/db/schema";
import { NotFoundError } from "./errors";
import { checkbox, id, NAME_MAX, optionalEmail, requiredText } from "./form-fields";

/** Practitioners: who can be booked. Their hours and time off live in ./schedule.ts. */

const practitionerFields = {
  name: requiredText(NAME_MAX, "practitioner's name"),
  email: optionalEmail("Enter an email address such as ana@example.com"),
  active: checkbox,
};
export const createPractitionerSchema = z.object(practitionerFields);
export const updatePractitionerSchema = z.object({ id: id("practitioner"), ...practitionerFields });

export async function listPractitioners(member: Member): Promise<Practitioner[]> {
  return db
    .select()
    .from(practitioners)
    .where(eq(practitioners.clinicId, member.clinic.id))
    .orderBy(asc(practitioners.name));
}

/** This clinic's practitioner, or "not found" (also for another clinic's id). */
export async function findPractitioner(
  member: Member,
  practitionerId: string,
  executor: Executor = db,
): Promise<Practitioner> {
  const [row] = z.uuid().safeParse(practitionerId).success
    ? await executor
        .select()
        .from(practitioners)
        .where(and(eq(practitioners.id, practitionerId), eq(practitioners.clinicId, member.clinic.id)))
    : [];
  if (!row) throw new NotFoundError("Practitioner");
  return row;
}

/** The practitioner with their weekly hours and time off, for the edit page. */
export async function getPractitionerSchedule(member: Member, practitionerId: string) {
  const practitioner = await findPractitioner(member, practitionerId);
  const [hours, away] = await Promise.all([
    db
      .select()
      .from(workingHours)
      .where(eq(workingHours.practitionerId, practitioner.id))
      .orderBy(asc(workingHours.weekday), asc(workingHours.startMinute)),
    db.select().from(timeOff).where(eq(timeOff.practitionerId, practitioner.id)).orderBy(asc(timeOff.startsAt)),
  ]);
  return { practitioner, hours, timeOff: away };
}

export async function createPractitioner(
  member: Member,
  input: z.output<typeof createPractitionerSchema>,
): Promise<Practitioner> {
  assertRole(member, MANAGER_ROLES);
  const [row] = await db
    .insert(practitioners)
    .values({ clinicId: member.clinic.id, name: input.name, email: input.email ?? null, active: input.active })
    .returning();
  return row;
}

export async function updatePractitioner(
  member: Member,
  input: z.output<typeof updatePractitionerSchema>,
): Promise<Practitioner> {
  assertRole(member, MANAGER_ROLES);
  const [row] = await db
    .update(practitioners)
    .set({ name: input.name, email: input.email ?? null, active: input.active })
    .where(and(eq(practitioners.id, input.id), eq(practitioners.clinicId, member.clinic.id)))
    .returning();
  if (!row) throw new NotFoundError("Practitioner");
  return row;
}

export const createPractitionerAction = defineMemberAction({
  schema: createPractitionerSchema,
  roles: MANAGER_ROLES,
  run: createPractitioner,
  success: "Practitioner added.",
});

export const updatePractitionerAction = defineMemberAction({
  schema: updatePractitionerSchema,
  roles: MANAGER_ROLES,
  run: updatePractitioner,
  success: "Practitioner saved.",
});
