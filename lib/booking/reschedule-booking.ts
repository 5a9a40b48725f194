import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { clientMoveLimits, withinLimits } from "@/lib/auth/rate-limit";
import { db } from "@/lib/db/client";
import { bookings, type Booking, type Clinic } from "@/lib/db/schema";
import { sendEvent } from "@/lib/jobs/send";
import { NotFoundError } from "@/lib/clinic/errors";
import { id } from "@/lib/clinic/form-fields";
import type { Member } from "@/lib/auth/member";
import { findFreeSlots } from "./availability";
import { checkBookableTime, unofferedTimeError } from "./bookable-time";
import { clientCancelDeadline, findBookingByToken } from "./cancel-booking";
import { BookingStateError, isSlotConflict, SlotTakenError } from "./errors";
import { clinicMoveRefusal } from "./rules";
import { appointmentTimes, bookedLength } from "./slots";
import { localDateOf } from "./wall-clock";

export const clientRescheduleSchema = z.object({
  token: z.string("The link is incomplete").min(1, "The link is incomplete").max(200, "This link is not valid"),
  start: z.iso.datetime({ offset: true, message: "Choose a time" }),
});

/** Who moved a booking: told in the owners' email. */
export type MovedBy = "client" | "clinic";

/**
 * The client moves their booking with its signed link, up to the clinic's notice period,
 * to a time the clinic offers with the same practitioner and treatment (moveWithinRules).
 */
export async function rescheduleBookingByClient(
  input: z.output<typeof clientRescheduleSchema>,
  options: { now?: Date } = {},
): Promise<{ booking: Booking; clinicSlug: string; token: string }> {
  const now = options.now ?? new Date();
  const found = await findBookingByToken(input.token);
  if (!found) throw new NotFoundError("Booking");
  const { booking, clinic } = found;
  if (booking.status !== "confirmed") {
    throw new BookingStateError("This appointment is no longer active, so it cannot be moved. Please book a new time.");
  }
  if (now > clientCancelDeadline(booking, clinic.cancellationNoticeHours)) {
    throw new BookingStateError(
      `${clinic.name} asks for ${clinic.cancellationNoticeHours} hours' notice, so this appointment can no longer be moved online. Please call the clinic.`,
    );
  }
  const start = new Date(input.start);
  if (start.getTime() === booking.startsAt.getTime()) {
    throw new BookingStateError("Your appointment is already at that time. Please choose another.");
  }
  const moved = await moveWithinRules({ clinic, booking, start, now, by: "client" });
  return { booking: moved, clinicSlug: clinic.slug, token: input.token };
}

export const clinicMoveSchema = z.object({
  bookingId: id("appointment"),
  start: z.iso.datetime({ offset: true, message: "Choose a time" }),
});

/**
 * The front desk moves an appointment of its clinic that has not started, to a time the
 * clinic offers with the same practitioner and treatment (moveWithinRules; the client's
 * notice period binds only the client). Another clinic's appointment is "not found".
 */
export async function rescheduleBookingByClinic(
  member: Member,
  input: z.output<typeof clinicMoveSchema>,
  options: { now?: Date } = {},
): Promise<{ booking: Booking; date: string }> {
  const now = options.now ?? new Date();
  const [booking] = await db
    .select()
    .from(bookings)
    .where(and(eq(bookings.id, input.bookingId), eq(bookings.clinicId, member.clinic.id)));
  if (!booking) throw new NotFoundError("Appointment");
  const refusal = clinicMoveRefusal(booking, now);
  if (refusal) throw new BookingStateError(refusal);
  const start = new Date(input.start);
  if (start.getTime() === booking.startsAt.getTime()) {
    throw new BookingStateError("The appointment is already at that time. Choose another.");
  }
  const moved = await moveWithinRules({ clinic: member.clinic, booking, start, now, by: "clinic" });
  return { booking: moved, date: localDateOf(moved.startsAt, member.clinic.timeZone) };
}

/**
 * A move to `start`, which must be a time the clinic offers for the booking's treatment
 * and practitioner (the booking's own time counts as free, so a move may overlap it). One
 * transaction moves it and emits `booking/rescheduled` (the reminder moves, both sides are
 * emailed); bookings_no_overlap still decides a race for the new time, and the loser gets
 * SlotTakenError with the times still free. At most a few moves an hour per booking, by
 * either side (clientMoveLimits): each one emails the client and the clinic's owners.
 */
async function moveWithinRules({
  clinic,
  booking,
  start,
  now,
  by,
}: {
  clinic: Clinic;
  booking: Booking;
  start: Date;
  now: Date;
  by: MovedBy;
}): Promise<Booking> {
  checkBookableTime(clinic, start, now);
  const query = {
    serviceId: booking.serviceId,
    practitionerId: booking.practitionerId,
    date: localDateOf(start, clinic.timeZone),
  };
  const day = await findFreeSlots(clinic, query, { now, moving: booking });
  if (!day.slots.some((slot) => new Date(slot.start).getTime() === start.getTime())) {
    throw unofferedTimeError(clinic, start, { date: query.date, ...day });
  }
  return withinLimits(
    clientMoveLimits(booking.id),
    { noun: "moves of this appointment", otherwise: by === "client" ? "or call the clinic" : undefined },
    () => moveBooking({ booking, clinic, start, query, now, by }),
  );
}

/** moveWithinRules' write, once the new time is known to be free: the move and its event, or SlotTakenError. */
async function moveBooking({
  booking,
  clinic,
  start,
  query,
  now,
  by,
}: {
  booking: Booking;
  clinic: Clinic;
  start: Date;
  query: { serviceId: string; practitionerId: string; date: string };
  now: Date;
  by: MovedBy;
}): Promise<Booking> {
  try {
    return await db.transaction(async (tx) => {
      // Takes its turn with new bookings for this practitioner (insertBookingWithEvent).
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${booking.practitionerId}, 0))`);
      // The appointment keeps the length and the buffer it was booked with.
      const [moved] = await tx
        .update(bookings)
        .set(appointmentTimes(start, bookedLength(booking)))
        // Only the booking as its mover saw it: a concurrent cancel or move wins.
        .where(
          and(eq(bookings.id, booking.id), eq(bookings.status, "confirmed"), eq(bookings.startsAt, booking.startsAt)),
        )
        .returning();
      if (!moved) throw new BookingStateError("This appointment changed a moment ago. Please reload the page.");
      await sendEvent(
        { name: "booking/rescheduled", data: { bookingId: moved.id, clinicId: moved.clinicId, by } },
        { tx },
      );
      return moved;
    });
  } catch (error) {
    if (!isSlotConflict(error)) throw error;
    const { slots } = await findFreeSlots(clinic, query, { now, moving: booking });
    throw new SlotTakenError(slots);
  }
}
