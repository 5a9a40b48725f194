import "server-only";
import { createElement } from "react";
import type { MovedBy } from "@/lib/booking/reschedule-booking";
import { bookingManageUrl } from "@/lib/booking/cancel-token";
import type { SummaryRecipient } from "@/lib/billing/owners";
import {
  appointmentOf,
  appointmentSubject,
  bookingCalendarFile,
  ownerDashboardUrl,
  REMINDER_LEAD_MS,
  type BookingEmailDetails,
} from "./booking-emails";
import { sendEmail, type SentEmail } from "./send";
import { BookingRescheduledEmail } from "./templates/booking-rescheduled";

/** One move, as the booking/rescheduled event that announced it, the moment it was made and who made it. */
export type Move = { eventId: string; movedAt: Date; by: MovedBy };

/**
 * Each move is its own email: the key names the move's event, so a retry sends nothing
 * twice, and a move back to a time the booking had before is still told (a key naming
 * the new time would find that earlier email and send nothing).
 */
const keyOf = (move: Move, recipient: string) => `booking-rescheduled:${move.eventId}:${recipient}`;

/** Whether the new time is under 24 hours away when `movedAt`: then no separate reminder is sent. */
export function rescheduleIncludesReminder(details: Pick<BookingEmailDetails, "startsAt">, movedAt: Date) {
  return new Date(details.startsAt).getTime() - movedAt.getTime() < REMINDER_LEAD_MS;
}

export async function sendRescheduleToClient(details: BookingEmailDetails, move: Move): Promise<SentEmail> {
  return sendEmail({
    to: details.clientEmail,
    subject: appointmentSubject("Moved", details),
    idempotencyKey: keyOf(move, "client"),
    react: createElement(BookingRescheduledEmail, {
      ...appointmentOf(details),
      audience: "client",
      recipientName: details.clientName,
      actionUrl: bookingManageUrl(details.clinicSlug, details.bookingId),
      includesReminder: rescheduleIncludesReminder(details, move.movedAt),
    }),
    // The same UID with the new time and a higher SEQUENCE: the client's calendar moves the event.
    attachments: [bookingCalendarFile(details, "PUBLISH", move.movedAt)],
  });
}

export async function sendRescheduleToOwner(
  details: BookingEmailDetails,
  move: Move,
  owner: SummaryRecipient,
): Promise<SentEmail> {
  return sendEmail({
    to: owner.email,
    subject: appointmentSubject("Moved", details),
    idempotencyKey: keyOf(move, `owner:${owner.userId}`),
    react: createElement(BookingRescheduledEmail, {
      ...appointmentOf(details),
      audience: "owner",
      recipientName: owner.name,
      actionUrl: ownerDashboardUrl(),
      includesReminder: false,
      movedBy: move.by,
    }),
  });
}
