import { eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { bookings, emailOutbox, jobRuns } from "@/lib/db/schema";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { replayRun } from "@/lib/jobs/postgres/control";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { createBookedClinic, createOwner } from "./job-fixtures";
import { icsLines, icsUtc } from "./support/ics";

// booking-cancellation on the Postgres driver, through the app's own cancel path.

const outboxFor = (bookingId: string) =>
  db
    .select()
    .from(emailOutbox)
    .where(like(emailOutbox.idempotencyKey, `booking-cancellation:${bookingId}:%`));

describe("booking-cancellation on Postgres", () => {
  it("emails the client and each owner once, whatever replays and doubled events follow", async () => {
    const { booking, client, clinic } = await createBookedClinic({ hoursAhead: 72 });
    const owners = [await createOwner(clinic.id, "Olive Owner"), await createOwner(clinic.id, "Otto Owner")];
    await createOwner(clinic.id, "Stan Staff", "staff");

    await db.transaction((tx) => cancelBooking(tx, { bookingId: booking.id, clinicId: booking.clinicId }, "client"));
    expect(await drain({ budgetMs: 15_000 })).toMatchObject({ failed: 0 });

    const expected = [client.email, ...owners.map((owner) => owner.email)].sort();
    const emails = await outboxFor(booking.id);
    expect(emails.map((email) => email.recipient).sort()).toEqual(expected);
    expect(emails.find((email) => email.recipient === client.email)!.text).toContain(
      "your appointment at Riverside Physio is cancelled, as you asked",
    );
    expect(emails.find((email) => email.recipient === owners[0].email)!.text).toContain("Sam Patel cancelled");

    // The client's copy carries the CANCEL that takes the event out of their calendar; owners never had it.
    const [file, ...more] = emails.find((email) => email.recipient === client.email)!.attachments;
    expect(more).toEqual([]);
    expect(file).toMatchObject({
      filename: "cancellation.ics",
      contentType: "text/calendar; charset=utf-8; method=CANCEL",
    });
    const lines = icsLines(file);
    expect(lines).toEqual(expect.arrayContaining(["METHOD:CANCEL", `UID:${booking.id}@slotline`, "STATUS:CANCELLED"]));
    const [cancelled] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    // SEQUENCE: the seconds from booking to cancelling, above the confirmation's 0.
    const sequence = Math.floor((cancelled.cancelledAt!.getTime() - cancelled.createdAt.getTime()) / 1000);
    expect(lines).toContain(`SEQUENCE:${sequence}`);
    expect(lines).toContain(`DTSTAMP:${icsUtc(cancelled.cancelledAt!)}`);
    for (const owner of owners) {
      expect(emails.find((email) => email.recipient === owner.email)!.attachments).toEqual([]);
    }

    // A replay runs every step again from scratch; the keys make it send nothing new.
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.jobId, "booking-cancellation"));
    await replayRun(run.id);
    // A second booking/cancelled (another id) within 24 hours starts no run at all (idempotency).
    await sendEvent({
      name: "booking/cancelled",
      data: { bookingId: booking.id, clinicId: booking.clinicId, by: "client" },
    });
    expect(await drain({ budgetMs: 15_000 })).toMatchObject({ completed: 1, failed: 0 });
    expect(await db.select().from(jobRuns).where(eq(jobRuns.jobId, "booking-cancellation"))).toHaveLength(2);
    expect((await outboxFor(booking.id)).map((email) => email.recipient).sort()).toEqual(expected);
  });

  it("passes on what the side that cancelled wrote: the clinic's message to the client, the client's reason to the owners", async () => {
    const byClinic = await createBookedClinic({ hoursAhead: 72 });
    const owner = await createOwner(byClinic.clinic.id, "Olive Owner");
    const message = "Dr Lee is ill today. We will call you to book again.";
    await db.transaction((tx) =>
      cancelBooking(tx, { bookingId: byClinic.booking.id, clinicId: byClinic.clinic.id }, "clinic", message),
    );
    const byClient = await createBookedClinic({ hoursAhead: 72 });
    const theirOwner = await createOwner(byClient.clinic.id, "Otto Owner");
    await db.transaction((tx) =>
      cancelBooking(tx, { bookingId: byClient.booking.id, clinicId: byClient.clinic.id }, "client", "Moving house"),
    );
    expect(await drain({ budgetMs: 15_000 })).toMatchObject({ failed: 0 });

    const toClinicClient = (await outboxFor(byClinic.booking.id)).find((e) => e.recipient === byClinic.client.email)!;
    expect(toClinicClient.text).toContain("has cancelled your appointment");
    expect(toClinicClient.text).toContain(
      "Message from Riverside Physio: Dr Lee is ill today. We will call you to book again.",
    );
    expect(toClinicClient.html).toContain("Message from Riverside Physio: Dr Lee is ill today.");
    const toClinicOwner = (await outboxFor(byClinic.booking.id)).find((e) => e.recipient === owner.email)!;
    expect(toClinicOwner.text).toContain("Message sent to Sam Patel: Dr Lee is ill today.");

    const toClientOwner = (await outboxFor(byClient.booking.id)).find((e) => e.recipient === theirOwner.email)!;
    expect(toClientOwner.text).toContain("Their reason: Moving house");
    // The client wrote it: their own copy does not repeat it.
    const toClient = (await outboxFor(byClient.booking.id)).find((e) => e.recipient === byClient.client.email)!;
    expect(toClient.text).toContain("cancelled, as you asked");
    expect(toClient.text).not.toContain("Moving house");
  });
});
