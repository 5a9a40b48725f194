import "server-only";
import { eq } from "drizzle-orm";
import { auth } from "@/lib/auth/auth";
import { addDays, isoWeekday, localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";
import { db } from "./client";
import { DEMO } from "./demo";
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
} from "./schema";

/**
 * The demo clinic `npm run dev` opens with. Idempotent: when the clinic exists,
 * nothing is written. Seeded bookings emit no events, so a fresh start does not
 * email the (fictional) clients.
 */

// Defined in ./demo (import-free, so env parsing can name the demo owner); scripts import it from here.
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

const CLIENT_NAMES = [
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
  return user.id;
}

export async function seedDemo(now = new Date()): Promise<{ created: boolean }> {
  const [existing] = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, DEMO.slug));
  if (existing) return { created: false };
  const ownerId = await createOwner();

  await db.transaction(async (tx) => {
    const [clinic] = await tx
      .insert(clinics)
      .values({ name: DEMO.clinicName, slug: DEMO.slug, timeZone: DEMO.timeZone })
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
        CLIENT_NAMES.map((name) => ({
          clinicId: clinic.id,
          name,
          email: `${name.toLowerCase().replace(" ", ".")}@example.com`,
          phone: "+44 20 7946 0000",
        })),
      )
      .returning();

    // Two appointments a working day per practitioner, from 60 days ago to 10 days ahead.
    const rand = random(20_260_301);
    const today = localDateOf(now, DEMO.timeZone);
    const rows: (typeof bookings.$inferInsert)[] = [];
    for (let offset = -60; offset <= 10; offset++) {
      const date = addDays(today, offset);
      PRACTITIONERS.forEach((p, i) => {
        if (!p.days.includes(isoWeekday(date))) return;
        for (const startMinute of [p.start + 60, p.start + 180]) {
          if (rand() < 0.35) continue;
          const treatment = treatments[Math.floor(rand() * treatments.length)];
          const startsAt = wallClockToInstant(date, startMinute, DEMO.timeZone);
          const past = startsAt < now;
          const roll = rand();
          const status: Booking["status"] = past
            ? roll < 0.78
              ? "completed"
              : roll < 0.88
                ? "no_show"
                : "cancelled"
            : roll < 0.9
              ? "confirmed"
              : "cancelled";
          rows.push({
            clinicId: clinic.id,
            practitionerId: people[i].id,
            serviceId: treatment.id,
            clientId: clientRows[Math.floor(rand() * clientRows.length)].id,
            startsAt,
            endsAt: new Date(startsAt.getTime() + treatment.durationMinutes * 60_000),
            status,
            priceMinor: treatment.priceMinor,
            currency: clinic.currency,
            ...(status === "cancelled"
              ? {
                  cancelledBy: "client" as const,
                  cancelReason: "Cannot make it",
                  cancelledAt: new Date(startsAt.getTime() - 86_400_000),
                }
              : {}),
          });
        }
      });
    }
    await tx.insert(bookings).values(rows);
  });
  return { created: true };
}
