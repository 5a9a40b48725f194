import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { clinics, practitioners, services, type Clinic } from "@/lib/db/schema";
import { NotFoundError } from "@/lib/clinic/errors";
import { SLUG_MAX, SLUG_PATTERN } from "@/lib/clinic/form-fields";
import { hasWorkingHours, offersService } from "./availability";

/** The clinic behind /book/<slug>; an unknown or inactive clinic is "not found". */
export async function findClinicBySlug(slug: string): Promise<Clinic> {
  // Anything that cannot be a slug (a NUL, a megabyte) is unknown without asking the database.
  if (slug.length > SLUG_MAX || !SLUG_PATTERN.test(slug)) throw new NotFoundError("Clinic");
  const [clinic] = await db
    .select()
    .from(clinics)
    .where(and(eq(clinics.slug, slug), eq(clinics.active, true)));
  if (!clinic) throw new NotFoundError("Clinic");
  return clinic;
}

/**
 * What the booking page offers: active treatments, and active practitioners who have
 * working hours (and, once a treatment is chosen, offer it).
 */
export async function bookingCatalog(clinicId: string, serviceId?: string) {
  const [treatments, people] = await Promise.all([
    db
      .select()
      .from(services)
      .where(and(eq(services.clinicId, clinicId), eq(services.active, true)))
      .orderBy(asc(services.name)),
    db
      .select({ id: practitioners.id, name: practitioners.name })
      .from(practitioners)
      .where(
        and(
          eq(practitioners.clinicId, clinicId),
          eq(practitioners.active, true),
          hasWorkingHours(),
          serviceId ? offersService(serviceId) : undefined,
        ),
      )
      .orderBy(asc(practitioners.name)),
  ]);
  return { treatments, practitioners: people };
}
