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

/** A change the booking's state or the clinic's rules refuse: cancelling too late, or twice. */
export class BookingStateError extends Error {
  override name = "BookingStateError";
}

/** PostgreSQL's exclusion_violation on bookings_no_overlap, however drizzle wraps it. */
export function isSlotConflict(error: unknown): boolean {
  for (let current = error; current && typeof current === "object"; current = (current as { cause?: unknown }).cause) {
    const { code, constraint_name } = current as { code?: string; constraint_name?: string };
    if (code === "23P01" && constraint_name === "bookings_no_overlap") return true;
  }
  return false;
}
