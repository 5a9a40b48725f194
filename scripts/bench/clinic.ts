import { sql } from "drizzle-orm";
import { BOOKING_HORIZON_DAYS } from "@/lib/booking/create-booking";
import { computeSlots, type Interval, type PractitionerDay } from "@/lib/booking/slots";
import { addDays, localDateOf } from "@/lib/booking/wall-clock";
import { db } from "@/lib/db/client";
import {
  clinics,
  practitioners,
  services,
  workingHours,
  type Clinic,
  type Practitioner,
  type Service,
  type WorkingHours,
} from "@/lib/db/schema";

/**
 * The clinic the booking sections work on, shaped like the demo clinic (lib/demo/seed.ts):
 * practitioners on different days and hours in Europe/London, treatments of 30 to 60
 * minutes. Written straight to the bench database, as the test fixtures are.
 */

const ROTAS = [
  { days: [1, 2, 3, 4, 5], start: 9 * 60, end: 17 * 60 },
  { days: [1, 3, 5], start: 10 * 60, end: 18 * 60 },
  { days: [2, 4, 6], start: 8 * 60, end: 14 * 60 },
];

const TREATMENTS = [
  { name: "Initial consultation", durationMinutes: 60, priceMinor: 7500 },
  { name: "Follow-up session", durationMinutes: 30, priceMinor: 4500 },
  { name: "Sports massage", durationMinutes: 45, priceMinor: 5500 },
  { name: "Acupuncture", durationMinutes: 30, priceMinor: 5000 },
];

export const CLIENT_NAMES = [
  "Olivia Hughes",
  "Jack Patel",
  "Amelia Wright",
  "Harry Evans",
  "Isla Thompson",
  "George Khan",
  "Ava Roberts",
  "Noah Walker",
  "Mia Green",
  "Leo Hall",
];

export type BenchClinic = { clinic: Clinic; practitioners: Practitioner[]; hours: WorkingHours[]; services: Service[] };

export async function createBenchClinic(practitionerCount: number, slug = "bench-physio"): Promise<BenchClinic> {
  const [clinic] = await db
    .insert(clinics)
    .values({ name: "Bench Physio", slug, timeZone: "Europe/London" })
    .returning();
  const people = await db
    .insert(practitioners)
    .values(
      Array.from({ length: practitionerCount }, (_, i) => ({
        clinicId: clinic.id,
        name: `Practitioner ${String(i + 1).padStart(2, "0")}`,
      })),
    )
    .returning();
  const hours = await db
    .insert(workingHours)
    .values(
      people.flatMap((p, i) =>
        ROTAS[i % ROTAS.length].days.map((weekday) => ({
          practitionerId: p.id,
          weekday,
          startMinute: ROTAS[i % ROTAS.length].start,
          endMinute: ROTAS[i % ROTAS.length].end,
        })),
      ),
    )
    .returning();
  const treatments = await db
    .insert(services)
    .values(TREATMENTS.map((t) => ({ clinicId: clinic.id, ...t })))
    .returning();
  return { clinic, practitioners: people, hours, services: treatments };
}

/** Every section starts from a clinic with no bookings, clients or queued work. */
export async function clearBookings() {
  await db.execute(sql`truncate bookings, clients, job_steps, job_runs, job_events`);
}

/** What computeSlots needs for one practitioner; `busy` is whatever is already taken that day. */
export function practitionerDay(bench: BenchClinic, practitionerId: string, busy: Interval[]): PractitionerDay {
  return { practitionerId, hours: bench.hours.filter((h) => h.practitionerId === practitionerId), busy };
}

/** A time createBooking will accept: a slot computeSlots offers for this practitioner and treatment. */
export type PlannedBooking = { practitionerId: string; service: Service; start: Date };

/**
 * `count` appointments that fill practitioners' days back to back from tomorrow, none
 * overlapping another, each the first slot computeSlots offers given those already
 * planned, so createBooking accepts every one. Treatments rotate for a mix of lengths.
 */
export function planBookings(bench: BenchClinic, count: number, now: Date): PlannedBooking[] {
  const { timeZone } = bench.clinic;
  const today = localDateOf(now, timeZone);
  const plan: PlannedBooking[] = [];
  for (let offset = 1; offset < BOOKING_HORIZON_DAYS && plan.length < count; offset++) {
    const date = addDays(today, offset);
    for (const practitioner of bench.practitioners) {
      const busy: Interval[] = [];
      while (plan.length < count) {
        const service = bench.services[plan.length % bench.services.length];
        const [first] = computeSlots({
          date,
          timeZone,
          durationMinutes: service.durationMinutes,
          notBefore: now,
          practitioners: [practitionerDay(bench, practitioner.id, busy)],
        });
        if (!first) break;
        const start = new Date(first.start);
        busy.push({ start, end: new Date(start.getTime() + service.durationMinutes * 60_000) });
        plan.push({ practitionerId: practitioner.id, service, start });
      }
    }
  }
  if (plan.length < count)
    throw new Error(
      `The bench clinic has ${plan.length} free slots in the next ${BOOKING_HORIZON_DAYS} days, fewer than the ${count} needed; lower --runs.`,
    );
  return plan;
}
