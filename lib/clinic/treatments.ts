import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { assertRole, MANAGER_ROLES, type Member } from "@/lib/auth/member";
import { db } from "@/lib/db/client";
import { practitioners, practitionerServices, services, type Service } from "@/lib/db/schema";
import { NotFoundError } from "./errors";
import {
  checkbox,
  DESCRIPTION_MAX,
  id,
  NAME_MAX,
  optionalText,
  requiredText,
  wholeNumber,
  wholeNumberOr,
} from "./form-fields";
import { priceInMinorUnits } from "./money";

/** Treatments (the `services` table): what a client can book, for how long, at what price. */

/** The treatment form; the price is read in the clinic's currency (JPY has no decimals, KWD three). */
export const createTreatmentSchema = (member: Member) =>
  z.object({
    name: requiredText(NAME_MAX, "treatment name"),
    description: optionalText(DESCRIPTION_MAX, "description"),
    durationMinutes: wholeNumber("duration in minutes", 5, 720),
    bufferMinutes: wholeNumberOr(0, "buffer in minutes", 0, 240),
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
    bufferMinutes: input.bufferMinutes,
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

/** The form names of "who offers it": one checkbox per practitioner, `offeredBy_<practitioner id>`. */
export const OFFERED_BY = "offeredBy_";

export const treatmentPractitionersSchema = z
  .object({ id: id("treatment") })
  .catchall(z.unknown())
  .transform((input, ctx) => {
    const practitionerIds = Object.keys(input)
      .filter((key) => key.startsWith(OFFERED_BY))
      .map((key) => key.slice(OFFERED_BY.length));
    if (practitionerIds.some((value) => !z.uuid().safeParse(value).success)) {
      ctx.addIssue({
        code: "custom",
        path: ["form"],
        message: "One of the practitioners ticked is not a practitioner",
      });
      return z.NEVER;
    }
    return { id: input.id, practitionerIds };
  });

/** Who offers a treatment (from getTreatment, so the member's own): practitioner ids, none meaning everyone. */
export async function treatmentPractitioners(treatment: Service): Promise<string[]> {
  const rows = await db
    .select({ practitionerId: practitionerServices.practitionerId })
    .from(practitionerServices)
    .where(eq(practitionerServices.serviceId, treatment.id));
  return rows.map((row) => row.practitionerId);
}

/**
 * Replaces who offers a treatment, in one transaction. None ticked means every
 * practitioner offers it; another clinic's practitioner is "not found" and nothing changes.
 */
export async function setTreatmentPractitioners(
  member: Member,
  input: z.output<typeof treatmentPractitionersSchema>,
): Promise<string[]> {
  assertRole(member, MANAGER_ROLES);
  const treatment = await getTreatment(member, input.id);
  const ids = [...new Set(input.practitionerIds)];
  return db.transaction(async (tx) => {
    if (ids.length > 0) {
      const own = await tx
        .select({ id: practitioners.id })
        .from(practitioners)
        .where(and(eq(practitioners.clinicId, member.clinic.id), inArray(practitioners.id, ids)));
      if (own.length !== ids.length) throw new NotFoundError("Practitioner");
    }
    await tx.delete(practitionerServices).where(eq(practitionerServices.serviceId, treatment.id));
    if (ids.length > 0)
      await tx
        .insert(practitionerServices)
        .values(ids.map((practitionerId) => ({ practitionerId, serviceId: treatment.id })));
    return ids;
  });
}

export const setTreatmentPractitionersAction = defineMemberAction({
  schema: treatmentPractitionersSchema,
  roles: MANAGER_ROLES,
  run: setTreatmentPractitioners,
  success: "Saved who offers it.",
});
