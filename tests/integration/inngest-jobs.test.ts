import { InngestTestEngine } from "@inngest/test";
import { eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { jobs } from "@/jobs";
import { db } from "@/lib/db/client";
import { billingSummaries, clinics, emailOutbox } from "@/lib/db/schema";
import { createInngestClient } from "@/lib/jobs/inngest/client";
import { toInngestFunction } from "@/lib/jobs/inngest/functions";
import {
  createBookedClinic,
  createBooking,
  createClient,
  createClinic,
  createOwner,
  createService,
} from "./job-fixtures";

// Every job in the registry, run by Inngest's own execution engine (@inngest/test)
// against the real database. Sleeps and outgoing events are mocked by step id, as
// Inngest Cloud would answer them; emails land in email_outbox (no RESEND_API_KEY).

const client = createInngestClient({ isDev: true });
const fn = (id: string) => {
  const job = jobs.find((candidate) => candidate.options.id === id);
  if (!job) throw new Error(`No job ${id} in the registry`);
  return toInngestFunction(client, job);
};
const outboxFor = (prefix: string) =>
  db
    .select()
    .from(emailOutbox)
    .where(like(emailOutbox.idempotencyKey, `${prefix}%`));
/** Job ids that have a test below, recorded when the tests are collected so the coverage check also passes alone (`-t`). */
const tested = new Set<string>();
function jobTest(jobId: string, name: string, body: () => Promise<void>) {
  tested.add(jobId);
  it(name, body);
}

describe("the registry's jobs on Inngest", () => {
  jobTest("booking-confirmation", "booking-confirmation sends one email", async () => {
    const { booking, client: patient } = await createBookedClinic({ hoursAhead: 72 });
    const t = new InngestTestEngine({ function: fn("booking-confirmation") });
    const { result, ctx } = await t.execute({
      events: [{ name: "booking/created", data: { bookingId: booking.id, clinicId: booking.clinicId } }],
    });

    expect(result).toMatchObject({ sent: true });
    expect(ctx.step.run).toHaveBeenCalledWith("send-confirmation-email", expect.any(Function));
    const emails = await outboxFor(`booking-confirmation:${booking.id}`);
    expect(emails.map((email) => email.recipient)).toEqual([patient.email]);
  });

  jobTest(
    "appointment-reminder",
    "appointment-reminder sleeps until 24 h before the appointment, then sends one email",
    async () => {
      const { booking, client: patient } = await createBookedClinic({ hoursAhead: 72 });
      const t = new InngestTestEngine({ function: fn("appointment-reminder") });
      const { result, ctx } = await t.execute({
        events: [{ name: "booking/created", data: { bookingId: booking.id, clinicId: booking.clinicId } }],
        // What Inngest does when the sleep ends: the step resolves and the run goes on.
        steps: [{ id: "wait-until-24h-before", handler: () => null }],
      });

      expect(ctx.step.sleepUntil).toHaveBeenCalledTimes(1);
      const [stepId, until] = ctx.step.sleepUntil.mock.calls[0] as [string, Date];
      expect(stepId).toBe("wait-until-24h-before");
      expect(new Date(until).getTime()).toBe(booking.startsAt.getTime() - 24 * 3_600_000);
      expect(result).toMatchObject({ sent: true });
      const emails = await outboxFor(`appointment-reminder:${booking.id}`);
      expect(emails.map((email) => email.recipient)).toEqual([patient.email]);
    },
  );

  jobTest(
    "billing-summary-monthly",
    "billing-summary-monthly fans out one event per active clinic, with its id and the month that ended",
    async () => {
      const london = await createClinic({ name: "London Clinic", timeZone: "Europe/London" });
      const losAngeles = await createClinic({ name: "LA Clinic", timeZone: "America/Los_Angeles" });
      const closed = await createClinic({ name: "Closed Clinic", active: false });
      // 06:00 in London on 1 November 2026 (GMT): still 31 October in Los Angeles.
      const ts = Date.UTC(2026, 10, 1, 6, 0);
      const t = new InngestTestEngine({ function: fn("billing-summary-monthly") });
      const { result, ctx } = await t.execute({
        events: [{ name: "inngest/scheduled.timer", data: { cron: "TZ=Europe/London 0 6 1 * *" }, ts }],
        steps: [{ id: "request-summaries", handler: () => ({ ids: [] }) }],
      });

      const active = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.active, true));
      expect(ctx.step.sendEvent).toHaveBeenCalledTimes(1);
      const [stepId, sent] = ctx.step.sendEvent.mock.calls[0] as [
        string,
        { id: string; name: string; data: { clinicId: string; period: string } }[],
      ];
      expect(stepId).toBe("request-summaries");
      expect(sent).toHaveLength(active.length);
      expect(new Set(sent.map((event) => event.data.clinicId))).toEqual(new Set(active.map((clinic) => clinic.id)));
      expect(sent.map((event) => event.data.clinicId)).not.toContain(closed.clinic.id);
      for (const event of sent) {
        expect(event.name).toBe("billing/summary.requested");
        expect(event.id).toBe(`billing-summary:${event.data.clinicId}:${event.data.period}`);
      }
      const periodOf = (clinicId: string) => sent.find((event) => event.data.clinicId === clinicId)?.data.period;
      expect(periodOf(london.clinic.id)).toBe("2026-10");
      expect(periodOf(losAngeles.clinic.id)).toBe("2026-10");
      expect(result).toEqual({ requested: active.length });
    },
  );

  jobTest("billing-summary", "billing-summary stores the month once and emails the owner once", async () => {
    const { clinic, practitioner } = await createClinic({ name: "Summary Clinic" });
    const owner = await createOwner(clinic.id, "Olive Owner");
    const service = await createService(clinic.id, "Physio", 6000);
    const patient = await createClient(clinic.id, "Pat Client");
    const base = {
      clinicId: clinic.id,
      practitionerId: practitioner.id,
      serviceId: service.id,
      clientId: patient.id,
      priceMinor: 6000,
    };
    await createBooking({ ...base, startsAt: "2025-10-07T09:00:00Z", status: "completed" });
    await createBooking({ ...base, startsAt: "2025-10-14T09:00:00Z", status: "no_show" });

    const t = new InngestTestEngine({ function: fn("billing-summary") });
    const { result } = await t.execute({
      events: [{ name: "billing/summary.requested", data: { clinicId: clinic.id, period: "2025-10" } }],
    });

    expect(result).toMatchObject({ created: true, emailed: 1 });
    const stored = await db.select().from(billingSummaries).where(eq(billingSummaries.clinicId, clinic.id));
    expect(stored).toHaveLength(1);
    const emails = await db.select().from(emailOutbox).where(eq(emailOutbox.recipient, owner.email));
    expect(emails).toHaveLength(1);
  });

  it("a payload the catalog refuses fails the run before the handler starts", async () => {
    const t = new InngestTestEngine({ function: fn("booking-confirmation") });
    const { error, ctx } = await t.execute({
      events: [{ name: "booking/created", data: { bookingId: "not-a-uuid", clinicId: "x" } }],
    });
    expect(String((error as Error | undefined)?.message ?? error)).toMatch(/bookingId/);
    expect(ctx.step.run).not.toHaveBeenCalled();
  });

  it("covers every job in the registry", () => {
    expect([...tested].sort()).toEqual(jobs.map((job) => job.options.id).sort());
  });
});
