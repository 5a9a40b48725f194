import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runValidated } from "@/lib/auth/action";
import { bookingFormSchema } from "@/lib/booking/create-booking";
import { SlotTakenError } from "@/lib/booking/errors";
import { db } from "@/lib/db/client";
import { authAttempts } from "@/lib/db/schema";
import { bookPublicly, createClinic, form } from "../fixtures/clinic";
import { rowCounts } from "../fuzz/inputs";

const TOO_MANY = /^Too many bookings; try again in (\d+) minutes?, or call the clinic\.$/;

/**
 * Free times of a clinic from createClinic (one practitioner, 09:00-17:00 London every
 * day, 30-minute treatment): from two days ahead, 10:00 to 15:00 UTC every half hour.
 */
function freeTimes() {
  const today = new Date();
  const times: string[] = [];
  for (let day = 2; day <= 12; day++)
    for (let halfHour = 0; halfHour <= 10; halfHour++)
      times.push(
        new Date(
          Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + day, 10, halfHour * 30),
        ).toISOString(),
      );
  return times;
}

describe("limits on the public booking page", async () => {
  const fixture = await createClinic();
  const times = freeTimes();
  const booking = (email: string, start = times.shift()!, clinic = fixture) => ({
    clinic: clinic.clinic.slug,
    serviceId: clinic.service.id,
    practitionerId: clinic.practitioners[0].id,
    start,
    name: "Pat Client",
    email,
  });
  /** What the form's action answers (status, message), as bookAction runs it. */
  const submit = (values: ReturnType<typeof booking>, ip?: string) =>
    runValidated(bookingFormSchema, form(values), (input) => bookPublicly(input, ip));

  it("takes 5 bookings an hour per email at one clinic; the 6th is refused, says when to come back, and changes nothing", async () => {
    for (let i = 0; i < 5; i++) await bookPublicly(booking("family@example.com"));
    const before = await rowCounts();
    const refused = await submit(booking(" Family@Example.COM "));
    expect(refused).toMatchObject({ status: "error", message: expect.stringMatching(TOO_MANY) });
    // The first of the five leaves the hour's window first.
    const minutes = Number(refused.message?.match(TOO_MANY)?.[1]);
    expect(minutes).toBeGreaterThanOrEqual(1);
    expect(minutes).toBeLessThanOrEqual(60);
    expect(await rowCounts()).toEqual(before);

    // Another email, and the same email at another clinic, are counted apart.
    expect((await submit(booking("someone.else@example.com"))).status).toBe("ok");
    const other = await createClinic();
    expect((await submit(booking("family@example.com", times[0], other))).status).toBe("ok");
  });

  it("does not count bookings that failed", async () => {
    const taken = times.shift()!;
    await bookPublicly(booking("first@example.com", taken));
    for (let i = 0; i < 6; i++)
      await expect(bookPublicly(booking("late@example.com", taken))).rejects.toBeInstanceOf(SlotTakenError);
    expect((await submit(booking("late@example.com"))).status).toBe("ok");
  });

  it("takes 20 bookings an hour from one client address, whatever the emails; other addresses book on", async () => {
    const [{ attempts: before }] = await db.select({ attempts: count() }).from(authAttempts);
    for (let i = 0; i < 20; i++)
      expect((await submit(booking(`guest${i}@example.com`), "198.51.100.7")).status, `booking ${i + 1}`).toBe("ok");
    const refused = await submit(booking("guest20@example.com"), "198.51.100.7");
    expect(refused.message).toMatch(TOO_MANY);
    // Each booking made is one row per limit (its email, its address); the refusal wrote none.
    const [{ attempts: after }] = await db.select({ attempts: count() }).from(authAttempts);
    expect(after - before).toBe(40);
    expect((await submit(booking("guest20@example.com"), "198.51.100.8")).status).toBe("ok");
  });
});
