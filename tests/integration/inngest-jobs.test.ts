import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { eq, like, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { jobs } from "@/jobs";
import { SUMMARY_BATCH } from "@/jobs/billing-summary-monthly";
import { db } from "@/lib/db/client";
import { billingSummaries, bookings, clinics, emailOutbox, users } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { createInngestClient } from "@/lib/jobs/inngest/client";
import { toInngestFunction } from "@/lib/jobs/inngest/functions";
import { createInvitationToken } from "@/lib/team/invitation-token";
import { inviteMember, revokeInvitation } from "@/lib/team/invitations";
import { createMember } from "../fixtures/clinic";
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
    expect(emails[0].attachments.map((file) => file.filename)).toEqual(["appointment.ics"]);
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
        steps: [{ id: "request-summaries-0", handler: () => ({ ids: [] }) }],
      });

      const active = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.active, true));
      expect(ctx.step.sendEvent).toHaveBeenCalledTimes(1);
      const [stepId, sent] = ctx.step.sendEvent.mock.calls[0] as [
        string,
        { id: string; name: string; data: { clinicId: string; period: string } }[],
      ];
      expect(stepId).toBe("request-summaries-0"); // one batch: fewer than SUMMARY_BATCH clinics
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
      // The months were stored set-based by the fan-out's own steps, on Inngest as on Postgres.
      expect(result).toEqual({ requested: active.length, stored: active.length });
      const stored = await db
        .select({ clinicId: billingSummaries.clinicId })
        .from(billingSummaries)
        .where(eq(billingSummaries.period, "2026-10"));
      expect(stored.map((row) => row.clinicId)).toEqual(
        expect.arrayContaining([london.clinic.id, losAngeles.clinic.id]),
      );
    },
  );

  it("billing-summary-monthly stores and asks for the clinics a batch at a time, each batch asked for once stored", async () => {
    // 1,001 clinics, as the list step would return them: three batches, the last of one clinic.
    const listed = Array.from({ length: 2 * SUMMARY_BATCH + 1 }, () => ({
      id: randomUUID(),
      timeZone: "Europe/London",
    }));
    const order: string[] = [];
    const storeStep = (index: number) => ({
      id: `store-summaries-${index}`,
      handler: () => {
        order.push(`store ${index}`);
        return { stored: index === 2 ? 1 : SUMMARY_BATCH, running: 0 };
      },
    });
    const t = new InngestTestEngine({ function: fn("billing-summary-monthly") });
    const { result, ctx } = await t.execute({
      events: [{ name: "inngest/scheduled.timer", data: {}, ts: Date.UTC(2026, 10, 1, 6, 0) }],
      steps: [
        { id: "list-active-clinics", handler: () => listed },
        storeStep(0),
        storeStep(1),
        storeStep(2),
        ...[0, 1, 2].map((index) => ({
          id: `request-summaries-${index}`,
          handler: () => {
            order.push(`request ${index}`);
            return { ids: [] };
          },
        })),
      ],
    });
    expect(order).toEqual(["store 0", "request 0", "store 1", "request 1", "store 2", "request 2"]);
    const sent = ctx.step.sendEvent.mock.calls.map(([stepId, events]) => ({
      stepId,
      clinics: (events as { data: { clinicId: string } }[]).map((event) => event.data.clinicId),
    }));
    expect(sent.map((call) => call.stepId)).toEqual([
      "request-summaries-0",
      "request-summaries-1",
      "request-summaries-2",
    ]);
    expect(sent.flatMap((call) => call.clinics)).toEqual(listed.map((clinic) => clinic.id));
    expect(sent.map((call) => call.clinics.length)).toEqual([SUMMARY_BATCH, SUMMARY_BATCH, 1]);
    expect(result).toEqual({ requested: listed.length, stored: listed.length });
  });

  it("appointment-reminder sends nothing for a booking made less than 24 h ahead: the confirmation carries it", async () => {
    const { booking } = await createBookedClinic({ hoursAhead: 5 });
    const t = new InngestTestEngine({ function: fn("appointment-reminder") });
    const { result, ctx } = await t.execute({
      events: [{ name: "booking/created", data: { bookingId: booking.id, clinicId: booking.clinicId } }],
    });
    expect(result).toEqual({ sent: false, reason: "in-confirmation" });
    expect(ctx.step.sleepUntil).not.toHaveBeenCalled();
    expect(await outboxFor(`appointment-reminder:${booking.id}`)).toHaveLength(0);
  });

  jobTest(
    "booking-cancellation",
    "booking-cancellation emails the client and each owner once, through a failed attempt, its retry and a replay",
    async () => {
      const { booking, client: patient, clinic } = await createBookedClinic({ hoursAhead: 72 });
      const owners = [await createOwner(clinic.id, "Olive Owner"), await createOwner(clinic.id, "Otto Owner")];
      const cancelled = {
        name: "booking/cancelled",
        data: { bookingId: booking.id, clinicId: booking.clinicId, by: "clinic" },
      };
      const expected = [patient.email, ...owners.map((owner) => owner.email)].sort();
      const recipients = async () =>
        (await outboxFor(`booking-cancellation:${booking.id}:`)).map((email) => email.recipient).sort();

      // First attempt: writing the second owner's email fails (a trigger stands in for an outage).
      await db.execute(
        sql.raw(`
        create function fail_second_owner() returns trigger language plpgsql as $$
        begin
          if new.recipient = '${owners[1].email}' then raise exception 'mail store unavailable'; end if;
          return new;
        end $$;
        create trigger fail_second_owner before insert on email_outbox
          for each row execute function fail_second_owner();
      `),
      );
      const first = await new InngestTestEngine({ function: fn("booking-cancellation") }).execute({
        events: [cancelled],
      });
      await db.execute(sql`drop trigger fail_second_owner on email_outbox; drop function fail_second_owner()`);
      expect(String((first.error as Error | undefined)?.message ?? first.error)).toMatch(
        /mail store unavailable|Failed query/,
      );
      expect(await recipients()).toEqual([patient.email, owners[0].email].sort());

      // The retry, then a replay from scratch: every step runs again, the keys send nothing twice.
      for (let pass = 0; pass < 2; pass++) {
        const { result } = await new InngestTestEngine({ function: fn("booking-cancellation") }).execute({
          events: [cancelled],
        });
        expect(result).toEqual({ emailed: 3 });
      }
      expect(await recipients()).toEqual(expected);
      const owner = (await outboxFor(`booking-cancellation:${booking.id}:owner:${owners[0].id}`))[0];
      expect(owner.text).toContain("your clinic cancelled");
    },
  );

  jobTest(
    "booking-rescheduled",
    "booking-rescheduled emails the client and the owner once; a move to under 24 h ahead gets no reminder",
    async () => {
      const { booking, client: patient, clinic } = await createBookedClinic({ hoursAhead: 72 });
      const owner = await createOwner(clinic.id, "Olive Owner");
      const newStart = new Date(booking.startsAt.getTime() - 60 * 3_600_000); // 12 hours from now
      await db
        .update(bookings)
        .set({ startsAt: newStart, endsAt: new Date(newStart.getTime() + 45 * 60_000) })
        .where(eq(bookings.id, booking.id));
      // One move, delivered twice (a retry keeps the event's id): one email per recipient.
      const moved = {
        id: randomUUID(),
        name: "booking/rescheduled",
        data: { bookingId: booking.id, clinicId: booking.clinicId },
      };
      for (let pass = 0; pass < 2; pass++) {
        const { result } = await new InngestTestEngine({ function: fn("booking-rescheduled") }).execute({
          events: [moved],
        });
        expect(result).toEqual({ emailed: 2 });
      }
      const emails = await outboxFor(`booking-rescheduled:${moved.id}:`);
      expect(emails.map((email) => email.recipient).sort()).toEqual([patient.email, owner.email].sort());
      expect(emails.find((email) => email.recipient === patient.email)!.text).toContain("this is your reminder too");
      // An event without `by` (sent before it existed) was the client's move.
      expect(emails.find((email) => email.recipient === owner.email)!.text).toContain(
        "Sam Patel moved this appointment",
      );

      const reminder = new InngestTestEngine({ function: fn("appointment-reminder") });
      const { result, ctx } = await reminder.execute({ events: [moved] });
      expect(result).toEqual({ sent: false, reason: "in-reschedule-email" });
      expect(ctx.step.sleepUntil).not.toHaveBeenCalled();
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

  it("billing-summary still stores and lists the owners for a run whose first step was checkpointed without them", async () => {
    // What check-month-ended returned before it looked up the stored summary and the
    // owners too: a run in flight on Inngest across the upgrade replays this output.
    const { clinic } = await createClinic({ name: "Upgrade Clinic" });
    const owner = await createOwner(clinic.id, "Uma Owner");
    const t = new InngestTestEngine({ function: fn("billing-summary") });
    const { result, ctx } = await t.execute({
      events: [{ name: "billing/summary.requested", data: { clinicId: clinic.id, period: "2025-10" } }],
      steps: [{ id: "check-month-ended", handler: () => ({ periodEnd: "2025-11-01T00:00:00.000Z", ended: true }) }],
    });

    expect(result).toMatchObject({ created: true, emailed: 1 });
    const stepIds = ctx.step.run.mock.calls.map(([id]) => id);
    expect(stepIds).toEqual(["check-month-ended", "store-summary", "list-owners", `email-owner-${owner.id}`]);
    expect(await outboxFor(`billing-summary:${clinic.id}:2025-10:`)).toHaveLength(1);
  });

  jobTest(
    "team-invitation",
    "team-invitation emails the invitee their link once; a revoked one not at all",
    async () => {
      const { clinic } = await createClinic({ name: "Invite Clinic" });
      const owner = await createMember(clinic, "owner");
      const { invitation } = await inviteMember(owner, { email: "ines@example.com", role: "admin" });
      const invited = { name: "team/member.invited", data: { invitationId: invitation.id, clinicId: clinic.id } };
      for (let pass = 0; pass < 2; pass++) {
        const { result, ctx } = await new InngestTestEngine({ function: fn("team-invitation") }).execute({
          events: [invited],
        });
        expect(result).toMatchObject({ sent: true });
        expect(ctx.step.run).toHaveBeenCalledWith("send-invitation-email", expect.any(Function));
      }
      const emails = await outboxFor(`team-invitation:${invitation.id}`);
      expect(emails.map((email) => email.recipient)).toEqual(["ines@example.com"]);
      expect(emails[0].text).toContain(`${env().APP_URL}/invite/${createInvitationToken(invitation.id)}`);
      expect(emails[0].text).toContain("as an admin");

      const { invitation: withdrawn } = await inviteMember(owner, { email: "wes@example.com", role: "staff" });
      await revokeInvitation(owner, { id: withdrawn.id });
      const { result, ctx } = await new InngestTestEngine({ function: fn("team-invitation") }).execute({
        events: [{ name: "team/member.invited", data: { invitationId: withdrawn.id, clinicId: clinic.id } }],
      });
      expect(result).toEqual({ sent: false, reason: "invitation revoked" });
      expect(ctx.step.run).not.toHaveBeenCalledWith("send-invitation-email", expect.any(Function));
      expect(await outboxFor(`team-invitation:${withdrawn.id}`)).toEqual([]);
    },
  );

  jobTest("password-reset", "password-reset emails a fresh link; a deleted account gets nothing", async () => {
    const { clinic } = await createClinic({ name: "Reset Clinic" });
    const user = await createOwner(clinic.id, "Pat Reset");
    const { result, ctx } = await new InngestTestEngine({ function: fn("password-reset") }).execute({
      events: [{ name: "auth/password-reset.requested", data: { userId: user.id } }],
    });
    expect(result).toMatchObject({ sent: true, email: { via: "outbox", created: true } });
    expect(ctx.step.run).toHaveBeenCalledWith("send-reset-email", expect.any(Function));
    const emails = await outboxFor(`password-reset:${user.id}:`);
    expect(emails.map((email) => email.recipient)).toEqual([user.email]);
    const [, token] = new RegExp(`${env().APP_URL}/reset-password\\?token=(\\w+)`).exec(emails[0].text) ?? [];
    expect(token).toBeTruthy();
    // What Inngest stores, the step's output and the run's result, holds the email's outcome and not the token.
    const stepOutput = await ctx.step.run.mock.results[0].value;
    expect(stepOutput).toMatchObject({ via: "outbox", created: true });
    expect(JSON.stringify([stepOutput, result])).not.toContain(token);

    const { result: gone } = await new InngestTestEngine({ function: fn("password-reset") }).execute({
      events: [{ name: "auth/password-reset.requested", data: { userId: "no-such-user" } }],
    });
    expect(gone).toEqual({ sent: false, reason: "account not found" });
  });

  jobTest(
    "email-verification",
    "email-verification emails one confirmation link per request; a confirmed or deleted account gets nothing",
    async () => {
      const { clinic } = await createClinic({ name: "Confirm Clinic" });
      const user = await createOwner(clinic.id, "Cleo Confirm");
      await db.update(users).set({ emailVerified: false }).where(eq(users.id, user.id));
      const requested = { id: randomUUID(), name: "auth/email-verification.requested", data: { userId: user.id } };
      // Run twice for one event (a retry after the email went out): one email.
      for (let pass = 0; pass < 2; pass++) {
        const { result, ctx } = await new InngestTestEngine({ function: fn("email-verification") }).execute({
          events: [requested],
        });
        expect(result).toMatchObject({ sent: true, email: { via: "outbox", created: pass === 0 } });
        expect(ctx.step.run).toHaveBeenCalledWith("send-confirmation-email", expect.any(Function));
        const [link] = new RegExp(`${env().APP_URL}/api/auth/verify-email\\?token=[\\w.-]+`).exec(
          (await outboxFor(`email-verification:${user.id}:`))[0].text,
        ) ?? [""];
        expect(link).not.toBe("");
        // What Inngest stores, the step's output and the run's result, holds no link.
        const stepOutput = await ctx.step.run.mock.results[0].value;
        expect(JSON.stringify([stepOutput, result])).not.toContain(new URL(link).searchParams.get("token"));
      }
      expect(await outboxFor(`email-verification:${user.id}:`)).toHaveLength(1);
      expect((await outboxFor(`email-verification:${user.id}:`))[0].idempotencyKey).toBe(
        `email-verification:${user.id}:${requested.id}`,
      );

      await db.update(users).set({ emailVerified: true }).where(eq(users.id, user.id));
      for (const userId of [user.id, "no-such-user"]) {
        const { result } = await new InngestTestEngine({ function: fn("email-verification") }).execute({
          events: [{ id: randomUUID(), name: "auth/email-verification.requested", data: { userId } }],
        });
        expect(result).toEqual({ sent: false, reason: "account not found or already confirmed" });
      }
      expect(await outboxFor(`email-verification:${user.id}:`)).toHaveLength(1);
    },
  );

  jobTest(
    "email-change",
    "email-change emails the new address its link once per request; a deleted account gets nothing",
    async () => {
      const { clinic } = await createClinic({ name: "Move Clinic" });
      const user = await createOwner(clinic.id, "Mo Move");
      const requested = {
        id: randomUUID(),
        name: "auth/email-change.requested",
        data: { userId: user.id, newEmail: "mo.new@example.com" },
      };
      for (let pass = 0; pass < 2; pass++) {
        const { result, ctx } = await new InngestTestEngine({ function: fn("email-change") }).execute({
          events: [requested],
        });
        expect(result).toMatchObject({ sent: true, email: { via: "outbox", created: pass === 0 } });
        expect(ctx.step.run).toHaveBeenCalledWith("send-change-email", expect.any(Function));
      }
      const emails = await outboxFor(`email-change:${user.id}:`);
      expect(emails.map((email) => [email.recipient, email.idempotencyKey])).toEqual([
        ["mo.new@example.com", `email-change:${user.id}:${requested.id}`],
      ]);
      expect(emails[0].text).toMatch(new RegExp(`${env().APP_URL}/confirm-email-change\\?token=[\\w-]{43}`));

      const { result: gone } = await new InngestTestEngine({ function: fn("email-change") }).execute({
        events: [{ ...requested, id: randomUUID(), data: { userId: "no-such-user", newEmail: "x@example.com" } }],
      });
      expect(gone).toEqual({ sent: false, reason: "account not found" });
    },
  );

  jobTest(
    "email-changed",
    "email-changed tells the address an account left, once per change, even if the account is gone since",
    async () => {
      const { clinic } = await createClinic({ name: "Moved Clinic" });
      const user = await createOwner(clinic.id, "Max Moved");
      const changed = {
        id: randomUUID(),
        name: "auth/email-changed",
        ts: Date.parse("2026-03-02T09:30:00Z"),
        data: { userId: user.id, previousEmail: "max.old@example.com", newEmail: "max.new@example.com" },
      };
      for (let pass = 0; pass < 2; pass++) {
        const { result, ctx } = await new InngestTestEngine({ function: fn("email-changed") }).execute({
          events: [changed],
        });
        expect(result).toMatchObject({ sent: true, email: { via: "outbox", created: pass === 0 } });
        expect(ctx.step.run).toHaveBeenCalledWith("send-changed-notice", expect.any(Function));
      }
      const emails = await outboxFor(`email-changed:${user.id}:`);
      expect(emails.map((email) => [email.recipient, email.idempotencyKey])).toEqual([
        ["max.old@example.com", `email-changed:${user.id}:${changed.id}`],
      ]);
      expect(emails[0].text).toContain("Hi Max Moved, your Slotline account signs in with max.new@example.com");
      expect(emails[0].text).toContain("confirmed from that address on Monday, 2 March 2026 at 09:30 UTC.");
      expect(emails[0].text).toMatch(/\/undo-email-change\?token=[\w-]{43}/);

      const gone = { ...changed, id: randomUUID(), data: { ...changed.data, userId: "no-such-user" } };
      const { result } = await new InngestTestEngine({ function: fn("email-changed") }).execute({ events: [gone] });
      expect(result).toMatchObject({ sent: true, email: { via: "outbox", created: true } });
      const [goneNotice] = await outboxFor("email-changed:no-such-user:");
      expect(goneNotice.text).toContain("Hi there,");
      // No account to give back: no link.
      expect(goneNotice.text).toContain("The account has been deleted since");
      expect(goneNotice.text).not.toContain("undo-email-change");
    },
  );

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
