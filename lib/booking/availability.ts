import "server-only";
import { and, asc, eq, exists, gt, inArray, lt, ne, notExists, or, sql } from "drizzle-orm";
import { db, type Executor } from "@/lib/db/client";
import {
  bookings,
  type Booking,
  practitioners,
  practitionerServices,
  services,
  timeOff,
  workingHours,
  type Clinic,
  type Practitioner,
  type Service,
} from "@/lib/db/schema";
import { NotFoundError } from "@/lib/clinic/errors";
import { earliestBookableStart } from "./rules";
import {
  bookedLength,
  computeSlots,
  hasFreeSlot,
  localDayInterval,
  type BusyInterval,
  type Interval,
  type PractitionerDay,
  type Slot,
} from "./slots";
import { addDays } from "./wall-clock";

export const ANY_PRACTITIONER = "any";

export type AvailabilityOptions = {
  now?: Date;
  executor?: Executor;
  /**
   * A booking being moved: its own time counts as free, and the times offered fit the
   * length and buffer it was booked with, which it keeps when moved (not the treatment's
   * current ones, should the clinic have changed them since).
   */
  moving?: MovingBooking;
};
export type MovingBooking = Pick<Booking, "id" | "startsAt" | "endsAt" | "blockedUntil">;

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

/** A practitioner with at least one working-hours row: one without hours can never be booked. */
export function hasWorkingHours(executor: Executor = db) {
  return exists(
    executor
      .select({ one: workingHours.id })
      .from(workingHours)
      .where(eq(workingHours.practitionerId, practitioners.id)),
  );
}

/**
 * Practitioners who offer a treatment: everyone when nobody is assigned to it
 * (practitioner_services), else those assigned.
 */
export function offersService(serviceId: string, executor: Executor = db) {
  const assigned = (practitionerId?: typeof practitioners.id) =>
    executor
      .select({ one: practitionerServices.serviceId })
      .from(practitionerServices)
      .where(
        and(
          eq(practitionerServices.serviceId, serviceId),
          practitionerId ? eq(practitionerServices.practitionerId, practitionerId) : undefined,
        ),
      );
  return or(notExists(assigned()), exists(assigned(practitioners.id)))!;
}

/**
 * Active practitioners of this clinic with working hours who offer the treatment: all of
 * them for "any", else the one asked for.
 */
export async function findBookablePractitioners(
  clinicId: string,
  practitionerId: string,
  serviceId: string,
  executor: Executor = db,
): Promise<Practitioner[]> {
  const rows = await executor
    .select()
    .from(practitioners)
    .where(
      and(
        eq(practitioners.clinicId, clinicId),
        eq(practitioners.active, true),
        hasWorkingHours(executor),
        offersService(serviceId, executor),
        practitionerId === ANY_PRACTITIONER ? undefined : eq(practitioners.id, practitionerId),
      ),
    )
    .orderBy(asc(practitioners.name));
  if (rows.length === 0 && practitionerId !== ANY_PRACTITIONER) throw new NotFoundError("Practitioner");
  return rows;
}

/**
 * A treatment's availability over a range of local days, read once: who can take it
 * (one practitioner, or any), their weekly hours and what keeps them busy (active
 * bookings, time off) in the range, sorted by start. `slotsOn` and `availableDays`
 * compute from it without reading again, so a page showing a month and a day asks once.
 */
export type Availability = {
  clinic: Clinic;
  service: Service;
  practitioners: Practitioner[];
  calendars: PractitionerDay[];
  /** Slots starting earlier are not offered (the minimum notice). */
  notBefore: Date;
};

export async function readAvailability(
  clinic: Clinic,
  query: { serviceId: string; practitionerId: string; from: string; to: string },
  options: AvailabilityOptions = {},
): Promise<Availability> {
  const executor = options.executor ?? db;
  // Read together; when both are wrong, the treatment is the one reported.
  const [treatment, candidates] = (
    await Promise.allSettled([
      findBookableService(clinic.id, query.serviceId, executor),
      findBookablePractitioners(clinic.id, query.practitionerId, query.serviceId, executor),
    ])
  ).map((result) => {
    if (result.status === "rejected") throw result.reason;
    return result.value;
  }) as [Service, Practitioner[]];
  const service = options.moving ? { ...treatment, ...bookedLength(options.moving) } : treatment;
  const range = {
    start: localDayInterval(query.from, clinic.timeZone).start,
    end: localDayInterval(query.to, clinic.timeZone).end,
  };
  // A last appointment's buffer can reach into the next day's first booking.
  const readRange = { start: range.start, end: new Date(range.end.getTime() + bufferMs(service)) };
  const calendars =
    candidates.length === 0 || query.from > query.to
      ? []
      : await readPractitionerDays(executor, candidates, readRange, options.moving?.id);
  return {
    clinic,
    service,
    practitioners: candidates,
    calendars,
    notBefore: earliestBookableStart(options.now ?? new Date()),
  };
}

/**
 * The free slots of `date` (a day inside the range read), and each candidate's day
 * (`days`: their hours and that day's busy times, for explaining a time that is not free).
 */
export function slotsOn(availability: Availability, date: string): { days: PractitionerDay[]; slots: Slot[] } {
  const { clinic, service, calendars, notBefore } = availability;
  const day = localDayInterval(date, clinic.timeZone);
  const reach = day.end.getTime() + bufferMs(service);
  const days = calendars.map((calendar) => ({
    ...calendar,
    busy: calendar.busy.filter((busy) => busy.start.getTime() < reach && busy.end > day.start),
  }));
  const slots = computeSlots({
    date,
    timeZone: clinic.timeZone,
    durationMinutes: service.durationMinutes,
    bufferMinutes: service.bufferMinutes,
    notBefore,
    practitioners: days,
  });
  return { days, slots };
}

/**
 * The local days from `from` to `to` (inclusive, inside the range read) on which the
 * treatment has at least one free slot: the booking page's month calendar. The day
 * view's arithmetic, stopping at each day's first free slot.
 */
export function availableDays(availability: Availability, from: string, to: string): string[] {
  const { clinic, service, calendars, notBefore } = availability;
  // Days go forward and busy times are sorted by start: each practitioner's first busy time
  // that can still touch the day only moves forward, so a month is one pass over them.
  const firstRelevant = calendars.map(() => 0);
  const available: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const day = localDayInterval(date, clinic.timeZone);
    const reach = day.end.getTime() + bufferMs(service);
    const practitionersThatDay = calendars.map((calendar, i) => {
      const busy: BusyInterval[] = [];
      for (let j = firstRelevant[i]; j < calendar.busy.length && calendar.busy[j].start.getTime() < reach; j++) {
        if (calendar.busy[j].end > day.start) busy.push(calendar.busy[j]);
      }
      // What ends by tonight cannot touch tomorrow. (A time off spanning days holds the pointer: still correct.)
      while (firstRelevant[i] < calendar.busy.length && calendar.busy[firstRelevant[i]].end <= day.end)
        firstRelevant[i]++;
      return { ...calendar, busy };
    });
    const free = hasFreeSlot({
      date,
      timeZone: clinic.timeZone,
      durationMinutes: service.durationMinutes,
      bufferMinutes: service.bufferMinutes,
      notBefore,
      practitioners: practitionersThatDay,
    });
    if (free) available.push(date);
  }
  return available;
}

/** The free slots of one local day, with one practitioner or any, from the minimum notice on. */
export async function findFreeSlots(
  clinic: Clinic,
  query: { serviceId: string; practitionerId: string; date: string },
  options: AvailabilityOptions = {},
): Promise<{ service: Service; practitioners: Practitioner[]; days: PractitionerDay[]; slots: Slot[] }> {
  const availability = await readAvailability(clinic, { ...query, from: query.date, to: query.date }, options);
  return {
    service: availability.service,
    practitioners: availability.practitioners,
    ...slotsOn(availability, query.date),
  };
}

/** The days from `from` to `to` with a free slot: one set of reads for the whole range. */
export async function findAvailableDays(
  clinic: Clinic,
  query: { serviceId: string; practitionerId: string; from: string; to: string },
  options: AvailabilityOptions = {},
): Promise<string[]> {
  return availableDays(await readAvailability(clinic, query, options), query.from, query.to);
}

/** Until when a booking holds its practitioner: the end of its buffer, or of itself (bookings_no_overlap's range). */
const heldUntil = sql<Date>`coalesce(${bookings.blockedUntil}, ${bookings.endsAt})`.mapWith(bookings.endsAt);

const bufferMs = (service: Service) => service.bufferMinutes * 60_000;

/**
 * Each candidate's weekly hours and what keeps them busy (active bookings, time off)
 * within `range`, sorted by start: three reads, whatever the range's length.
 */
async function readPractitionerDays(
  executor: Executor,
  candidates: Practitioner[],
  range: Interval,
  exceptBookingId?: string,
): Promise<PractitionerDay[]> {
  const ids = candidates.map((p) => p.id);
  const [hours, booked, away] = await Promise.all([
    executor.select().from(workingHours).where(inArray(workingHours.practitionerId, ids)),
    executor
      .select({ practitionerId: bookings.practitionerId, start: bookings.startsAt, end: heldUntil })
      .from(bookings)
      .where(
        and(
          inArray(bookings.practitionerId, ids),
          ne(bookings.status, "cancelled"),
          exceptBookingId ? ne(bookings.id, exceptBookingId) : undefined,
          lt(bookings.startsAt, range.end),
          // Not gt(): beside an expression, drizzle would pass the Date unencoded.
          sql`${heldUntil} > ${range.start.toISOString()}`,
        ),
      ),
    executor
      .select({ practitionerId: timeOff.practitionerId, start: timeOff.startsAt, end: timeOff.endsAt })
      .from(timeOff)
      .where(
        and(inArray(timeOff.practitionerId, ids), lt(timeOff.startsAt, range.end), gt(timeOff.endsAt, range.start)),
      ),
  ]);
  return candidates.map((p) => ({
    practitionerId: p.id,
    hours: hours.filter((h) => h.practitionerId === p.id),
    busy: [...booked.map((b) => ({ ...b, booking: true })), ...away]
      .filter((b) => b.practitionerId === p.id)
      .sort((x, y) => x.start.getTime() - y.start.getTime()),
  }));
}
