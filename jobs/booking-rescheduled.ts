import { defineJob } from "@/lib/jobs/define";
import { listClinicOwners } from "@/lib/billing/owners";
import { loadBookingEmailDetails } from "@/lib/email/booking-emails";
import { sendRescheduleToClient, sendRescheduleToOwner } from "@/lib/email/reschedule-emails";
import { emailThrottle } from "@/lib/email/throttle";

/**
 * Tells the client and each of the clinic's owners that a booking moved, once each
 * per move (keys name the move's event and the recipient). The reminder moves by itself: the
 * appointment-reminder job is cancelled and started again by the same event.
 */
export const bookingRescheduled = defineJob(
  {
    id: "booking-rescheduled",
    name: "Booking moved emails",
    triggers: [{ event: "booking/rescheduled" }],
    retries: 5,
    throttle: emailThrottle(),
  },
  async ({ event, step }) => {
    const booking = await step.run("load-booking", () => loadBookingEmailDetails(event.data.bookingId));
    if (!booking || booking.status !== "confirmed") return { emailed: 0, reason: "booking not active" };

    const move = { eventId: event.id, movedAt: new Date(event.ts), by: event.data.by ?? "client" };
    await step.run("email-client", () => sendRescheduleToClient(booking, move));
    const owners = await step.run("list-owners", () => listClinicOwners(event.data.clinicId));
    for (const owner of owners) {
      await step.run(`email-owner-${owner.userId}`, () => sendRescheduleToOwner(booking, move, owner));
    }
    return { emailed: 1 + owners.length };
  },
);
