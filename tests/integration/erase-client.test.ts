import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runMemberAction } from "@/lib/auth/action";
import type { Member } from "@/lib/auth/member";
import { insertBookingWithEvent } from "@/lib/booking/create-booking";
import { findClient, updateClientAction } from "@/lib/clinic/clients";
import { ALREADY_ERASED, ERASED_NAME, eraseClientAction, erasedEmail } from "@/lib/clinic/erase-client";
import { db } from "@/lib/db/client";
import { bookings, clients, emailDeliveries, emailOutbox } from "@/lib/db/schema";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { form } from "../fixtures/clinic";
import { createClient, createClinicWithMember, hoursFromNow } from "./job-fixtures";

// Erasing a client on request: their details leave every table, their appointments stay,
// and every way the erasure is refused changes nothing.

const PRIVATE_NAME = "Rhea Private";
const PRIVATE_PHONE = "+44 20 7946 0777";

async function privateClient(clinicId: string, email?: string) {
  const client = await createClient(clinicId, PRIVATE_NAME);
  const [row] = await db
    .update(clients)
    .set({ phone: PRIVATE_PHONE, ...(email ? { email } : {}) })
    .where(eq(clients.id, client.id))
    .returning();
  return row;
}

const erase = (member: Member, values: Record<string, string | undefined>) =>
  runMemberAction(member, eraseClientAction, form(values));

/** Every row of the tables that could hold a client's details, as text, per table. */
async function rowsMentioning(text: string) {
  const tables = ["clients", "bookings", "email_outbox", "email_deliveries", "job_events", "job_runs", "job_steps"];
  const found: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await db.execute<{ count: number }>(
      sql`select count(*)::int as count from ${sql.identifier(table)} t where t::text like ${`%${text}%`}`,
    );
    if (row.count > 0) found[table] = row.count;
  }
  return found;
}

describe("erasing a client", { timeout: 120_000 }, () => {
  it("removes their name, email and phone everywhere, keeps their appointments, and a replay sends nothing", async () => {
    const { clinic, service, member, book } = await createClinicWithMember();
    const client = await privateClient(clinic.id);
    const past = await book(client.id, hoursFromNow(-24 * 10), "completed");
    const cancelled = await book(client.id, hoursFromNow(-24 * 5), "cancelled");
    await db
      .update(bookings)
      .set({ cancelledBy: "client", cancelReason: `${PRIVATE_NAME} is moving house` })
      .where(eq(bookings.id, cancelled.id));
    // The clinic's own notes on them.
    await db
      .update(clients)
      .set({ notes: `${PRIVATE_NAME} is allergic to latex` })
      .where(eq(clients.id, client.id));
    // What they told the clinic when booking.
    await db
      .update(bookings)
      .set({ clientNote: `${PRIVATE_NAME}'s left knee, after a fall` })
      .where(eq(bookings.id, past.id));
    // The confirmation job ran for the first appointment: its email and its checkpointed details.
    await sendEvent({ name: "booking/created", data: { bookingId: past.id, clinicId: clinic.id } });
    // The cancellation job for the second: its checkpointed details carry the reason, which
    // the owner's email quotes.
    await sendEvent({
      name: "booking/cancelled",
      data: { bookingId: cancelled.id, clinicId: clinic.id, by: "client" },
    });
    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    // And a delivery through Resend, as production keeps it.
    await db.insert(emailDeliveries).values({
      idempotencyKey: `appointment-reminder:${past.id}:${past.startsAt.toISOString()}`,
      recipient: client.email,
      subject: "Reminder: Sports massage",
      status: "sent",
      resendId: "re_123",
      sentAt: new Date(),
    });
    // Another clinic's client with the same email is another clinic's record.
    const other = await createClinicWithMember();
    const theirs = await createClient(other.clinic.id, "Someone Else");
    await db.update(clients).set({ email: client.email }).where(eq(clients.id, theirs.id));
    const theirBooking = await other.book(theirs.id, hoursFromNow(-24));
    await db.insert(emailOutbox).values({
      recipient: client.email,
      subject: "Booked elsewhere",
      html: "<p>Someone Else</p>",
      text: "Someone Else",
      idempotencyKey: `booking-confirmation:${theirBooking.id}`,
    });
    const before = await rowsMentioning(PRIVATE_NAME);
    expect(before).toMatchObject({ clients: 1, bookings: 2, email_outbox: 3, job_steps: 2 });

    const erased = await erase(member, { id: client.id, confirm: "on" });
    expect(erased).toMatchObject({ status: "ok", message: "Client erased." });

    expect(await rowsMentioning(PRIVATE_NAME)).toEqual({});
    expect(await rowsMentioning(PRIVATE_PHONE)).toEqual({});
    // The email is left only in the other clinic's rows.
    expect(await rowsMentioning(client.email)).toEqual({ clients: 1, email_outbox: 1 });
    const [row] = await db.select().from(clients).where(eq(clients.id, client.id));
    expect(row).toMatchObject({ name: ERASED_NAME, email: erasedEmail(client.id), phone: null, notes: null });
    expect(row.erasedAt).toBeInstanceOf(Date);
    const kept = await db.select().from(bookings).where(eq(bookings.clientId, client.id));
    expect(kept.map((b) => [b.id, b.status, b.priceMinor, b.cancelReason, b.clientNote]).sort()).toEqual(
      [
        [past.id, "completed", 5500, null, null],
        [cancelled.id, "cancelled", 5500, null, null],
      ].sort(),
    );
    const [delivery] = await db.select().from(emailDeliveries);
    expect(delivery).toMatchObject({ recipient: erasedEmail(client.id), status: "sent" });

    // The confirmation replayed (the same booking's event again) finds its email sent.
    const outboxBefore = await db.select({ id: emailOutbox.id }).from(emailOutbox);
    await sendEvent({ name: "booking/created", data: { bookingId: past.id, clinicId: clinic.id } });
    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    expect(await db.select({ id: emailOutbox.id }).from(emailOutbox)).toEqual(outboxBefore);
    expect(await rowsMentioning(PRIVATE_NAME)).toEqual({});

    // Booking again with the same email is a new client, with nothing of the erased one.
    const again = await db.transaction((tx) =>
      insertBookingWithEvent(tx, {
        clinic,
        service,
        practitionerId: past.practitionerId,
        start: hoursFromNow(24 * 3),
        client: { name: "Rhea Again", email: client.email },
      }),
    );
    expect(again.clientId).not.toBe(client.id);
  });

  it("refuses while an appointment is to come, without the box ticked, for staff, twice, or for another clinic", async () => {
    const { clinic, member, book } = await createClinicWithMember();
    const client = await privateClient(clinic.id);
    const upcoming = await book(client.id, hoursFromNow(48));
    const snapshot = async () => ({
      client: (await db.select().from(clients).where(eq(clients.id, client.id)))[0],
      bookings: await db.select().from(bookings).where(eq(bookings.clientId, client.id)),
    });
    const before = await snapshot();

    expect(await erase(member, { id: client.id, confirm: "on" })).toMatchObject({
      status: "error",
      message: `${PRIVATE_NAME} has an appointment to come. Cancel it first, then erase.`,
    });
    const unticked = await erase(member, { id: client.id });
    expect(unticked.fieldErrors?.confirm).toEqual(["Tick the box to confirm: erasing cannot be undone"]);
    const staff: Member = { ...member, role: "staff" };
    expect((await erase(staff, { id: client.id, confirm: "on" })).message).toMatch(/Your role does not allow this/);
    const other = await createClinicWithMember();
    expect(await erase(other.member, { id: client.id, confirm: "on" })).toMatchObject({
      status: "error",
      message: "Client not found",
    });
    expect(await snapshot()).toEqual(before);

    // Cancelled, it can go; a second erasure and an edit afterwards are refused.
    await db.update(bookings).set({ status: "cancelled" }).where(eq(bookings.id, upcoming.id));
    expect((await erase(member, { id: client.id, confirm: "on" })).status).toBe("ok");
    expect(await erase(member, { id: client.id, confirm: "on" })).toMatchObject({
      status: "error",
      message: ALREADY_ERASED,
    });
    const edited = await runMemberAction(
      member,
      updateClientAction,
      form({ id: client.id, name: PRIVATE_NAME, email: "rhea@example.com" }),
    );
    expect(edited).toMatchObject({ status: "error", message: ALREADY_ERASED });
    expect(await rowsMentioning(PRIVATE_NAME)).toEqual({});
    // Nor is an erased client filled into a new booking.
    expect(await findClient(member, client.id)).toBeNull();
  });
});
