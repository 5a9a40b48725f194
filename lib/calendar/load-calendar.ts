import "server-only";
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Member } from "@/lib/auth/member";
import { addDays, localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";
import { db } from "@/lib/db/client";
import { bookings, clients, practitioners, services } from "@/lib/db/schema";
import { shownPractitionerId, type CalendarRange } from "./range";

export type CalendarEntry = Awaited<ReturnType<typeof queryEntries>>[number];

/**
 * Appointments with what the dashboard shows beside them (the practitioner, the treatment,
 * the client), for the caller to filter: the calendar, "Coming up" and the move page.
 */
export function appointmentRows() {
  return db
    .select({
      booking: bookings,
      practitioner: { id: practitioners.id, name: practitioners.name },
      service: { name: services.name },
      client: { name: clients.name, email: clients.email, phone: clients.phone },
    })
    .from(bookings)
    .innerJoin(practitioners, eq(practitioners.id, bookings.practitionerId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(clients, eq(clients.id, bookings.clientId));
}

function queryEntries(clinicId: string, from: Date, until: Date, practitionerId: string | undefined) {
  return appointmentRows()
    .where(
      and(
        eq(bookings.clinicId, clinicId),
        practitionerId ? eq(bookings.practitionerId, practitionerId) : undefined,
        gte(bookings.startsAt, from),
        lt(bookings.startsAt, until),
      ),
    )
    .orderBy(asc(bookings.startsAt));
}

/**
 * The member's clinic's appointments in `range`, as a grid: one column per practitioner
 * (active ones, plus any inactive one who still has appointments there) and one cell per
 * local day. Days are the clinic's, not the server's, so a 00:30 appointment lands on its day.
 * With `range.practitioner`, only that practitioner's column, if they are this clinic's
 * (`unknownPractitioner` otherwise, and everyone's columns). When nothing chose
 * (`choiceFrom: "default"`), a member who is one of the active practitioners (their
 * account's email is the practitioner's) sees their own column: `own`.
 */
export async function loadCalendar(member: Member, range: CalendarRange) {
  const zone = member.clinic.timeZone;
  const from = wallClockToInstant(range.days[0], 0, zone);
  const until = wallClockToInstant(addDays(range.days[range.days.length - 1], 1), 0, zone);
  const requested = shownPractitionerId(range.practitioner);
  const [people, narrowed] = await Promise.all([
    db
      .select({
        id: practitioners.id,
        name: practitioners.name,
        active: practitioners.active,
        isMember: sql<boolean>`coalesce(lower(${practitioners.email}) = lower(${member.user.email}), false)`,
      })
      .from(practitioners)
      .where(eq(practitioners.clinicId, member.clinic.id))
      .orderBy(asc(practitioners.name)),
    queryEntries(member.clinic.id, from, until, requested),
  ]);
  const own = people.find((person) => person.isMember && person.active) ?? null;
  const chosen = (range.choiceFrom === "default" ? own : people.find((person) => person.id === requested)) ?? null;
  // Someone else's or a deleted practitioner's link: everyone's appointments, and a notice.
  const fetched = requested && !chosen ? await queryEntries(member.clinic.id, from, until, undefined) : narrowed;
  // The member's own column by default: the range's appointments were fetched for everyone.
  const entries = chosen ? fetched.filter((entry) => entry.booking.practitionerId === chosen.id) : fetched;
  const busy = new Set(entries.map((entry) => entry.booking.practitionerId));
  const columns = chosen ? [chosen] : people.filter((person) => person.active || busy.has(person.id));
  const cells = new Map<string, CalendarEntry[]>();
  for (const entry of entries) {
    const key = cellKey(localDateOf(entry.booking.startsAt, zone), entry.booking.practitionerId);
    cells.set(key, [...(cells.get(key) ?? []), entry]);
  }
  return {
    practitioners: columns,
    /** Whom the calendar can be narrowed to: the active practitioners, and the one shown. */
    choices: people.filter((person) => person.active || person.id === chosen?.id),
    chosen,
    /** The practitioner the member is, if any (the chooser marks them "you"). */
    own,
    // A remembered choice of a practitioner since deleted, or of another clinic's, just lapses.
    unknownPractitioner: range.choiceFrom === "link" && range.practitioner !== null && !chosen,
    total: entries.length,
    entriesFor: (date: string, practitionerId: string) => cells.get(cellKey(date, practitionerId)) ?? [],
  };
}

const cellKey = (date: string, practitionerId: string) => `${date}|${practitionerId}`;
