import "server-only";
import { and, asc, eq, gte, lt } from "drizzle-orm";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { ALL_ROLES, type Member } from "@/lib/auth/member";
import { db } from "@/lib/db/client";
import { bookings, practitioners, type Booking } from "@/lib/db/schema";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { appointmentRows } from "@/lib/calendar/load-calendar";
import { clinicMoveSchema, rescheduleBookingByClinic } from "@/lib/booking/reschedule-booking";
import { BookingStateError } from "@/lib/booking/errors";
import { addDays, localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";
import { NotFoundError } from "./errors";
import { id, NOTE_MAX, optionalText } from "./form-fields";

export const UPCOMING_DAYS = 14;

/**
 * The appointments of the two weeks after today, in time order: "Coming up", under
 * today's agenda (which the calendar loads itself), of one practitioner with `practitionerId`.
 * "Today" is the clinic's local day, not the server's.
 */
export async function listUpcoming(member: Member, now = new Date(), practitionerId?: string) {
  const zone = member.clinic.timeZone;
  const today = localDateOf(now, zone);
  const from = wallClockToInstant(addDays(today, 1), 0, zone);
  const until = wallClockToInstant(addDays(today, UPCOMING_DAYS + 1), 0, zone);
  return appointmentRows()
    .where(
      and(
        eq(bookings.clinicId, member.clinic.id),
        practitionerId ? eq(bookings.practitionerId, practitionerId) : undefined,
        gte(bookings.startsAt, from),
        lt(bookings.startsAt, until),
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(practitioners.name));
}

export const appointmentStatusSchema = z.object({
  bookingId: id("appointment"),
  status: z.enum(["completed", "no_show", "cancelled"], "Choose completed, no-show or cancelled"),
  reason: optionalText(NOTE_MAX, "reason"),
});

/**
 * Marks an appointment. Cancelling emits `booking/cancelled` in the same transaction;
 * completed and no-show are only for appointments that have started.
 */
export async function setAppointmentStatus(
  member: Member,
  input: z.output<typeof appointmentStatusSchema>,
  now = new Date(),
): Promise<Booking> {
  const scope = and(eq(bookings.id, input.bookingId), eq(bookings.clinicId, member.clinic.id));
  const [current] = await db.select().from(bookings).where(scope);
  if (!current) throw new NotFoundError("Appointment");
  if (current.status !== "confirmed")
    throw new BookingStateError(`This appointment is already ${current.status.replace("_", "-")}.`);
  if (input.status === "cancelled") {
    return db.transaction((tx) =>
      cancelBooking(tx, { bookingId: current.id, clinicId: member.clinic.id }, "clinic", input.reason),
    );
  }
  if (current.startsAt > now)
    throw new BookingStateError("Only an appointment that has started can be marked completed or no-show.");
  const [updated] = await db
    .update(bookings)
    .set({ status: input.status })
    .where(and(scope, eq(bookings.status, "confirmed")))
    .returning();
  if (!updated) throw new BookingStateError("This appointment changed meanwhile; reload the page.");
  return updated;
}

export const setAppointmentStatusAction = defineMemberAction({
  schema: appointmentStatusSchema,
  roles: ALL_ROLES,
  run: (member, input) => setAppointmentStatus(member, input),
  success: "Appointment updated.",
});

/** One appointment of the member's clinic with its names, for the move page; another clinic's is "not found". */
export async function getAppointment(member: Member, bookingId: string) {
  const [row] = z.uuid().safeParse(bookingId).success
    ? await appointmentRows().where(and(eq(bookings.id, bookingId), eq(bookings.clinicId, member.clinic.id)))
    : [];
  if (!row) throw new NotFoundError("Appointment");
  return row;
}

export const moveAppointmentAction = defineMemberAction({
  schema: clinicMoveSchema,
  roles: ALL_ROLES,
  run: (member, input) => rescheduleBookingByClinic(member, input),
  success: "Appointment moved. The client is emailed the new time.",
});
