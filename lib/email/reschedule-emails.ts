import "server-only";
import { createElement } from "react";
import { bookingManageUrl } from "@/lib/booking/cancel-token";
import { env } from "@/lib/env";
import { appointmentOf, bookingCalendarFile, REMINDER_LEAD_MS, type BookingEmailDetails } from "./booking-emails";
import { formatAppointmentTime } from "./format";
import { sendEmail, type SentEmail } from "./send";
import { BookingRescheduledEmail } from "./templates/booking-rescheduled";

type Owner = { userId: string; name: string; email: string };

const subjectOf = (details: BookingEmailDetails) =>
  `Moved: ${details.serviceName} at ${details.clinicName}, now ${formatAppointmentTime(details)}`;

/**
 * Each move is its own email: the key names the booking and its new start, so a retry
 * sends nothing twice and a second move to another time is a new email.
 */
const keyOf = (details: BookingEmailDetails, recipient: string) =>
  `booking-rescheduled:${details.bookingId}:${details.startsAt}:${recipient}`;

/** Whether the new time is under 24 hours away when `movedAt`: then no separate reminder is sent. */
export function rescheduleIncludesReminder(details: Pick<BookingEmailDetails, "startsAt">, movedAt: Date) {
  return new Date(details.startsAt).getTime() - movedAt.getTime() < REMINDER_LEAD_MS;
}

export async function sendRescheduleToClient(details: BookingEmailDetails, movedAt: Date): Promise<SentEmail> {
  return sendEmail({
    to: details.clientEmail,
    subject: subjectOf(details),
    idempotencyKey: keyOf(details, "client"),
    react: createElement(BookingRescheduledEmail, {
      ...appointmentOf(details),
      audience: "client",
      recipientName: details.clientName,
      actionUrl: bookingManageUrl(details.clinicSlug, details.bookingId),
      includesReminder: rescheduleIncludesReminder(details, movedAt),
    }),
    // The same UID with the new time and a higher SEQUENCE: the client's calendar moves the event.
    attachments: [bookingCalendarFile(details, "PUBLISH", movedAt)],
  });
}

export async function sendRescheduleToOwner(details: BookingEmailDetails, owner: Owner): Promise<SentEmail> {
  return sendEmail({
    to: owner.email,
    subject: subjectOf(details),
    idempotencyKey: keyOf(details, `owner:${owner.userId}`),
    react: createElement(BookingRescheduledEmail, {
      ...appointmentOf(details),
      audience: "owner",
      recipientName: owner.name,
      actionUrl: new URL("/dashboard", env().APP_URL).toString(),
      includesReminder: false,
    }),
  });
}
