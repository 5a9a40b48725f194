import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { assertRole, MANAGER_ROLES, type Member } from "@/lib/auth/member";
import { db } from "@/lib/db/client";
import { clinics, type Clinic } from "@/lib/db/schema";
import { isValidTimeZone } from "@/lib/booking/wall-clock";
import { requiredText, wholeNumber } from "./form-fields";

export const timeZoneField = z
  .string("Choose a time zone")
  .trim()
  .refine(isValidTimeZone, "Enter an IANA time zone such as Europe/London or America/New_York");

export const clinicSettingsSchema = z.object({
  name: requiredText(100, "clinic name"),
  timeZone: timeZoneField,
  cancellationNoticeHours: wholeNumber("cancellation notice in hours", 0, 720),
});

/** Name, time zone and cancellation notice; the clinic is always the member's own. */
export async function updateClinicSettings(
  member: Member,
  input: z.output<typeof clinicSettingsSchema>,
): Promise<Clinic> {
  assertRole(member, MANAGER_ROLES);
  const [row] = await db
    .update(clinics)
    .set({ name: input.name, timeZone: input.timeZone, cancellationNoticeHours: input.cancellationNoticeHours })
    .where(eq(clinics.id, member.clinic.id))
    .returning();
  return row;
}

export const updateClinicSettingsAction = defineMemberAction({
  schema: clinicSettingsSchema,
  roles: MANAGER_ROLES,
  run: updateClinicSettings,
  success: "Settings saved.",
});
