import { count, sql } from "drizzle-orm";
import {
  bookingRequestSchema,
  createBooking,
  insertBookingWithEvent,
  type BookingRequest,
} from "@/lib/booking/create-booking";
import { db, type Tx } from "@/lib/db/client";
import { bookings, clients, jobEvents } from "@/lib/db/schema";
import { clearBookings, CLIENT_NAMES, type BenchClinic, type PlannedBooking } from "./clinic";
import { printTable, ratio } from "./report";

/**
 * What the transactional outbox costs a booking. Three ways to write the same N
 * bookings (distinct slots, distinct new clients):
 *   - the client upsert and booking insert alone, in a transaction (no event);
 *   - insertBookingWithEvent: the same two writes plus sendEvent("booking/created"),
 *     which adds the job_events row, a job_runs row per subscribed job and pg_notify;
 *   - createBooking: what the booking form calls, the free-slot check before that.
 */

/** insertBookingWithEvent without its sendEvent line: the baseline the outbox is measured against. */
async function insertBookingWithoutEvent(tx: Tx, bench: BenchClinic, planned: PlannedBooking, client: BookingRequest) {
  const [row] = await tx
    .insert(clients)
    .values({ clinicId: bench.clinic.id, name: client.name, email: client.email, phone: client.phone ?? null })
    .onConflictDoUpdate({
      target: [clients.clinicId, clients.email],
      set: { name: client.name, phone: sql`coalesce(excluded.phone, ${clients.phone})` },
    })
    .returning({ id: clients.id });
  await tx
    .insert(bookings)
    .values({
      clinicId: bench.clinic.id,
      practitionerId: planned.practitionerId,
      serviceId: planned.service.id,
      clientId: row.id,
      startsAt: planned.start,
      endsAt: new Date(planned.start.getTime() + planned.service.durationMinutes * 60_000),
      priceMinor: planned.service.priceMinor,
      currency: bench.clinic.currency,
    })
    .returning();
}

type Way = {
  label: string;
  emitsEvent: boolean;
  book: (planned: PlannedBooking, request: BookingRequest) => Promise<unknown>;
};

function waysToBook(bench: BenchClinic): Way[] {
  const { clinic } = bench;
  return [
    {
      label: "client + booking, no event",
      emitsEvent: false,
      book: (planned, request) => db.transaction((tx) => insertBookingWithoutEvent(tx, bench, planned, request)),
    },
    {
      label: "client + booking + event (outbox)",
      emitsEvent: true,
      book: (planned, request) =>
        db.transaction((tx) =>
          insertBookingWithEvent(tx, {
            clinic,
            service: planned.service,
            practitionerId: planned.practitionerId,
            start: planned.start,
            client: request,
          }),
        ),
    },
    {
      label: "createBooking (slot check + outbox)",
      emitsEvent: true,
      book: (_planned, request) => createBooking(clinic, request),
    },
  ];
}

/** The booking form's parsed request for each planned booking, built before any timing starts. */
function requestsFor(plan: PlannedBooking[]): BookingRequest[] {
  return plan.map((planned, i) =>
    bookingRequestSchema.parse({
      serviceId: planned.service.id,
      practitionerId: planned.practitionerId,
      start: planned.start.toISOString(),
      name: CLIENT_NAMES[i % CLIENT_NAMES.length],
      email: `client-${i}@example.com`,
      phone: "+44 20 7946 0000",
    }),
  );
}

async function timeWay(way: Way, plan: PlannedBooking[], requests: BookingRequest[], concurrency: number) {
  await clearBookings();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < plan.length; i = next++) await way.book(plan[i], requests[i]);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const [[booked], [events]] = await Promise.all([
    db.select({ n: count() }).from(bookings),
    db.select({ n: count() }).from(jobEvents),
  ]);
  const expectedEvents = way.emitsEvent ? plan.length : 0;
  if (booked.n !== plan.length || events.n !== expectedEvents) {
    throw new Error(
      `${way.label}: expected ${plan.length} bookings and ${expectedEvents} events, found ${booked.n} and ${events.n}`,
    );
  }
  return { seconds, bookingsPerSecond: plan.length / seconds };
}

export async function benchBookingPath(bench: BenchClinic, plan: PlannedBooking[]) {
  const ways = waysToBook(bench);
  const requests = requestsFor(plan);
  const warmUp = plan.slice(0, Math.min(100, plan.length));
  for (const way of ways) await timeWay(way, warmUp, requests, 4);

  const rows: string[][] = [];
  for (const concurrency of [1, 8]) {
    const timed = [];
    for (const way of ways) timed.push({ way, ...(await timeWay(way, plan, requests, concurrency)) });
    const base = timed[0].bookingsPerSecond;
    for (const { way, seconds, bookingsPerSecond } of timed) {
      rows.push([
        way.label,
        String(concurrency),
        seconds.toFixed(2),
        bookingsPerSecond.toFixed(0),
        ratio(bookingsPerSecond, base),
      ]);
    }
  }
  printTable(["booking path", "concurrency", "seconds", "bookings/s", "vs no event"], rows, 1);
}
