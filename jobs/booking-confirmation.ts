import { defineJob } from "@/lib/jobs/define";
import { loadBookingEmailDetails, sendBookingConfirmation } from "@/lib/email/booking-emails";
import { emailThrottle } from "@/lib/email/throttle";

/**
 * Emails the client their confirmation, once per booking: the email's idempotency
 * key is the booking id, so a retry, a replay or a doubled event sends nothing new.
 * Booked less than 24 hours ahead, it also says what the reminder would have said.
 */
export const bookingConfirmation = defineJob(
  {
    id: "booking-confirmation",
    name: "Booking confirmation email",
    triggers: [{ event: "booking/created" }],
    retries: 5,
    throttle: emailThrottle(),
  },
  async ({ event, step }) => {
    const booking = await step.run("load-booking", () => loadBookingEmailDetails(event.data.bookingId));
    if (!booking) return { sent: false, reason: "booking not found" };
    // Cancelled within seconds of booking: a confirmation now would only confuse.
    if (booking.status === "cancelled") return { sent: false, reason: "booking cancelled" };

    const email = await step.run("send-confirmation-email", () => sendBookingConfirmation(booking));
    return { sent: true, email };
  },
);
