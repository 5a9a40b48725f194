import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { assertRole, MANAGER_ROLES, type Member } from "@/lib/auth/member";
import { db } from "@/lib/db/client";
import { services, type Service } from "@/lib/db/schema";
import { NotFoundError } from "./errors";
import { checkbox, DESCRIPTION_MAX, id, NAME_MAX, optionalText, requiredText, wholeNumber } from "./form-fields";
import { priceInMinorUnits } from "./money";

/** Treatments (the `services` table): what a client can book, for how long, at what price. */

/** The treatment form; the price is read in the clinic's currency (JPY has no decimals, KWD three). */
export const createTreatmentSchema = (member: Member) =>
  z.object({
    name: requiredText(NAME_MAX, "treatment name"),
    description: optionalText(DESCRIPTION_MAX, "description"),
    durationMinutes: wholeNumber("duration in minutes", 5, 720),
    price: priceInMinorUnits(member.clinic.currency),
    active: checkbox,
  });
export const updateTreatmentSchema = (member: Member) => createTreatmentSchema(member).extend({ id: id("treatment") });
type TreatmentInput = z.output<ReturnType<typeof createTreatmentSchema>>;

export async function listTreatments(member: Member): Promise<Service[]> {
  return db.select().from(services).where(eq(services.clinicId, member.clinic.id)).orderBy(asc(services.name));
}

export async function getTreatment(member: Member, treatmentId: string): Promise<Service> {
  const [row] = z.uuid().safeParse(treatmentId).success
    ? await db
        .select()
        .from(services)
        .where(and(eq(services.id, treatmentId), eq(services.clinicId, member.clinic.id)))
    : [];
  if (!row) throw new NotFoundError("Treatment");
  return row;
}

function columns(input: TreatmentInput) {
  return {
    name: input.name,
    description: input.description ?? null,
    durationMinutes: input.durationMinutes,
    priceMinor: input.price,
    active: input.active,
  };
}

export async function createTreatment(member: Member, input: TreatmentInput): Promise<Service> {
  assertRole(member, MANAGER_ROLES);
  const [row] = await db
    .insert(services)
    .values({ clinicId: member.clinic.id, ...columns(input) })
    .returning();
  return row;
}

export async function updateTreatment(member: Member, input: TreatmentInput & { id: string }): Promise<Service> {
  assertRole(member, MANAGER_ROLES);
  const [row] = await db
    .update(services)
    .set(columns(input))
    .where(and(eq(services.id, input.id), eq(services.clinicId, member.clinic.id)))
    .returning();
  if (!row) throw new NotFoundError("Treatment");
  return row;
}

export const createTreatmentAction = defineMemberAction({
  schema: createTreatmentSchema,
  roles: MANAGER_ROLES,
  run: createTreatment,
  success: "Treatment added.",
});

export const updateTreatmentAction = defineMemberAction({
  schema: updateTreatmentSchema,
  roles: MANAGER_ROLES,
  run: updateTreatment,
  success: "Treatment saved.",
});
