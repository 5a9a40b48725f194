import "server-only";
import { createElement } from "react";
import { formatMoney } from "@/lib/billing/money";
import { findBookingDetails } from "@/lib/booking/booking-details";
import { bookingManageUrl } from "@/lib/booking/cancel-token";
import { formatAppointmentTime } from "./format";
import { sendEmail, type SentEmail } from "./send";
import { AppointmentReminderEmail } from "./templates/appointment-reminder";
import { BookingConfirmationEmail } from "./templates/booking-confirmation";

/** What the booking emails need, JSON-safe (times as ISO strings) so a job can checkpoint it. */
export type BookingEmailDetails = {
  bookingId: string;
  status: "confirmed" | "cancelled" | "completed" | "no_show";
  startsAt: string;
  /** When the booking was made; a booking made less than 24 h ahead gets its reminder in the confirmation. */
  bookedAt: string;
  clinicName: string;
  clinicSlug: string;
  /** Optional: a job checkpointed these details before clinics had a phone and address. */
  clinicPhone?: string | null;
  clinicAddress?: string | null;
  timeZone: string;
  cancellationNoticeHours: number;
  serviceName: string;
  practitionerName: string;
  clientName: string;
  clientEmail: string;
  priceMinor: number;
  currency: string;
};

export async function loadBookingEmailDetails(bookingId: string): Promise<BookingEmailDetails | null> {
  const found = await findBookingDetails(bookingId);
  if (!found) return null;
  const { booking, clinic, service, practitioner, client } = found;
  return {
    bookingId: booking.id,
    status: booking.status,
    startsAt: booking.startsAt.toISOString(),
    bookedAt: booking.createdAt.toISOString(),
    clinicName: clinic.name,
    clinicSlug: clinic.slug,
    clinicPhone: clinic.phone,
    clinicAddress: clinic.address,
    timeZone: clinic.timeZone,
    cancellationNoticeHours: clinic.cancellationNoticeHours,
    serviceName: service.name,
    practitionerName: practitioner.name,
    clientName: client.name,
    clientEmail: client.email,
    priceMinor: booking.priceMinor,
    currency: booking.currency,
  };
}

/** How long before the appointment the reminder goes out. */
export const REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;

/**
 * Booked less than 24 h ahead: the reminder would go out the moment the booking is made,
 * beside the confirmation. The confirmation carries the reminder instead.
 */
export function confirmationIncludesReminder(details: Pick<BookingEmailDetails, "startsAt" | "bookedAt">) {
  return new Date(details.startsAt).getTime() - new Date(details.bookedAt).getTime() < REMINDER_LEAD_MS;
}

/** What every booking email shows of the appointment. */
export function appointmentOf(details: BookingEmailDetails) {
  return {
    clientName: details.clientName,
    clinicName: details.clinicName,
    serviceName: details.serviceName,
    practitionerName: details.practitionerName,
    startsAt: details.startsAt,
    timeZone: details.timeZone,
    clinicPhone: details.clinicPhone,
    clinicAddress: details.clinicAddress,
  };
}

/** The appointment with the client's manage link, for the confirmation and the reminder. */
function appointmentProps(details: BookingEmailDetails) {
  return { ...appointmentOf(details), cancelUrl: bookingManageUrl(details.clinicSlug, details.bookingId) };
}

/** The client's confirmation, at most once per booking whatever retries or replays happen. */
export async function sendBookingConfirmation(details: BookingEmailDetails): Promise<SentEmail> {
  return sendEmail({
    to: details.clientEmail,
    subject: `Booked: ${details.serviceName} at ${details.clinicName}, ${formatAppointmentTime(details.startsAt, details.timeZone)}`,
    idempotencyKey: `booking-confirmation:${details.bookingId}`,
    react: createElement(BookingConfirmationEmail, {
      ...appointmentProps(details),
      price: formatMoney(details.priceMinor, details.currency),
      cancellationNoticeHours: details.cancellationNoticeHours,
      includesReminder: confirmationIncludesReminder(details),
    }),
  });
}

export type ReminderOutcome =
  { sent: true; email: SentEmail } | { sent: false; reason: "not-found" | "cancelled" | "moved" | "started" };

/**
 * Re-reads the booking at send time and reminds the client only if it still stands as
 * booked: not cancelled, not moved since the reminder was scheduled (`expectedStartsAt`
 * is the start the job saw), and not already started, so a late wake-up never sends a
 * stale reminder. The key includes the start time: a moved booking's new reminder is
 * a different email.
 */
export async function sendAppointmentReminder(
  bookingId: string,
  expectedStartsAt: string,
  now = new Date(),
): Promise<ReminderOutcome> {
  const details = await loadBookingEmailDetails(bookingId);
  if (!details) return { sent: false, reason: "not-found" };
  if (details.status === "cancelled") return { sent: false, reason: "cancelled" };
  if (new Date(details.startsAt).getTime() !== new Date(expectedStartsAt).getTime())
    return { sent: false, reason: "moved" };
  if (new Date(details.startsAt) <= now || details.status !== "confirmed") return { sent: false, reason: "started" };

  const email = await sendEmail({
    to: details.clientEmail,
    subject: `Reminder: ${details.serviceName} at ${details.clinicName}, ${formatAppointmentTime(details.startsAt, details.timeZone)}`,
    idempotencyKey: `appointment-reminder:${bookingId}:${details.startsAt}`,
    react: createElement(AppointmentReminderEmail, appointmentProps(details)),
  });
  return { sent: true, email };
}
