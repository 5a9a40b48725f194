import { defineJob } from "@/lib/jobs/define";
import { emailThrottle } from "@/lib/email/throttle";
import { rescheduleIncludesReminder } from "@/lib/email/reschedule-emails";
import {
  confirmationIncludesReminder,
  loadBookingEmailDetails,
  REMINDER_LEAD_MS,
  sendAppointmentReminder,
} from "@/lib/email/booking-emails";

/**
 * Reminds the client 24 hours before the appointment. The start time is snapshotted
 * first; after the sleep the booking is read again, and nothing is sent if it was
 * cancelled, moved, or has already started (a late wake-up never sends a stale one).
 * A cancelled or rescheduled booking cancels the sleeping run at once (cancelOn); a
 * rescheduled one starts a fresh reminder for its new time. A booking made (or moved)
 * less than 24 hours ahead gets no reminder: its confirmation (or the email saying it
 * moved) already says it all.
 */
export const appointmentReminder = defineJob(
  {
    id: "appointment-reminder",
    name: "Appointment reminder (24 h before)",
    triggers: [{ event: "booking/created" }, { event: "booking/rescheduled" }],
    retries: 5,
    cancelOn: [
      { event: "booking/cancelled", match: "data.bookingId" },
      { event: "booking/rescheduled", match: "data.bookingId" },
    ],
    throttle: emailThrottle(),
  },
  async ({ event, step }) => {
    const snapshot = await step.run("snapshot-booking", async () => {
      const booking = await loadBookingEmailDetails(event.data.bookingId);
      return (
        booking && {
          startsAt: booking.startsAt,
          inConfirmation: confirmationIncludesReminder(booking),
          inRescheduleEmail: rescheduleIncludesReminder(booking, new Date(event.ts)),
        }
      );
    });
    if (!snapshot) return { sent: false, reason: "not-found" };
    if (event.name === "booking/created" && snapshot.inConfirmation) return { sent: false, reason: "in-confirmation" };
    if (event.name === "booking/rescheduled" && snapshot.inRescheduleEmail)
      return { sent: false, reason: "in-reschedule-email" };

    await step.sleepUntil("wait-until-24h-before", new Date(new Date(snapshot.startsAt).getTime() - REMINDER_LEAD_MS));

    return step.run("send-reminder-email", () => sendAppointmentReminder(event.data.bookingId, snapshot.startsAt));
  },
);
