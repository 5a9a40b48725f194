import {
  databaseNow,
  freezeDatabaseClock,
  resetDatabaseClock,
  setDatabaseClock,
  shiftDatabaseClock,
} from "@/lib/jobs/postgres/clock";

/**
 * The engine's clock as the tests steer it: the database's slotline_now(), moved by an
 * offset (lib/jobs/postgres/clock.ts), so backoff and sleeps need no real waiting and no
 * test passes a time of its own. Each test file has its own database, so its own clock.
 */
export function testClock() {
  return {
    now: databaseNow,
    advance: shiftDatabaseClock,
    set: setDatabaseClock,
    freeze: freezeDatabaseClock,
    reset: resetDatabaseClock,
  };
}

export const uuid = () => crypto.randomUUID();

/** A valid booking/created payload; the engine tests never read the booking itself. */
export const bookingCreated = (id?: string) => ({
  name: "booking/created" as const,
  id,
  data: { bookingId: uuid(), clinicId: uuid() },
});
