import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { billingSummaries } from "@/lib/db/schema";
import { BillingInputError, BillingPeriodNotEndedError } from "@/lib/billing/period";
import { NonRetriableError } from "@/lib/jobs/define";
import { listSummaries, storeMonthlySummaries, storeMonthlySummary } from "@/lib/billing/store";
import { computeMonthlySummaries, computeMonthlySummary } from "@/lib/billing/summary";
import { createBooking, createClient, createClinic, createService } from "./job-fixtures";

const HOUR = 3_600_000;

/** Europe/London, around the March 2026 clock change (29 March, GMT -> BST). */
async function londonSpring() {
  const { clinic, practitioner } = await createClinic({ name: "Spring Clinic" });
  const massage = await createService(clinic.id, "Massage", 4500);
  const physio = await createService(clinic.id, "Physio", 6000);
  const [alice, bob, cara, dan] = await Promise.all(
    ["Alice", "Bob", "Cara", "Dan"].map((name) => createClient(clinic.id, name)),
  );
  const book = (
    clientId: string,
    serviceId: string,
    startsAt: string,
    status: "completed" | "no_show" | "cancelled" | "confirmed",
    priceMinor: number,
  ) =>
    createBooking({
      clinicId: clinic.id,
      practitionerId: practitioner.id,
      serviceId,
      clientId,
      startsAt,
      status,
      priceMinor,
    });

  // February
  await book(alice.id, massage.id, "2026-02-10T10:00:00Z", "completed", 4500);
  await book(dan.id, physio.id, "2026-02-28T23:30:00Z", "completed", 6000); // 23:30 GMT on 28 Feb
  // March
  await book(bob.id, massage.id, "2026-03-01T00:30:00Z", "completed", 4500); // 00:30 GMT on 1 March
  await book(alice.id, physio.id, "2026-03-10T10:00:00Z", "completed", 6000);
  await book(alice.id, massage.id, "2026-03-31T22:30:00Z", "completed", 4500); // 23:30 BST on 31 March
  await book(cara.id, massage.id, "2026-03-15T10:00:00Z", "no_show", 4500);
  await book(cara.id, physio.id, "2026-03-16T10:00:00Z", "cancelled", 6000);
  await book(bob.id, physio.id, "2026-03-20T10:00:00Z", "confirmed", 6000);
  // April: 00:30 BST on 1 April is 23:30 UTC on 31 March, and belongs to April.
  await book(dan.id, massage.id, "2026-03-31T23:30:00Z", "completed", 4500);
  return { clinic, massage, physio };
}

/** A Sydney clinic (UTC+11 in March) with two March bookings at the month's edges and one in April. */
async function sydneyMarch() {
  const { clinic, practitioner } = await createClinic({
    name: "Harbour",
    timeZone: "Australia/Sydney",
    currency: "AUD",
  });
  const service = await createService(clinic.id, "Clean", 8000);
  const client = await createClient(clinic.id, "Jo");
  for (const startsAt of ["2026-02-28T13:30:00Z", "2026-03-31T12:30:00Z", "2026-03-31T13:30:00Z"]) {
    await createBooking({
      clinicId: clinic.id,
      practitionerId: practitioner.id,
      serviceId: service.id,
      clientId: client.id,
      startsAt, // 00:30 AEDT on 1 March, 23:30 on 31 March, 00:30 on 1 April
      status: "completed",
      priceMinor: 8000,
      currency: "AUD",
    });
  }
  return { clinic, service };
}

describe("computeMonthlySummary (set-based SQL on real PostgreSQL)", () => {
  it("computes a London month with the spring clock change: 743 hours, figures, clients, top treatments and previous month", async () => {
    const { clinic, massage, physio } = await londonSpring();
    const march = await computeMonthlySummary(clinic.id, "2026-03");

    expect(march.periodStart.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(march.periodEnd.toISOString()).toBe("2026-03-31T23:00:00.000Z");
    expect((march.periodEnd.getTime() - march.periodStart.getTime()) / HOUR).toBe(743);
    expect(march).toMatchObject({
      currency: "GBP",
      bookingsTotal: 6,
      completed: 3,
      noShows: 1,
      cancelled: 1,
      confirmed: 1,
      revenueMinor: 15000,
      noShowRate: 0.25,
      newClients: 2, // Bob and Cara (a no-show is still their first booking)
      returningClients: 1, // Alice, seen in February
      previous: { bookingsTotal: 2, completed: 2, revenueMinor: 10500 },
    });
    expect(march.topTreatments).toEqual([
      { serviceId: massage.id, name: "Massage", count: 3, revenueMinor: 9000 },
      { serviceId: physio.id, name: "Physio", count: 2, revenueMinor: 6000 },
    ]);

    const april = await computeMonthlySummary(clinic.id, "2026-04");
    expect(april).toMatchObject({
      bookingsTotal: 1,
      completed: 1,
      revenueMinor: 4500,
      newClients: 0,
      returningClients: 1,
    });
    expect(april.previous).toEqual({ bookingsTotal: 6, completed: 3, revenueMinor: 15000 });
  });

  it("puts 00:30 BST on 1 October into October, whose month is 745 hours long", async () => {
    const { clinic, practitioner } = await createClinic({ name: "Autumn Clinic" });
    const service = await createService(clinic.id, "Check-up", 3000);
    const client = await createClient(clinic.id, "Pat");
    const book = (startsAt: string) =>
      createBooking({
        clinicId: clinic.id,
        practitionerId: practitioner.id,
        serviceId: service.id,
        clientId: client.id,
        startsAt,
        status: "completed",
        priceMinor: 3000,
      });
    await book("2026-09-30T22:30:00Z"); // 23:30 BST on 30 September
    await book("2026-09-30T23:30:00Z"); // 00:30 BST on 1 October
    await book("2026-10-31T23:30:00Z"); // 23:30 GMT on 31 October

    const september = await computeMonthlySummary(clinic.id, "2026-09");
    const october = await computeMonthlySummary(clinic.id, "2026-10");
    expect(september).toMatchObject({ bookingsTotal: 1, revenueMinor: 3000, newClients: 1 });
    expect(october).toMatchObject({
      bookingsTotal: 2,
      revenueMinor: 6000,
      newClients: 0,
      returningClients: 1,
      previous: { bookingsTotal: 1 },
    });
    expect(october.periodStart.toISOString()).toBe("2026-09-30T23:00:00.000Z");
    expect((october.periodEnd.getTime() - october.periodStart.getTime()) / HOUR).toBe(745);
  });

  it("uses the clinic's own zone outside the UK (Australia/Sydney, AUD) and ignores other clinics", async () => {
    const { clinic, practitioner } = await createClinic({
      name: "Harbour Dental",
      timeZone: "Australia/Sydney",
      currency: "AUD",
    });
    const service = await createService(clinic.id, "Clean", 12000);
    const client = await createClient(clinic.id, "Jo");
    const book = (startsAt: string, status: "completed" | "no_show" = "completed") =>
      createBooking({
        clinicId: clinic.id,
        practitionerId: practitioner.id,
        serviceId: service.id,
        clientId: client.id,
        startsAt,
        status,
        priceMinor: 12000,
        currency: "AUD",
      });
    await book("2026-03-31T12:30:00Z"); // 23:30 AEDT on 31 March: March
    await book("2026-03-31T13:30:00Z"); // 00:30 AEDT on 1 April: April
    await book("2026-04-30T13:30:00Z", "no_show"); // 23:30 AEST on 30 April: April
    await book("2026-04-30T14:30:00Z"); // 00:30 AEST on 1 May: May

    // A London clinic with a booking inside Sydney's April must not leak in.
    const other = await createClinic({ name: "Elsewhere" });
    const otherService = await createService(other.clinic.id, "Other", 999);
    const otherClient = await createClient(other.clinic.id, "Other");
    await createBooking({
      clinicId: other.clinic.id,
      practitionerId: other.practitioner.id,
      serviceId: otherService.id,
      clientId: otherClient.id,
      startsAt: "2026-04-10T10:00:00Z",
      status: "completed",
      priceMinor: 999,
    });

    const april = await computeMonthlySummary(clinic.id, "2026-04");
    expect(april.periodStart.toISOString()).toBe("2026-03-31T13:00:00.000Z"); // midnight AEDT (UTC+11)
    expect(april.periodEnd.toISOString()).toBe("2026-04-30T14:00:00.000Z"); // midnight AEST (UTC+10)
    expect(april).toMatchObject({
      currency: "AUD",
      bookingsTotal: 2,
      completed: 1,
      noShows: 1,
      revenueMinor: 12000,
      noShowRate: 0.5,
      previous: { bookingsTotal: 1, revenueMinor: 12000 },
    });
  });

  it("gives a null no-show rate and zeros for an empty month", async () => {
    const { clinic } = await createClinic({ timeZone: "America/New_York", currency: "USD" });
    const summary = await computeMonthlySummary(clinic.id, "2026-03");
    expect(summary).toMatchObject({
      bookingsTotal: 0,
      revenueMinor: 0,
      noShowRate: null,
      newClients: 0,
      returningClients: 0,
      topTreatments: [],
    });
    expect(summary.periodStart.toISOString()).toBe("2026-03-01T05:00:00.000Z"); // EST
    expect(summary.periodEnd.toISOString()).toBe("2026-04-01T04:00:00.000Z"); // EDT
  });

  it.each([
    ["2026-13", "must be a month written YYYY-MM"],
    ["March", "must be a month written YYYY-MM"],
  ])("refuses the period %s with a clear error", async (period, message) => {
    const { clinic } = await createClinic();
    await expect(computeMonthlySummary(clinic.id, period)).rejects.toThrow(message);
    await expect(computeMonthlySummary(clinic.id, period)).rejects.toBeInstanceOf(BillingInputError);
  });

  it("refuses an unknown clinic", async () => {
    await expect(computeMonthlySummary("00000000-0000-4000-8000-000000000000", "2026-03")).rejects.toThrow(
      "does not exist",
    );
    await expect(computeMonthlySummary("nope", "2026-03")).rejects.toThrow('Clinic id "nope" is not a uuid');
  });
});

describe("the month close's batches (computeMonthlySummaries, storeMonthlySummaries)", () => {
  it("gives each clinic and month in a batch its own figures, exactly as computed alone", async () => {
    const spring = await londonSpring();
    const sydney = await sydneyMarch();
    const empty = await createClinic({ name: "Empty", timeZone: "America/New_York", currency: "USD" });
    const requests = [
      { clinicId: spring.clinic.id, period: "2026-03" },
      { clinicId: sydney.clinic.id, period: "2026-03" },
      { clinicId: spring.clinic.id, period: "2026-04" },
      { clinicId: empty.clinic.id, period: "2026-03" },
      { clinicId: "00000000-0000-4000-8000-000000000000", period: "2026-03" }, // no such clinic: left out
    ];
    const batch = await computeMonthlySummaries(requests);
    const key = (summary: { clinicId: string; period: string }) => `${summary.clinicId}:${summary.period}`;
    expect(batch.map(key).sort()).toEqual(requests.slice(0, 4).map(key).sort());
    for (const request of requests.slice(0, 4)) {
      expect(batch.find((summary) => key(summary) === key(request))).toEqual(
        await computeMonthlySummary(request.clinicId, request.period),
      );
    }
    // The figures the one-clinic tests above pin down, now read out of a batch of four.
    const byKey = new Map(batch.map((summary) => [key(summary), summary]));
    expect(byKey.get(`${spring.clinic.id}:2026-03`)).toMatchObject({
      bookingsTotal: 6,
      revenueMinor: 15000,
      newClients: 2,
      returningClients: 1,
      topTreatments: [
        { serviceId: spring.massage.id, count: 3, revenueMinor: 9000 },
        { serviceId: spring.physio.id, count: 2, revenueMinor: 6000 },
      ],
    });
    expect(byKey.get(`${sydney.clinic.id}:2026-03`)).toMatchObject({
      currency: "AUD",
      bookingsTotal: 2,
      revenueMinor: 16000,
      newClients: 1,
      topTreatments: [{ serviceId: sydney.service.id, count: 2, revenueMinor: 16000 }],
      previous: { bookingsTotal: 0 },
    });
    expect(byKey.get(`${empty.clinic.id}:2026-03`)).toMatchObject({ bookingsTotal: 0, topTreatments: [] });
  });

  it("refuses a batch with a bad period or clinic id, naming it, before any query", async () => {
    const { clinic } = await createClinic();
    await expect(
      computeMonthlySummaries([
        { clinicId: clinic.id, period: "2026-03" },
        { clinicId: clinic.id, period: "2026-3" },
      ]),
    ).rejects.toThrow('Billing period "2026-3" must be a month written YYYY-MM');
    await expect(computeMonthlySummaries([{ clinicId: "nope", period: "2026-03" }])).rejects.toThrow(
      'Clinic id "nope" is not a uuid',
    );
  });

  it("stores the months that have ended, leaving stored months frozen and running months to the clinic's run", async () => {
    const spring = await londonSpring();
    const sydney = await sydneyMarch();
    await storeMonthlySummary(spring.clinic.id, "2026-03");
    // A booking added to March after its summary was stored: the stored figures stay as they were.
    await createBooking({
      clinicId: spring.clinic.id,
      practitionerId: (await createClinic()).practitioner.id,
      serviceId: spring.massage.id,
      clientId: (await createClient(spring.clinic.id, "Late")).id,
      startsAt: "2026-03-05T10:00:00Z",
      status: "completed",
      priceMinor: 4500,
    });

    const result = await storeMonthlySummaries(
      [
        { clinicId: spring.clinic.id, period: "2026-03" }, // stored already
        { clinicId: sydney.clinic.id, period: "2026-03" }, // ended
        { clinicId: spring.clinic.id, period: "2026-04" }, // still running on 15 April
      ],
      new Date("2026-04-15T12:00:00Z"),
    );
    expect(result).toEqual({ stored: 1, running: 1 });
    const rows = (await db.select().from(billingSummaries)).filter((row) =>
      [spring.clinic.id, sydney.clinic.id].includes(row.clinicId),
    );
    expect(
      rows.map((row) => `${row.clinicId === sydney.clinic.id ? "sydney" : "spring"} ${row.period}`).sort(),
    ).toEqual(["spring 2026-03", "sydney 2026-03"]);
    expect(rows.find((row) => row.clinicId === spring.clinic.id)).toMatchObject({
      bookingsTotal: 6,
      revenueMinor: 15000,
    });
    expect(rows.find((row) => row.clinicId === sydney.clinic.id)).toMatchObject({
      bookingsTotal: 2,
      revenueMinor: 16000,
    });
  });
});

describe("storeMonthlySummary", () => {
  it("stores one row per clinic and month, however many times and however concurrently it runs", async () => {
    const { clinic } = await londonSpring();
    const results = await Promise.all(Array.from({ length: 5 }, () => storeMonthlySummary(clinic.id, "2026-03")));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.summary.id)).size).toBe(1);
    const again = await storeMonthlySummary(clinic.id, "2026-03");
    expect(again.created).toBe(false);
    const rows = (await db.select().from(billingSummaries)).filter((row) => row.clinicId === clinic.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      period: "2026-03",
      bookingsTotal: 6,
      revenueMinor: 15000,
      noShowRate: 0.25,
      previous: { bookingsTotal: 2, completed: 2, revenueMinor: 10500 },
    });
  });

  it("refuses a month that has not ended in the clinic's zone and stores nothing", async () => {
    const { clinic } = await createClinic();
    const early = await storeMonthlySummary(clinic.id, "2026-03", new Date("2026-03-31T22:59:00Z")).catch(
      (error: unknown) => error,
    );
    expect(String(early)).toContain("has not ended yet in Europe/London");
    // "Not yet", not bad input: a job that wakes a moment early retries instead of failing for good.
    expect(early).toBeInstanceOf(BillingPeriodNotEndedError);
    expect(early).not.toBeInstanceOf(NonRetriableError);
    expect((early as BillingPeriodNotEndedError).periodEnd.toISOString()).toBe("2026-03-31T23:00:00.000Z");
    expect((await db.select().from(billingSummaries)).filter((row) => row.clinicId === clinic.id)).toHaveLength(0);
    await expect(storeMonthlySummary(clinic.id, "2026-03", new Date("2026-03-31T23:00:00Z"))).resolves.toMatchObject({
      created: true,
    });
  });

  it("lists only the clinic's own summaries, newest month first (what /dashboard/billing shows)", async () => {
    const { clinic } = await londonSpring();
    const other = await createClinic({ name: "Other" });
    for (const period of ["2026-02", "2026-04", "2026-03"]) await storeMonthlySummary(clinic.id, period);
    await storeMonthlySummary(other.clinic.id, "2026-05");
    const listed = await listSummaries(clinic.id);
    expect(listed.map((row) => row.period)).toEqual(["2026-04", "2026-03", "2026-02"]);
    expect(listed.every((row) => row.clinicId === clinic.id)).toBe(true);
  });
});
