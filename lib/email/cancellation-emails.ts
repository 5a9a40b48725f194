import "server-only";
import { createElement } from "react";
import { bookingPageUrl } from "@/lib/booking/booking-links";
import { env } from "@/lib/env";
import { appointmentOf, bookingCalendarFile, type BookingEmailDetails } from "./booking-emails";
import { formatAppointmentTime } from "./format";
import { sendEmail, type SentEmail } from "./send";
import { BookingCancellationEmail, type BookingCancellationProps } from "./templates/booking-cancellation";

type CancelledBy = BookingCancellationProps["cancelledBy"];
type Owner = { userId: string; name: string; email: string };

function cancellationProps(details: BookingEmailDetails, cancelledBy: CancelledBy) {
  return { cancelledBy, ...appointmentOf(details) };
}

const subjectOf = (details: BookingEmailDetails) =>
  `Cancelled: ${details.serviceName} at ${details.clinicName}, ${formatAppointmentTime(details)}`;

/**
 * The client's copy, once per booking (the key names the booking and the recipient),
 * with the CANCEL calendar file that takes the appointment out of their calendar.
 */
export async function sendCancellationToClient(
  details: BookingEmailDetails,
  cancelledBy: CancelledBy,
): Promise<SentEmail> {
  return sendEmail({
    to: details.clientEmail,
    subject: subjectOf(details),
    idempotencyKey: `booking-cancellation:${details.bookingId}:client`,
    react: createElement(BookingCancellationEmail, {
      ...cancellationProps(details, cancelledBy),
      audience: "client",
      recipientName: details.clientName,
      actionUrl: bookingPageUrl(details.clinicSlug),
    }),
    attachments: [bookingCalendarFile(details, "CANCEL")],
  });
}

/** One owner's copy, once per booking and owner. */
export async function sendCancellationToOwner(
  details: BookingEmailDetails,
  owner: Owner,
  cancelledBy: CancelledBy,
): Promise<SentEmail> {
  return sendEmail({
    to: owner.email,
    subject: subjectOf(details),
    idempotencyKey: `booking-cancellation:${details.bookingId}:owner:${owner.userId}`,
    react: createElement(BookingCancellationEmail, {
      ...cancellationProps(details, cancelledBy),
      audience: "owner",
      recipientName: owner.name,
      actionUrl: new URL("/dashboard", env().APP_URL).toString(),
    }),
  });
}
