import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { bookings, clients, clinics, practitioners, services } from "@/lib/db/schema";

async function fixture() {
  const [clinic] = await db
    .insert(clinics)
    .values({ name: "Constraint Clinic", slug: `c-${crypto.randomUUID()}` })
    .returning();
  const [practitioner] = await db.insert(practitioners).values({ clinicId: clinic.id, name: "Dr A" }).returning();
  const [service] = await db
    .insert(services)
    .values({ clinicId: clinic.id, name: "Check-up", durationMinutes: 30, priceMinor: 4500 })
    .returning();
  const [client] = await db
    .insert(clients)
    .values({ clinicId: clinic.id, name: "Pat", email: `pat-${crypto.randomUUID()}@example.com` })
    .returning();
  const booking = (startsAt: string, minutes = 30) => ({
    clinicId: clinic.id,
    practitionerId: practitioner.id,
    serviceId: service.id,
    clientId: client.id,
    startsAt: new Date(startsAt),
    endsAt: new Date(new Date(startsAt).getTime() + minutes * 60_000),
    priceMinor: 4500,
    currency: "GBP",
  });
  return { booking };
}

describe("bookings_no_overlap (database-enforced)", () => {
  it("lets exactly one of many concurrent inserts for one slot commit", async () => {
    const { booking } = await fixture();
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        db.transaction((tx) => tx.insert(bookings).values(booking("2026-03-02T10:00:00Z"))),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(11);
    for (const r of rejected)
      expect(String(r.reason?.cause?.constraint_name ?? r.reason?.constraint_name)).toBe("bookings_no_overlap");
  });

  it("refuses a partial overlap but allows back-to-back and cancelled-slot rebooking", async () => {
    const { booking } = await fixture();
    const [first] = await db.insert(bookings).values(booking("2026-03-02T10:00:00Z")).returning();
    const overlap: unknown = await db
      .insert(bookings)
      .values(booking("2026-03-02T10:15:00Z"))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(overlap).toBeInstanceOf(Error);
    const refused = overlap as { cause?: { constraint_name?: string }; constraint_name?: string };
    expect((refused.cause ?? refused).constraint_name).toBe("bookings_no_overlap");
    await db.insert(bookings).values(booking("2026-03-02T10:30:00Z"));
    await db.update(bookings).set({ status: "cancelled" }).where(eq(bookings.id, first.id));
    const [rebooked] = await db.insert(bookings).values(booking("2026-03-02T10:00:00Z")).returning();
    expect(rebooked).toMatchObject({ status: "confirmed", startsAt: new Date("2026-03-02T10:00:00Z") });
  });
});
