import { createBooking } from "@/lib/booking/create-booking";
import { SlotTakenError } from "@/lib/booking/errors";
import { clearBookings, type BenchClinic, type PlannedBooking } from "./clinic";
import { percentiles, printTable, ratio } from "./report";

/**
 * K people press "Book" for the same practitioner at the same time, through
 * createBooking. bookings_no_overlap lets exactly one commit; everyone else must get
 * SlotTakenError whose `remaining` no longer offers the taken time. Each round uses a
 * fresh slot; the figure is the time until every attempt has its answer.
 */
async function raceForSlot(bench: BenchClinic, planned: PlannedBooking, attempts: number, round: number) {
  const start = planned.start.toISOString();
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: attempts }, (_, n) =>
      createBooking(bench.clinic, {
        serviceId: planned.service.id,
        practitionerId: planned.practitionerId,
        start,
        name: `Racer ${n}`,
        email: `racer-${attempts}-${round}-${n}@example.com`,
      }),
    ),
  );
  const ms = performance.now() - started;

  let booked = 0;
  let taken = 0;
  for (const result of results) {
    if (result.status === "fulfilled") booked++;
    else if (result.reason instanceof SlotTakenError && !result.reason.remaining.some((slot) => slot.start === start))
      taken++;
    else throw result.reason;
  }
  if (booked !== 1 || taken !== attempts - 1)
    throw new Error(
      `${attempts} attempts at ${start}: ${booked} booked and ${taken} SlotTakenError; expected 1 and ${attempts - 1}`,
    );
  return { ms, booked, taken };
}

/** The rounds' counts as printed: one figure when every round agrees, as the asserts above make them. */
const perRound = (values: number[]) => [...new Set(values)].join("/");

export async function benchSameSlotRaces(bench: BenchClinic, slots: PlannedBooking[], sizes: number[], rounds: number) {
  if (slots.length <= sizes.length * rounds)
    throw new Error(`need ${sizes.length * rounds + 1} slots to race for, got ${slots.length}`);
  await clearBookings();
  await raceForSlot(bench, slots[slots.length - 1], sizes[0], -1); // warm-up
  const measured = [];
  for (const [s, attempts] of sizes.entries()) {
    const results = [];
    for (let round = 0; round < rounds; round++)
      results.push(await raceForSlot(bench, slots[s * rounds + round], attempts, round));
    measured.push({
      attempts,
      booked: perRound(results.map((r) => r.booked)),
      taken: perRound(results.map((r) => r.taken)),
      ...percentiles(results.map((r) => r.ms)),
    });
  }
  const base = measured[0].p50;
  printTable(
    [
      "same-slot race (createBooking)",
      "rounds",
      "booked/round",
      "SlotTakenError/round",
      "ms to resolve (median)",
      "max",
      "ms/attempt",
      `vs ${sizes[0]}`,
    ],
    measured.map((row) => [
      `${row.attempts} attempts at once`,
      String(rounds),
      row.booked,
      row.taken,
      row.p50.toFixed(1),
      row.max.toFixed(1),
      (row.p50 / row.attempts).toFixed(2),
      ratio(row.p50, base),
    ]),
    1,
  );
}
