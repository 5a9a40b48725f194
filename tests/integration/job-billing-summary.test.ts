import { and, eq, like } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { billingSummaries, clinics, emailOutbox, jobEvents, jobRuns, jobSteps } from "@/lib/db/schema";
import { createCronRun } from "@/lib/jobs/cron";
import { drain } from "@/lib/jobs/postgres/drain";
import { resetDatabaseClock, setDatabaseClock } from "@/lib/jobs/postgres/clock";
import { sendEvent } from "@/lib/jobs/send";
import { createBooking, createClient, createClinic, createOwner, createService } from "./job-fixtures";

// Both billing jobs through the real engine and the registry in jobs/index.ts.

const summaryRequested = (clinicId: string, period: string, id?: string) =>
  sendEvent({ name: "billing/summary.requested", id, data: { clinicId, period } });
const summaryRuns = (eventId: string) =>
  db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.jobId, "billing-summary"), eq(jobRuns.eventId, eventId)));

/** The steps a billing-summary run checkpointed, by id. */
async function stepIds(eventId: string) {
  const [run] = await summaryRuns(eventId);
  const steps = await db.select({ stepId: jobSteps.stepId }).from(jobSteps).where(eq(jobSteps.runId, run.id));
  return steps.map((step) => step.stepId).sort();
}

async function clinicWithOctober() {
  const { clinic, practitioner } = await createClinic({ name: "October Clinic" });
  const service = await createService(clinic.id, "Massage", 5000);
  const client = await createClient(clinic.id, "Robin");
  for (const [startsAt, status] of [
    ["2026-09-30T23:30:00Z", "completed"], // 00:30 BST on 1 October
    ["2026-10-14T09:00:00Z", "completed"],
    ["2026-10-20T09:00:00Z", "no_show"],
  ] as const) {
    await createBooking({
      clinicId: clinic.id,
      practitionerId: practitioner.id,
      serviceId: service.id,
      clientId: client.id,
      startsAt,
      status,
      priceMinor: 5000,
    });
  }
  const owners = [await createOwner(clinic.id, "Olive Owner"), await createOwner(clinic.id, "Oscar Owner")];
  const staff = await createOwner(clinic.id, "Stan Staff", "staff");
  return { clinic, owners, staff };
}

describe("billing-summary-monthly (cron fan-out)", () => {
  it("emits one billing/summary.requested per active clinic for the month that just ended in its zone, and skips inactive clinics", async () => {
    const london = await createClinic({ name: "London" });
    const sydney = await createClinic({ name: "Sydney", timeZone: "Australia/Sydney", currency: "AUD" });
    const losAngeles = await createClinic({ name: "LA", timeZone: "America/Los_Angeles", currency: "USD" });
    const closed = await createClinic({ name: "Closed", active: false });

    // The slot of 1 November 2026, 06:00 London time: a late or doubled call gives the same run.
    const { run, created } = await createCronRun("billing-summary-monthly", new Date("2026-11-01T06:00:00Z"));
    expect(created).toBe(true);
    expect((await createCronRun("billing-summary-monthly", new Date("2026-11-02T09:00:00Z"))).run.id).toBe(run.id);
    await setDatabaseClock(new Date("2026-11-01T06:00:05Z"));
    await drain({ budgetMs: 30_000 });
    await resetDatabaseClock();

    const [finished] = await db.select().from(jobRuns).where(eq(jobRuns.id, run.id));
    const active = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.active, true));
    expect(finished).toMatchObject({ status: "completed", output: { requested: active.length } });

    const events = await db.select().from(jobEvents).where(eq(jobEvents.name, "billing/summary.requested"));
    const byClinic = new Map(events.map((event) => [(event.data as { clinicId: string }).clinicId, event]));
    for (const { clinic } of [london, sydney, losAngeles]) {
      // LA is still on 31 October at 23:00 local: it gets October too, not September.
      expect(byClinic.get(clinic.id)).toMatchObject({
        id: `billing-summary:${clinic.id}:2026-10`,
        data: { clinicId: clinic.id, period: "2026-10" },
      });
    }
    expect(byClinic.has(closed.clinic.id)).toBe(false);
    expect(events).toHaveLength(active.length);

    // The fan-out stored every month set-based; each clinic's run found its month stored.
    expect(finished.output).toMatchObject({ stored: active.length });
    for (const { clinic } of [london, sydney, losAngeles]) {
      const [clinicRun] = await summaryRuns(`billing-summary:${clinic.id}:2026-10`);
      expect(clinicRun, clinic.name).toMatchObject({ status: "completed", output: { created: false } });
    }
  });

  it("leaves the clinics of a batch that fails to their own runs: one clinic's error costs no one else their summary", async () => {
    const fine = await clinicWithOctober();
    // Revenue past PostgreSQL's int range: computing this clinic's month fails, in a batch or alone.
    const { clinic: broken, practitioner } = await createClinic({ name: "Overflow" });
    const service = await createService(broken.id, "Gold", 2_000_000_000);
    const client = await createClient(broken.id, "Rich");
    for (const startsAt of ["2026-11-10T10:00:00Z", "2026-11-11T10:00:00Z"]) {
      await createBooking({
        clinicId: broken.id,
        practitionerId: practitioner.id,
        serviceId: service.id,
        clientId: client.id,
        startsAt,
        status: "completed",
        priceMinor: 2_000_000_000,
      });
    }

    const { run } = await createCronRun("billing-summary-monthly", new Date("2026-12-01T06:00:00Z"));
    await setDatabaseClock(new Date("2026-12-01T06:00:05Z"));
    await drain({ budgetMs: 30_000 });
    await resetDatabaseClock();

    const [monthly] = await db.select().from(jobRuns).where(eq(jobRuns.id, run.id));
    expect(monthly).toMatchObject({ status: "completed", output: { stored: 0 } });
    const [batch] = await db
      .select()
      .from(jobSteps)
      .where(and(eq(jobSteps.runId, run.id), eq(jobSteps.stepId, "store-summaries-0")));
    expect(batch.output).toMatchObject({ stored: 0, error: expect.stringContaining("out of range") });

    const [fineRun] = await summaryRuns(`billing-summary:${fine.clinic.id}:2026-11`);
    expect(fineRun).toMatchObject({ status: "completed", output: { created: true, emailed: 2 } });
    const [brokenRun] = await summaryRuns(`billing-summary:${broken.id}:2026-11`);
    expect(brokenRun.status).not.toBe("completed");
    expect(brokenRun.error).not.toBeNull();
    expect(await db.select().from(billingSummaries).where(eq(billingSummaries.clinicId, broken.id))).toHaveLength(0);
  });
});

describe("billing-summary", () => {
  it("stores one summary and emails each owner once (not staff), even when it runs twice", async () => {
    const { clinic, owners, staff } = await clinicWithOctober();
    const [first] = await summaryRequested(clinic.id, "2026-10");
    await drain({ budgetMs: 15_000 });
    const [second] = await summaryRequested(clinic.id, "2026-10", `manual-rerun:${clinic.id}`);
    await drain({ budgetMs: 15_000 });

    expect((await summaryRuns(first.id))[0]).toMatchObject({
      status: "completed",
      output: { created: true, emailed: 2 },
    });
    expect((await summaryRuns(second.id))[0]).toMatchObject({
      status: "completed",
      output: { created: false, emailed: 2 },
    });

    // The first run stores the month; the second finds it, and its owners, in its first step.
    const ownerSteps = owners.map((owner) => `email-owner-${owner.id}`);
    expect(await stepIds(first.id)).toEqual(["check-month-ended", "store-summary", ...ownerSteps].sort());
    expect(await stepIds(second.id)).toEqual(["check-month-ended", ...ownerSteps].sort());

    const stored = await db.select().from(billingSummaries).where(eq(billingSummaries.clinicId, clinic.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      period: "2026-10",
      bookingsTotal: 3,
      completed: 2,
      noShows: 1,
      revenueMinor: 10000,
      noShowRate: 1 / 3,
      newClients: 1,
    });

    const emails = await db
      .select()
      .from(emailOutbox)
      .where(like(emailOutbox.idempotencyKey, `billing-summary:${clinic.id}:2026-10:%`));
    expect(emails.map((email) => email.idempotencyKey).sort()).toEqual(
      owners.map((owner) => `billing-summary:${clinic.id}:2026-10:${owner.id}`).sort(),
    );
    expect(emails.map((email) => email.recipient)).not.toContain(staff.email);
    expect(emails[0].subject).toBe("October Clinic: your summary for October 2026");
    expect(emails[0].text).toContain("£100.00");
    expect(emails[0].text).toContain("No-show rate: 33.3%");
  });

  it("waits for the month to end in the clinic's zone before computing it", async () => {
    const { clinic } = await createClinic({ name: "Early", timeZone: "America/Los_Angeles", currency: "USD" });
    const zone = "America/Los_Angeles";
    const period = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit" }).format(
      new Date(),
    ); // the month running now
    const [event] = await summaryRequested(clinic.id, period);
    await drain({ budgetMs: 30_000 });

    const [run] = await summaryRuns(event.id);
    expect(run.status).toBe("sleeping");
    const nextMonth = String((Number(period.slice(5)) % 12) + 1).padStart(2, "0");
    const wakeLocal = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(run.runAt);
    expect(wakeLocal).toBe(`${nextMonth}/01, 00:00`); // the month's last local midnight in Los Angeles
    expect(await db.select().from(billingSummaries).where(eq(billingSummaries.clinicId, clinic.id))).toHaveLength(0);
  });

  it("retries, rather than fails for good, when it wakes a moment before the month has ended (an early Inngest wake-up)", async () => {
    const { clinic } = await createClinic({ name: "Woken early" });
    const nextMonth = new Date(Date.now() + 32 * 24 * 3_600_000);
    const period = new Intl.DateTimeFormat("en-CA", {
      timeZone: "Europe/London",
      year: "numeric",
      month: "2-digit",
    }).format(nextMonth); // far from ended
    const [event] = await summaryRequested(clinic.id, period);
    await drain({ budgetMs: 30_000 });
    const [sleeping] = await summaryRuns(event.id);
    expect(sleeping.status).toBe("sleeping");

    // The engine's clock says the sleep is over; the store's clock (the real one) says the month is still running.
    await setDatabaseClock(new Date(sleeping.runAt.getTime() + 1_000));
    await drain({ budgetMs: 30_000 });
    await resetDatabaseClock();
    const [early] = await summaryRuns(event.id);
    expect(early).toMatchObject({ status: "queued", attempt: 1, error: { name: "BillingPeriodNotEndedError" } });
    expect(early.error?.message).toContain("has not ended yet");
    expect(await db.select().from(billingSummaries).where(eq(billingSummaries.clinicId, clinic.id))).toHaveLength(0);

    // Once the month has really ended, the retry stores it.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(sleeping.runAt.getTime() + 3_600_000) });
    await setDatabaseClock(new Date(sleeping.runAt.getTime() + 3_600_000));
    try {
      await drain({ budgetMs: 30_000 });
    } finally {
      vi.useRealTimers();
      await resetDatabaseClock();
    }
    expect((await summaryRuns(event.id))[0]).toMatchObject({ status: "completed", output: { created: true } });
  });

  it("fails at once, without retries, for a clinic that does not exist", async () => {
    const [event] = await summaryRequested("00000000-0000-4000-8000-000000000000", "2026-10");
    await drain({ budgetMs: 30_000 });
    const [run] = await summaryRuns(event.id);
    expect(run).toMatchObject({ status: "failed", attempt: 1 });
    expect(run.error?.message).toContain("does not exist");
  });

  it("refuses a malformed period at sendEvent, before anything is written", async () => {
    const { clinic } = await createClinic();
    await expect(summaryRequested(clinic.id, "2026-13", `bad:${clinic.id}`)).rejects.toThrow("period must be YYYY-MM");
    expect(
      await db
        .select()
        .from(jobEvents)
        .where(eq(jobEvents.id, `bad:${clinic.id}`)),
    ).toHaveLength(0);
  });
});
