import "server-only";
import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Member } from "@/lib/auth/member";
import { addDays, localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";
import { db } from "@/lib/db/client";
import { bookings, clients, practitioners, services } from "@/lib/db/schema";
import type { CalendarRange } from "./range";

export type CalendarEntry = Awaited<ReturnType<typeof queryEntries>>[number];

function queryEntries(clinicId: string, from: Date, until: Date) {
  return db
    .select({
      booking: bookings,
      service: { name: services.name },
      client: { name: clients.name, email: clients.email, phone: clients.phone },
    })
    .from(bookings)
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(clients, eq(clients.id, bookings.clientId))
    .where(and(eq(bookings.clinicId, clinicId), gte(bookings.startsAt, from), lt(bookings.startsAt, until)))
    .orderBy(asc(bookings.startsAt));
}

/**
 * The member's clinic's appointments in `range`, as a grid: one column per practitioner
 * (active ones, plus any inactive one who still has appointments there) and one cell per
 * local day. Days are the clinic's, not the server's, so a 00:30 appointment lands on its day.
 */
export async function loadCalendar(member: Member, range: CalendarRange) {
  const zone = member.clinic.timeZone;
  const from = wallClockToInstant(range.days[0], 0, zone);
  const until = wallClockToInstant(addDays(range.days[range.days.length - 1], 1), 0, zone);
  const [people, entries] = await Promise.all([
    db
      .select({ id: practitioners.id, name: practitioners.name, active: practitioners.active })
      .from(practitioners)
      .where(eq(practitioners.clinicId, member.clinic.id))
      .orderBy(asc(practitioners.name)),
    queryEntries(member.clinic.id, from, until),
  ]);
  const busy = new Set(entries.map((entry) => entry.booking.practitionerId));
  const columns = people.filter((person) => person.active || busy.has(person.id));
  const cells = new Map<string, CalendarEntry[]>();
  for (const entry of entries) {
    const key = cellKey(localDateOf(entry.booking.startsAt, zone), entry.booking.practitionerId);
    cells.set(key, [...(cells.get(key) ?? []), entry]);
  }
  return {
    practitioners: columns,
    total: entries.length,
    entriesFor: (date: string, practitionerId: string) => cells.get(cellKey(date, practitionerId)) ?? [],
  };
}

const cellKey = (date: string, practitionerId: string) => `${date}|${practitionerId}`;
