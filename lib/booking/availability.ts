import "server-only";
import { and, asc, eq, gt, inArray, lt, ne } from "drizzle-orm";
import { db, type Executor } from "@/lib/db/client";
import {
  bookings,
  practitioners,
  services,
  timeOff,
  workingHours,
  type Clinic,
  type Practitioner,
  type Service,
} from "@/lib/db/schema";
import { NotFoundError } from "@/lib/clinic/errors";
import { earliestBookableStart } from "./rules";
import { computeSlots, localDayInterval, type PractitionerDay, type Slot } from "./slots";

export const ANY_PRACTITIONER = "any";

/** An active treatment of this clinic; another clinic's id is "not found". */
export async function findBookableService(
  clinicId: string,
  serviceId: string,
  executor: Executor = db,
): Promise<Service> {
  const [service] = await executor
    .select()
    .from(services)
    .where(and(eq(services.id, serviceId), eq(services.clinicId, clinicId), eq(services.active, true)));
  if (!service) throw new NotFoundError("Treatment");
  return service;
}

/** Active practitioners of this clinic: all of them for "any", else the one asked for. */
export async function findBookablePractitioners(
  clinicId: string,
  practitionerId: string,
  executor: Executor = db,
): Promise<Practitioner[]> {
  const rows = await executor
    .select()
    .from(practitioners)
    .where(
      and(
        eq(practitioners.clinicId, clinicId),
        eq(practitioners.active, true),
        practitionerId === ANY_PRACTITIONER ? undefined : eq(practitioners.id, practitionerId),
      ),
    )
    .orderBy(asc(practitioners.name));
  if (rows.length === 0 && practitionerId !== ANY_PRACTITIONER) throw new NotFoundError("Practitioner");
  return rows;
}

/**
 * The free slots of one local day for a treatment, with one practitioner or any, from
 * the minimum notice on. Reads hours, active bookings and time off (returned as `days`,
 * for explaining a time that is not free), then leaves the arithmetic to computeSlots.
 */
export async function findFreeSlots(
  clinic: Clinic,
  query: { serviceId: string; practitionerId: string; date: string },
  options: { now?: Date; executor?: Executor } = {},
): Promise<{ service: Service; practitioners: Practitioner[]; days: PractitionerDay[]; slots: Slot[] }> {
  const executor = options.executor ?? db;
  const service = await findBookableService(clinic.id, query.serviceId, executor);
  const candidates = await findBookablePractitioners(clinic.id, query.practitionerId, executor);
  if (candidates.length === 0) return { service, practitioners: candidates, days: [], slots: [] };
  const ids = candidates.map((p) => p.id);
  const day = localDayInterval(query.date, clinic.timeZone);

  const [hours, booked, away] = await Promise.all([
    executor.select().from(workingHours).where(inArray(workingHours.practitionerId, ids)),
    executor
      .select({ practitionerId: bookings.practitionerId, start: bookings.startsAt, end: bookings.endsAt })
      .from(bookings)
      .where(
        and(
          inArray(bookings.practitionerId, ids),
          ne(bookings.status, "cancelled"),
          lt(bookings.startsAt, day.end),
          gt(bookings.endsAt, day.start),
        ),
      ),
    executor
      .select({ practitionerId: timeOff.practitionerId, start: timeOff.startsAt, end: timeOff.endsAt })
      .from(timeOff)
      .where(and(inArray(timeOff.practitionerId, ids), lt(timeOff.startsAt, day.end), gt(timeOff.endsAt, day.start))),
  ]);

  const days = candidates.map((p) => ({
    practitionerId: p.id,
    hours: hours.filter((h) => h.practitionerId === p.id),
    busy: [...booked, ...away].filter((b) => b.practitionerId === p.id),
  }));
  const slots = computeSlots({
    date: query.date,
    timeZone: clinic.timeZone,
    durationMinutes: service.durationMinutes,
    notBefore: earliestBookableStart(options.now ?? new Date()),
    practitioners: days,
  });
  return { service, practitioners: candidates, days, slots };
}
