import "server-only";
import { createElement } from "react";
import { bookingPageUrl } from "@/lib/booking/booking-links";
import type { SummaryRecipient } from "@/lib/billing/owners";
import {
  appointmentOf,
  appointmentSubject,
  bookingCalendarFile,
  ownerDashboardUrl,
  type BookingEmailDetails,
} from "./booking-emails";
import { sendEmail, type SentEmail } from "./send";
import { BookingCancellationEmail, type BookingCancellationProps } from "./templates/booking-cancellation";

type CancelledBy = BookingCancellationProps["cancelledBy"];

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
    subject: appointmentSubject("Cancelled", details),
    idempotencyKey: `booking-cancellation:${details.bookingId}:client`,
    react: createElement(BookingCancellationEmail, {
      cancelledBy,
      reason: details.cancelReason,
      ...appointmentOf(details),
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
  owner: SummaryRecipient,
  cancelledBy: CancelledBy,
): Promise<SentEmail> {
  return sendEmail({
    to: owner.email,
    subject: appointmentSubject("Cancelled", details),
    idempotencyKey: `booking-cancellation:${details.bookingId}:owner:${owner.userId}`,
    react: createElement(BookingCancellationEmail, {
      cancelledBy,
      reason: details.cancelReason,
      ...appointmentOf(details),
      audience: "owner",
      recipientName: owner.name,
      actionUrl: ownerDashboardUrl(),
    }),
  });
}
