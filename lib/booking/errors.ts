import { hasPostgresError } from "@/lib/db/postgres-errors";
import type { Slot } from "./slots";

/**
 * The slot went to someone else between showing it and booking it. The database's
 * bookings_no_overlap constraint decides the race; `remaining` are the slots still
 * free that day, so the page can offer them straight away.
 */
export class SlotTakenError extends Error {
  override name = "SlotTakenError";
  constructor(public readonly remaining: Slot[] = []) {
    super("That time was just taken. Please choose another.");
  }
}

/** Why a time the client asked for is not bookable, apart from someone else having it. */
export type BookingTimeProblem = "invalid" | "past" | "notice" | "horizon" | "outside-hours" | "off-grid";

/**
 * The time asked for was never bookable: in the past, inside the minimum notice,
 * beyond the horizon, outside working hours or not on the slot grid. A form only
 * sends it when its page went stale or the request was made by hand, so the message
 * says which, and `remaining` offers the day's free slots as SlotTakenError does.
 */
export class BookingTimeError extends Error {
  override name = "BookingTimeError";
  readonly field = "start";
  constructor(
    public readonly problem: BookingTimeProblem,
    message: string,
    public readonly remaining: Slot[] = [],
  ) {
    super(message);
  }
}

/** A change the booking's state or the clinic's rules refuse: cancelling too late, or twice. */
export class BookingStateError extends Error {
  override name = "BookingStateError";
}

/** PostgreSQL's exclusion_violation on bookings_no_overlap, however drizzle wraps it. */
export function isSlotConflict(error: unknown): boolean {
  return hasPostgresError(error, (code, constraint) => code === "23P01" && constraint === "bookings_no_overlap");
}

/**
 * PostgreSQL's deadlock_detected. Two bookings inserted at the same instant for one
 * practitioner can each find the other's row in bookings_no_overlap and wait on it;
 * PostgreSQL aborts one of them, which has written nothing and may simply try again.
 */
export function isDeadlock(error: unknown): boolean {
  return hasPostgresError(error, (code) => code === "40P01");
}
