/** A clock the tests move by hand, so backoff and sleeps need no real waiting. */
export function testClock(start = new Date(Date.now() + 1_000)) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
      return new Date(current);
    },
    set(date: Date) {
      current = date.getTime();
    },
  };
}

export const uuid = () => crypto.randomUUID();

/** A valid booking/created payload; the engine tests never read the booking itself. */
export const bookingCreated = (id?: string) => ({
  name: "booking/created" as const,
  id,
  data: { bookingId: uuid(), clinicId: uuid() },
});
