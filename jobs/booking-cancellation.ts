import { defineJob } from "@/lib/jobs/define";
import { listClinicOwners } from "@/lib/billing/owners";
import { loadBookingEmailDetails } from "@/lib/email/booking-emails";
import { sendCancellationToClient, sendCancellationToOwner } from "@/lib/email/cancellation-emails";
import { emailThrottle } from "@/lib/email/throttle";

/**
 * Tells the client and each of the clinic's owners that a booking was cancelled, once
 * each: every email is its own checkpointed step with a per-recipient idempotency key,
 * so a retry after the second owner's email failed sends only that one again, and a
 * doubled event within 24 hours starts no second run (idempotency).
 */
export const bookingCancellation = defineJob(
  {
    id: "booking-cancellation",
    name: "Booking cancellation emails",
    triggers: [{ event: "booking/cancelled" }],
    retries: 5,
    idempotency: "event.data.bookingId",
    throttle: emailThrottle(),
  },
  async ({ event, step }) => {
    const booking = await step.run("load-booking", () => loadBookingEmailDetails(event.data.bookingId));
    if (!booking) return { emailed: 0, reason: "booking not found" };

    await step.run("email-client", () => sendCancellationToClient(booking, event.data.by));
    const owners = await step.run("list-owners", () => listClinicOwners(event.data.clinicId));
    for (const owner of owners) {
      await step.run(`email-owner-${owner.userId}`, () => sendCancellationToOwner(booking, owner, event.data.by));
    }
    return { emailed: 1 + owners.length };
  },
);
