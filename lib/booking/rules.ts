/** The clinic-wide rules of online booking, read by the booking page and by createBooking alike. */

/** How far ahead clients may book, in the clinic's calendar days. */
export const BOOKING_HORIZON_DAYS = 60;

/** How soon a slot may start: no one is booked in for a treatment that starts in five minutes. */
export const MIN_BOOKING_NOTICE_MINUTES = 60;

/** The earliest instant a slot may start when booked at `now`. */
export function earliestBookableStart(now: Date): Date {
  return new Date(now.getTime() + MIN_BOOKING_NOTICE_MINUTES * 60_000);
}
