import type { Booking } from "@/lib/db/schema";

/** The clinic-wide rules of online booking, read by the booking page and by createBooking alike. */

/** How far ahead clients may book, in the clinic's calendar days. */
export const BOOKING_HORIZON_DAYS = 60;

/** How soon a slot may start: no one is booked in for a treatment that starts in five minutes. */
export const MIN_BOOKING_NOTICE_MINUTES = 60;

/** The earliest instant a slot may start when booked at `now`. */
export function earliestBookableStart(now: Date): Date {
  return new Date(now.getTime() + MIN_BOOKING_NOTICE_MINUTES * 60_000);
}

/**
 * Why the front desk cannot move this appointment at `now`, or undefined when it can: only a
 * confirmed one that has not started moves. The move itself refuses with this message, and
 * the pages offer "Move…" only where it is undefined.
 */
export function clinicMoveRefusal(booking: Pick<Booking, "status" | "startsAt">, now: Date): string | undefined {
  if (booking.status !== "confirmed")
    return `This appointment is ${booking.status.replace("_", "-")}, so it cannot be moved.`;
  if (booking.startsAt <= now) return "This appointment has started, so it cannot be moved.";
  return undefined;
}
