import "server-only";
import { sql } from "drizzle-orm";
import type { Member } from "@/lib/auth/member";
import { bookingPagePath, bookingPageUrl } from "@/lib/booking/booking-links";
import { db } from "@/lib/db/client";
import { bookings, practitioners, services, workingHours } from "@/lib/db/schema";

/**
 * What a new clinic still has to do before clients can book, for the checklist on the
 * dashboard home. The booking page offers nothing until the clinic has an active
 * treatment and an active practitioner with working hours. Once both exist, clients can
 * book and the checklist is done: sharing the link is then the owner's to do, and the
 * dashboard's empty state shows it. The share step is ticked once the link works, or
 * once the clinic has a booking (it reached clients some other way).
 */
export type SetupChecklist = {
  hasTreatment: boolean;
  hasWorkingHours: boolean;
  /** The first active practitioner, whose page sets working hours; null when there is none yet. */
  practitionerId: string | null;
  /** The share step: the link works, or the clinic already has a booking. */
  shared: boolean;
  /** Clients can book: the checklist is not shown. */
  complete: boolean;
  /** The booking page: its path for links here, its full address to share. */
  bookingPath: string;
  bookingUrl: string;
};

export async function loadSetupChecklist(member: Member): Promise<SetupChecklist> {
  const clinicId = member.clinic.id;
  // One round trip; each exists() stops at its first row, whatever the clinic's size.
  const [row] = await db.execute<{
    has_treatment: boolean;
    has_working_hours: boolean;
    has_booking: boolean;
    practitioner_id: string | null;
  }>(sql`
    select
      exists (
        select 1 from ${services} where ${services.clinicId} = ${clinicId} and ${services.active}
      ) as has_treatment,
      exists (
        select 1 from ${workingHours}
        join ${practitioners} on ${practitioners.id} = ${workingHours.practitionerId}
        where ${practitioners.clinicId} = ${clinicId} and ${practitioners.active}
      ) as has_working_hours,
      exists (select 1 from ${bookings} where ${bookings.clinicId} = ${clinicId}) as has_booking,
      (
        select ${practitioners.id} from ${practitioners}
        where ${practitioners.clinicId} = ${clinicId} and ${practitioners.active}
        order by ${practitioners.name}, ${practitioners.id}
        limit 1
      ) as practitioner_id
  `);
  const complete = row.has_treatment && row.has_working_hours;
  return {
    hasTreatment: row.has_treatment,
    hasWorkingHours: row.has_working_hours,
    practitionerId: row.practitioner_id,
    shared: complete || row.has_booking,
    complete,
    bookingPath: bookingPagePath(member.clinic.slug),
    bookingUrl: bookingPageUrl(member.clinic.slug),
  };
}
