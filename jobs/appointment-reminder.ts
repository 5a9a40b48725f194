import { defineJob } from "@/lib/jobs/define";
import { loadBookingEmailDetails, sendAppointmentReminder } from "@/lib/email/booking-emails";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Reminds the client 24 hours before the appointment. The start time is snapshotted
 * first; after the sleep the booking is read again, and nothing is sent if it was
 * cancelled, moved, or has already started (a late wake-up never sends a stale one).
 */
export const appointmentReminder = defineJob(
  {
    id: "appointment-reminder",
    name: "Appointment reminder (24 h before)",
    triggers: [{ event: "booking/created" }],
    retries: 5,
  },
  async ({ event, step }) => {
    const snapshot = await step.run("snapshot-booking", async () => {
      const booking = await loadBookingEmailDetails(event.data.bookingId);
      return booking && { startsAt: booking.startsAt };
    });
    if (!snapshot) return { sent: false, reason: "not-found" };

    await step.sleepUntil("wait-until-24h-before", new Date(new Date(snapshot.startsAt).getTime() - DAY_MS));

    return step.run("send-reminder-email", () => sendAppointmentReminder(event.data.bookingId, snapshot.startsAt));
  },
);
