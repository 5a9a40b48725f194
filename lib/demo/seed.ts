import "server-only";
import { eq } from "drizzle-orm";
import { auth } from "@/lib/auth/auth";
import { markEmailVerified } from "@/lib/auth/email-ownership";
import { shiftPeriod } from "@/lib/billing/period";
import { reportPeriods } from "@/lib/billing/report";
import { storeMonthlySummary } from "@/lib/billing/store";
import { addDays, isoWeekday, localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";
import { db } from "@/lib/db/client";
import {
  bookings,
  clients,
  clinics,
  memberships,
  practitioners,
  services,
  users,
  workingHours,
  type Booking,
} from "@/lib/db/schema";
import { DEMO } from "./demo-clinic";

/**
 * The demo clinic `npm run dev` opens with. Idempotent: when the clinic exists,
 * nothing is written. Seeded bookings emit no events, so a fresh start does not
 * email the (fictional) clients.
 */

// Defined in ./demo-clinic (import-free, so the operator allowlist can name the demo owner); scripts import it from here.
export { DEMO };

const PRACTITIONERS = [
  { name: "Dr Amara Okafor", email: "amara@demo-clinic.test", days: [1, 2, 3, 4, 5], start: 9 * 60, end: 17 * 60 },
  { name: "Ben Carter", email: "ben@demo-clinic.test", days: [1, 3, 5], start: 10 * 60, end: 18 * 60 },
  { name: "Chloe Martin", email: "chloe@demo-clinic.test", days: [2, 4, 6], start: 8 * 60, end: 14 * 60 },
];

const TREATMENTS = [
  {
    name: "Initial consultation",
    durationMinutes: 60,
    priceMinor: 7500,
    description: "Assessment and a treatment plan.",
  },
  { name: "Follow-up session", durationMinutes: 30, priceMinor: 4500, description: "Treatment and progress review." },
  { name: "Sports massage", durationMinutes: 45, priceMinor: 5500, description: null },
  { name: "Acupuncture", durationMinutes: 30, priceMinor: 5000, description: null },
];

const FIRST_NAMES = [
  "Olivia",
  "Jack",
  "Amelia",
  "Harry",
  "Isla",
  "George",
  "Ava",
  "Noah",
  "Mia",
  "Leo",
  "Freya",
  "Oscar",
];
const LAST_NAMES = ["Hughes", "Patel", "Wright", "Evans", "Thompson", "Khan"];
/** 72 distinct clients; the first twelve, the regulars, have twelve different first names. */
const CLIENT_NAMES = Array.from(
  { length: FIRST_NAMES.length * LAST_NAMES.length },
  (_, k) => `${FIRST_NAMES[k % 12]} ${LAST_NAMES[(k + Math.floor(k / 12)) % 6]}`,
);

const AHEAD_DAYS = 14;

/** A fixed-seed generator, so every fresh demo database looks the same. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function createOwner(): Promise<string> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO.email));
  if (existing) return existing.id;
  // Through better-auth, so the password hash is the one sign-in checks.
  const { user } = await auth().api.signUpEmail({
    body: { name: DEMO.ownerName, email: DEMO.email, password: DEMO.password },
  });
  // The demo's owner emails land in the dev outbox (/dev/emails), as a confirmed owner's would.
  await markEmailVerified(user.id);
  return user.id;
}

export async function seedDemo(now = new Date()): Promise<{ created: boolean }> {
  const [existing] = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, DEMO.slug));
  if (existing) return { created: false };
  const ownerId = await createOwner();

  await db.transaction(async (tx) => {
    const [clinic] = await tx
      .insert(clinics)
      .values({
        name: DEMO.clinicName,
        slug: DEMO.slug,
        timeZone: DEMO.timeZone,
        // A number from Ofcom's range for drama, which never rings anyone.
        phone: "+44 20 7946 0500",
        address: "14 Riverside Walk\nLondon SE1 9PP",
      })
      .returning();
    await tx.insert(memberships).values({ clinicId: clinic.id, userId: ownerId, role: "owner" });
    const people = await tx
      .insert(practitioners)
      .values(PRACTITIONERS.map((p) => ({ clinicId: clinic.id, name: p.name, email: p.email })))
      .returning();
    await tx
      .insert(workingHours)
      .values(
        PRACTITIONERS.flatMap((p, i) =>
          p.days.map((weekday) => ({ practitionerId: people[i].id, weekday, startMinute: p.start, endMinute: p.end })),
        ),
      );
    const treatments = await tx
      .insert(services)
      .values(TREATMENTS.map((t) => ({ clinicId: clinic.id, ...t })))
      .returning();
    const clientRows = await tx
      .insert(clients)
      .values(
        CLIENT_NAMES.map((name, index) => ({
          clinicId: clinic.id,
          name,
          email: `${name.toLowerCase().replace(" ", ".")}@example.com`,
          phone: `+44 20 7946 ${String(1000 + index).padStart(4, "0")}`,
        })),
      )
      .returning();

    const rows = demoBookings(now, clinic.id, clinic.currency, people, treatments, clientRows);
    // Bulk inserts: a year of bookings in a few statements (each under PostgreSQL's 65,535 parameters).
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(bookings).values(rows.slice(i, i + 1000));
  });
  await summariseDemoHistory(now);
  return { created: true };
}

/**
 * A year of history and two weeks ahead: hourly slots in each practitioner's hours,
 * filling up as the clinic grows; most past appointments completed, some no-shows and
 * cancellations; regular clients come back, new ones arrive month by month.
 */
function demoBookings(
  now: Date,
  clinicId: string,
  currency: string,
  people: { id: string }[],
  treatments: { id: string; durationMinutes: number; priceMinor: number }[],
  clientRows: { id: string }[],
): (typeof bookings.$inferInsert)[] {
  const rand = random(20_260_301);
  const today = localDateOf(now, DEMO.timeZone);
  // From a month before the oldest month the reports show, so all twelve are full and even
  // the oldest has returning clients.
  const firstDay = `${shiftPeriod(reportPeriods(DEMO.timeZone, now)[0], -1)}-01`;
  const historyDays = Math.round((Date.parse(today) - Date.parse(firstDay)) / 86_400_000);
  const rows: (typeof bookings.$inferInsert)[] = [];
  for (let offset = -historyDays; offset <= AHEAD_DAYS; offset++) {
    const date = addDays(today, offset);
    const growth = (offset + historyDays) / (historyDays + AHEAD_DAYS); // 0 a year ago, 1 in two weeks
    // Clients known by then: a dozen regulars at first, all of them by now.
    const known = Math.min(clientRows.length, 12 + Math.floor(growth * (clientRows.length - 12)));
    PRACTITIONERS.forEach((p, i) => {
      if (!p.days.includes(isoWeekday(date))) return;
      // Hourly slots: every treatment lasts an hour at most, so none overlap.
      for (let startMinute = p.start; startMinute < p.end; startMinute += 60) {
        const fill = offset > 0 ? 0.5 - offset * 0.025 : 0.3 + growth * 0.35;
        if (rand() >= fill) continue;
        const treatment = treatments[Math.floor(rand() * treatments.length)];
        const regular = rand() < 0.55;
        const client = clientRows[Math.floor(rand() * (regular ? 12 : known))];
        const startsAt = wallClockToInstant(date, startMinute, DEMO.timeZone);
        const roll = rand();
        const status: Booking["status"] =
          startsAt < now
            ? roll < 0.8
              ? "completed"
              : roll < 0.9
                ? "no_show"
                : "cancelled"
            : roll < 0.92
              ? "confirmed"
              : "cancelled";
        rows.push({
          clinicId,
          practitionerId: people[i].id,
          serviceId: treatment.id,
          clientId: client.id,
          startsAt,
          endsAt: new Date(startsAt.getTime() + treatment.durationMinutes * 60_000),
          status,
          priceMinor: treatment.priceMinor,
          currency,
          ...(status === "cancelled"
            ? {
                cancelledBy: rand() < 0.7 ? ("client" as const) : ("clinic" as const),
                cancelReason: "Cannot make it",
                cancelledAt: new Date(startsAt.getTime() - 86_400_000),
              }
            : {}),
        });
      }
    });
  }
  return rows;
}

/** The monthly summaries the billing job would have stored over the last twelve months. */
async function summariseDemoHistory(now: Date) {
  const [clinic] = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, DEMO.slug));
  for (const period of reportPeriods(DEMO.timeZone, now)) await storeMonthlySummary(clinic.id, period, now);
}
