import type { Clinic, Service } from "@/lib/db/schema";
import { BookingTimeError, SlotTakenError } from "./errors";
import { BOOKING_HORIZON_DAYS, earliestBookableStart, MIN_BOOKING_NOTICE_MINUTES } from "./rules";
import { SLOT_STEP_MINUTES, whyNotOffered, type PractitionerDay, type Slot } from "./slots";
import { addDays, formatTime, localDateOf } from "./wall-clock";

/**
 * Why a requested start time cannot be booked, in words a client can act on. Only a
 * stale page or a hand-made request sends such a time, but "That time was just taken"
 * would send them looking for a slot that never existed.
 */

const notice =
  MIN_BOOKING_NOTICE_MINUTES % 60 === 0
    ? `${MIN_BOOKING_NOTICE_MINUTES / 60} ${MIN_BOOKING_NOTICE_MINUTES === 60 ? "hour's" : "hours'"}`
    : `${MIN_BOOKING_NOTICE_MINUTES} minutes'`;

/** The checks that need no database: the past, the minimum notice, the booking horizon. */
export function checkBookableTime(clinic: Pick<Clinic, "timeZone">, start: Date, now: Date): void {
  if (start.getTime() <= now.getTime()) {
    throw new BookingTimeError("past", "That time has already passed. Please choose a later time.");
  }
  const earliest = earliestBookableStart(now);
  if (start < earliest) {
    throw new BookingTimeError(
      "notice",
      `Online bookings need ${notice} notice: choose a time from ${formatTime(earliest, clinic.timeZone)} on.`,
    );
  }
  if (localDateOf(start, clinic.timeZone) > addDays(localDateOf(now, clinic.timeZone), BOOKING_HORIZON_DAYS)) {
    throw new BookingTimeError("horizon", `Bookings open ${BOOKING_HORIZON_DAYS} days ahead; choose an earlier day.`);
  }
}

/** The error for a future time that is not among the day's free slots; `slots` are offered instead. */
export function unofferedTimeError(
  clinic: Pick<Clinic, "timeZone">,
  start: Date,
  day: { date: string; service: Service; days: PractitionerDay[]; slots: Slot[] },
): Error {
  const reason = whyNotOffered(start, {
    date: day.date,
    timeZone: clinic.timeZone,
    durationMinutes: day.service.durationMinutes,
    practitioners: day.days,
  });
  const time = formatTime(start, clinic.timeZone);
  if (reason === "outside-hours") {
    return new BookingTimeError(
      "outside-hours",
      `${time} is outside the working hours for ${day.service.name} that day. Please choose one of the times shown.`,
      day.slots,
    );
  }
  if (reason === "off-grid") {
    return new BookingTimeError(
      "off-grid",
      `Appointments start every ${SLOT_STEP_MINUTES} minutes, and ${time} is not one of those times. Please choose one of the times shown.`,
      day.slots,
    );
  }
  return new SlotTakenError(day.slots);
}
