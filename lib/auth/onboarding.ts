import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/postgres-errors";
import { clinics, memberships, users, type Clinic } from "@/lib/db/schema";
import { FieldError, ForbiddenError, NotFoundError } from "@/lib/clinic/errors";
import { NAME_MAX, requiredText, slug } from "@/lib/clinic/form-fields";
import { currencyField, DEFAULT_CURRENCY, DEFAULT_TIME_ZONE, timeZoneField } from "@/lib/clinic/region";
import { waitingInvitationPath } from "@/lib/team/join";
import { memberForUser, type Member } from "./member";
import { isConfirmedOperator } from "./email-ownership";

/** Where a signed-in user who belongs to no clinic creates one. */
export const CREATE_CLINIC_PATH = "/sign-up/clinic";

/**
 * The clinic half of the sign-up form, also the whole of the create-your-clinic form.
 * The form always sends a zone and a currency (its pickers preselect them); a caller
 * that leaves them out gets London and pounds, like the demo.
 */
export const clinicSchema = z.object({
  clinicName: requiredText(NAME_MAX, "clinic name"),
  slug,
  timeZone: timeZoneField.default(DEFAULT_TIME_ZONE),
  currency: currencyField.default(DEFAULT_CURRENCY),
});

/** What createClinicForUser needs; a zone and currency left out default as in the schema. */
export type ClinicDetails = Omit<z.output<typeof clinicSchema>, "timeZone" | "currency"> &
  Partial<Pick<z.output<typeof clinicSchema>, "timeZone" | "currency">>;

const SLUG_TAKEN = "That booking address is taken; choose another.";

/**
 * Creates a clinic owned by `userId`: the clinic and the owner membership commit
 * together. Sign-up calls it right after creating the user; a user whose sign-up
 * stopped in between (a crash, a timeout) calls it from CREATE_CLINIC_PATH. Refuses a
 * user who already belongs to a clinic, and a taken slug, writing nothing. `alsoWrite`
 * writes more in the same transaction (sign-up's confirmation request), so all of it
 * commits or none.
 */
export async function createClinicForUser(
  userId: string,
  input: ClinicDetails,
  alsoWrite?: (tx: Executor) => Promise<unknown>,
): Promise<Clinic> {
  const [slugTaken] = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, input.slug));
  if (slugTaken) throw new FieldError("slug", SLUG_TAKEN);
  try {
    return await db.transaction(async (tx) => {
      // The user's row lock makes two submissions for one user take turns, so the
      // second sees the first one's membership instead of making a second clinic.
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
      if (!user) throw new NotFoundError("Account");
      const [membership] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(eq(memberships.userId, userId))
        .limit(1);
      if (membership) throw new ForbiddenError("Your account already belongs to a clinic.");
      const [clinic] = await tx
        .insert(clinics)
        .values({
          name: input.clinicName,
          slug: input.slug,
          timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
          currency: input.currency ?? DEFAULT_CURRENCY,
        })
        .returning();
      await tx.insert(memberships).values({ clinicId: clinic.id, userId, role: "owner" });
      await alsoWrite?.(tx);
      return clinic;
    });
  } catch (error) {
    // Another clinic took the slug between the check above and our insert.
    if (isUniqueViolation(error, "clinics_slug_unique")) throw new FieldError("slug", SLUG_TAKEN);
    throw error;
  }
}

/**
 * Where a signed-in user belongs: their clinic's dashboard; with no clinic, an invitation
 * waiting for their email (they signed in without its link), the job queue for an
 * operator (lib/auth/operators.ts), and the create-your-clinic page for anyone else.
 */
export async function homePathFor(user: Member["user"]): Promise<string> {
  if (await memberForUser(user)) return "/dashboard";
  const invited = await waitingInvitationPath(user.email);
  if (invited) return invited;
  return (await isConfirmedOperator(user)) ? "/admin/jobs" : CREATE_CLINIC_PATH;
}
