import { ANY_PRACTITIONER, findAvailableDays, findFreeSlots } from "@/lib/booking/availability";
import { loadBookingPage } from "@/lib/booking/booking-page";
import { monthOf } from "@/lib/booking/month-calendar";
import { addDays, localDateOf } from "@/lib/booking/wall-clock";
import { clearBookings, type BenchClinic } from "./clinic";
import { fillBusyDay, timeCalls } from "./free-slots";
import { printTable, ratio } from "./report";

/** The booking page's month calendar must answer within this (issue target). */
const TARGET_MS = 50;
const DAYS = 30;

/**
 * What the booking page's month calendar costs: findAvailableDays (one set of reads for
 * the month, then each day's arithmetic up to its first free slot) over 30 days in which
 * every practitioner is almost fully booked, against asking findFreeSlots day by day;
 * and everything the booking page loads for a treatment (loadBookingPage: one read of the
 * whole 60-day horizon, then the month, the day's slots and the next free day from it).
 */
export async function benchMonthAvailability(bench: BenchClinic, now: Date, calls: number) {
  await clearBookings();
  const { clinic } = bench;
  const from = addDays(localDateOf(now, clinic.timeZone), 1);
  const to = addDays(from, DAYS - 1);
  for (let date = from; date <= to; date = addDays(date, 1)) await fillBusyDay(bench, date, now);
  const service = bench.services.find((s) => s.durationMinutes === 30) ?? bench.services[0];

  const rows: string[][] = [];
  for (const [label, practitionerId] of [
    [`any (${bench.practitioners.length} practitioners)`, ANY_PRACTITIONER],
    ["one practitioner", bench.practitioners[0].id],
  ]) {
    const month = () => findAvailableDays(clinic, { serviceId: service.id, practitionerId, from, to }, { now });
    const dayByDay = async () => {
      const free: string[] = [];
      for (let date = from; date <= to; date = addDays(date, 1)) {
        const { slots } = await findFreeSlots(clinic, { serviceId: service.id, practitionerId, date }, { now });
        if (slots.length > 0) free.push(date);
      }
      return free;
    };
    const days = await month();
    if (JSON.stringify(days) !== JSON.stringify(await dayByDay()))
      throw new Error(`findAvailableDays and findFreeSlots disagree for ${label}`);
    const page = () =>
      loadBookingPage(clinic.slug, { service: service.id, practitioner: practitionerId, date: from }, now);
    // The page's month, from the first day benched on, must mark the same days free.
    const shown = (await page()).calendar?.days.flatMap((day) =>
      day.state === "free" && day.date >= from ? [day.date] : [],
    );
    if (JSON.stringify(shown) !== JSON.stringify(days.filter((day) => monthOf(day) === monthOf(from))))
      throw new Error(`loadBookingPage and findAvailableDays disagree for ${label}`);
    const timed = await timeCalls(calls, 5, month);
    const whole = await timeCalls(calls, 5, page);
    const naive = await timeCalls(Math.max(5, Math.floor(calls / 10)), 1, dayByDay);
    const ms = (micros: number) => (micros / 1000).toFixed(1);
    rows.push([
      `findAvailableDays, ${label}`,
      String(days.length),
      ms(timed.p50),
      ms(timed.p95),
      timed.p95 <= TARGET_MS * 1000 ? "yes" : "NO",
      ratio(timed.p50, timed.p50),
    ]);
    rows.push([
      `loadBookingPage (horizon, month, day), ${label}`,
      "",
      ms(whole.p50),
      ms(whole.p95),
      whole.p95 <= TARGET_MS * 1000 ? "yes" : "NO",
      ratio(whole.p50, timed.p50),
    ]);
    rows.push([
      `findFreeSlots x ${DAYS} days, ${label}`,
      String(days.length),
      ms(naive.p50),
      ms(naive.p95),
      "",
      ratio(naive.p50, timed.p50),
    ]);
  }
  console.log(
    `month calendar: ${from} to ${to}, ${bench.practitioners.length} practitioners booked almost full, ${service.durationMinutes}-minute treatment (target p95 <= ${TARGET_MS} ms):`,
  );
  printTable(["call", "free days", "p50 ms", "p95 ms", "within target", "vs findAvailableDays"], rows, 1);
}
