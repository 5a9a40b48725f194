import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { assertRole, MANAGER_ROLES, type Member } from "@/lib/auth/member";
import { db } from "@/lib/db/client";
import { clinics, services, type Clinic } from "@/lib/db/schema";
import { FieldError } from "./errors";
import {
  ADDRESS_MAX,
  CLINIC_PHONE_MAX,
  excerpt,
  NAME_MAX,
  optionalMultilineText,
  optionalPhone,
  requiredText,
  wholeNumber,
} from "./form-fields";
import { convertMinorUnits } from "./money";
import { currencyField, localeField, timeZoneField } from "./region";

export const clinicSettingsSchema = z.object({
  name: requiredText(NAME_MAX, "clinic name"),
  timeZone: timeZoneField,
  // Left out, the currency stays as it is.
  currency: currencyField.optional(),
  // Left out, the locale stays as it is.
  locale: localeField.optional(),
  cancellationNoticeHours: wholeNumber("cancellation notice in hours", 0, 720),
  // Blank clears them: clients are then told to contact the clinic without a number.
  phone: optionalPhone(CLINIC_PHONE_MAX),
  address: optionalMultilineText(ADDRESS_MAX, "address"),
});

/**
 * Name, time zone, currency, locale, cancellation notice, phone and address; the clinic is always the member's own.
 * A new currency keeps every treatment's price as the owner typed it (45.00 GBP becomes
 * 45.00 EUR, or 45 JPY): the stored minor units are rescaled by the difference in
 * decimals, in the same transaction. A price the new currency cannot show (45.50 in JPY)
 * refuses the change, naming the treatment, and nothing is written. Bookings and billing
 * summaries keep the currency they were made in.
 */
export async function updateClinicSettings(
  member: Member,
  input: z.output<typeof clinicSettingsSchema>,
): Promise<Clinic> {
  assertRole(member, MANAGER_ROLES);
  return db.transaction(async (tx) => {
    // The row lock makes two settings saves take turns, so prices are rescaled once.
    const [current] = await tx.select().from(clinics).where(eq(clinics.id, member.clinic.id)).for("update");
    const currency = input.currency ?? current.currency;
    if (currency !== current.currency) {
      const treatments = await tx.select().from(services).where(eq(services.clinicId, current.id));
      for (const treatment of treatments) {
        const converted = convertMinorUnits(treatment.priceMinor, current.currency, currency);
        if (converted === null) {
          throw new FieldError(
            "currency",
            `The price of “${excerpt(treatment.name)}” has decimals that ${currency} does not have. Round it first, then change the currency.`,
          );
        }
        if (converted !== treatment.priceMinor)
          await tx.update(services).set({ priceMinor: converted }).where(eq(services.id, treatment.id));
      }
    }
    const [row] = await tx
      .update(clinics)
      .set({
        name: input.name,
        timeZone: input.timeZone,
        currency,
        locale: input.locale ?? current.locale,
        cancellationNoticeHours: input.cancellationNoticeHours,
        phone: input.phone ?? null,
        address: input.address ?? null,
      })
      .where(eq(clinics.id, current.id))
      .returning();
    return row;
  });
}

export const updateClinicSettingsAction = defineMemberAction({
  schema: clinicSettingsSchema,
  roles: MANAGER_ROLES,
  run: updateClinicSettings,
  success: "Settings saved.",
});
