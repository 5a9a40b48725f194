import { ANY_PRACTITIONER, findFreeSlots } from "@/lib/booking/availability";
import { computeSlots, type Interval } from "@/lib/booking/slots";
import { addDays, isoWeekday, localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";
import { db } from "@/lib/db/client";
import { bookings, clients, timeOff } from "@/lib/db/schema";
import { clearBookings, CLIENT_NAMES, practitionerDay, type BenchClinic } from "./clinic";
import { percentiles, printTable, ratio } from "./report";

/**
 * What showing a day on the booking page costs: findFreeSlots (lib/booking/availability.ts,
 * called by loadBookingPage) reads hours, bookings and time off, then computeSlots does
 * the arithmetic. Both are timed on one busy Wednesday: everyone working that day is
 * almost fully booked, with a lunch break off and two cancelled appointments.
 */

const WEDNESDAY = 3;
const LUNCH = { startMinute: 12 * 60 + 30, endMinute: 13 * 60 + 30 };

/** Books the day out for everyone working it; returns each practitioner's busy intervals, as findFreeSlots will read them. */
export async function fillBusyDay(bench: BenchClinic, date: string, now: Date): Promise<Map<string, Interval[]>> {
  const { clinic } = bench;
  const busyByPractitioner = new Map<string, Interval[]>();
  const active: { practitionerId: string; serviceIndex: number; start: Date }[] = [];
  const awayRows: (typeof timeOff.$inferInsert)[] = [];
  for (const practitioner of bench.practitioners) {
    const day = practitionerDay(bench, practitioner.id, []);
    if (!day.hours.some((h) => h.weekday === isoWeekday(date))) continue;
    const lunch = {
      start: wallClockToInstant(date, LUNCH.startMinute, clinic.timeZone),
      end: wallClockToInstant(date, LUNCH.endMinute, clinic.timeZone),
    };
    awayRows.push({ practitionerId: practitioner.id, startsAt: lunch.start, endsAt: lunch.end, reason: "Lunch" });
    const busy: Interval[] = [lunch];
    // Planning only: half an hour left free after every third appointment, so the day still offers a few slots.
    const gaps: Interval[] = [];
    for (let n = 0; ; n++) {
      const serviceIndex = n % bench.services.length;
      const minutes = bench.services[serviceIndex].durationMinutes;
      const [first] = computeSlots({
        date,
        timeZone: clinic.timeZone,
        durationMinutes: minutes,
        notBefore: now,
        practitioners: [{ ...day, busy: [...busy, ...gaps] }],
      });
      if (!first) break;
      const start = new Date(first.start);
      const end = new Date(start.getTime() + minutes * 60_000);
      busy.push({ start, end });
      active.push({ practitionerId: practitioner.id, serviceIndex, start });
      if (n % 3 === 2) gaps.push({ start: end, end: new Date(end.getTime() + 30 * 60_000) });
    }
    busyByPractitioner.set(practitioner.id, busy);
  }

  // Two cancelled appointments per practitioner, over active ones: findFreeSlots must skip them.
  const cancelled = [...busyByPractitioner.keys()].flatMap((practitionerId) =>
    active
      .filter((b) => b.practitionerId === practitionerId)
      .slice(1, 3)
      .map((b) => ({ ...b, cancelled: true })),
  );
  const all = [...active.map((b) => ({ ...b, cancelled: false })), ...cancelled];
  if (all.length === 0) return busyByPractitioner; // nobody works that day
  const clientRows = await db
    .insert(clients)
    .values(
      all.map((_, i) => ({
        clinicId: clinic.id,
        name: CLIENT_NAMES[i % CLIENT_NAMES.length],
        email: `busy-${date}-${i}@example.com`,
      })),
    )
    .returning({ id: clients.id });
  await db.insert(bookings).values(
    all.map((b, i) => {
      const service = bench.services[b.serviceIndex];
      return {
        clinicId: clinic.id,
        practitionerId: b.practitionerId,
        serviceId: service.id,
        clientId: clientRows[i].id,
        startsAt: b.start,
        endsAt: new Date(b.start.getTime() + service.durationMinutes * 60_000),
        priceMinor: service.priceMinor,
        currency: clinic.currency,
        ...(b.cancelled ? { status: "cancelled" as const, cancelledBy: "client" as const, cancelledAt: now } : {}),
      };
    }),
  );
  await db.insert(timeOff).values(awayRows);
  return busyByPractitioner;
}

export async function timeCalls(calls: number, warmUp: number, call: () => unknown) {
  for (let i = 0; i < warmUp; i++) await call();
  const micros: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call();
    micros.push((performance.now() - started) * 1000);
  }
  return percentiles(micros);
}

export async function benchFreeSlots(bench: BenchClinic, now: Date, calls: { arithmetic: number; withReads: number }) {
  await clearBookings();
  const { clinic } = bench;
  let date = addDays(localDateOf(now, clinic.timeZone), 1);
  while (isoWeekday(date) !== WEDNESDAY) date = addDays(date, 1);
  const busy = await fillBusyDay(bench, date, now);
  const service = bench.services.find((s) => s.durationMinutes === 30) ?? bench.services[0];
  const busiest = [...busy.entries()].sort(([, a], [, b]) => b.length - a.length)[0][0];

  const scopes = [
    {
      label: "one practitioner",
      practitionerId: busiest,
      days: [practitionerDay(bench, busiest, busy.get(busiest) ?? [])],
    },
    {
      label: `any (${bench.practitioners.length} practitioners)`,
      practitionerId: ANY_PRACTITIONER,
      days: bench.practitioners.map((p) => practitionerDay(bench, p.id, busy.get(p.id) ?? [])),
    },
  ];
  const rows: string[][] = [];
  for (const scope of scopes) {
    const arithmetic = () =>
      computeSlots({
        date,
        timeZone: clinic.timeZone,
        durationMinutes: service.durationMinutes,
        notBefore: now,
        practitioners: scope.days,
      });
    const withReads = () =>
      findFreeSlots(clinic, { serviceId: service.id, practitionerId: scope.practitionerId, date }, { now });
    const expected = arithmetic();
    const { slots } = await withReads();
    if (JSON.stringify(slots) !== JSON.stringify(expected))
      throw new Error(`findFreeSlots and computeSlots disagree for ${scope.label} on ${date}`);

    const pure = await timeCalls(calls.arithmetic, 200, arithmetic);
    const read = await timeCalls(calls.withReads, 20, withReads);
    rows.push([
      `computeSlots, ${scope.label}`,
      String(calls.arithmetic),
      String(expected.length),
      pure.p50.toFixed(0),
      pure.p95.toFixed(0),
      ratio(pure.p50, pure.p50),
    ]);
    rows.push([
      `findFreeSlots, ${scope.label}`,
      String(calls.withReads),
      String(slots.length),
      read.p50.toFixed(0),
      read.p95.toFixed(0),
      ratio(read.p50, pure.p50),
    ]);
  }
  console.log(`free slots for ${date} (a busy Wednesday), ${service.durationMinutes}-minute treatment:`);
  printTable(["call", "calls", "slots", "p50 µs", "p95 µs", "vs computeSlots"], rows, 1);
}
