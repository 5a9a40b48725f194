import "server-only";
import { createElement } from "react";
import { formatMoney } from "@/lib/billing/money";
import { findBookingDetails } from "@/lib/booking/booking-details";
import { bookingManageUrl } from "@/lib/booking/cancel-token";
import { icsCalendar, type IcsMethod } from "@/lib/calendar/ics";
import { env } from "@/lib/env";
import { appointmentEvent } from "./appointment-event";
import { formatAppointmentTime } from "./format";
import { sendEmail, type EmailAttachment, type SentEmail } from "./send";
import { AppointmentReminderEmail } from "./templates/appointment-reminder";
import { BookingConfirmationEmail } from "./templates/booking-confirmation";

/** What the booking emails need, JSON-safe (times as ISO strings) so a job can checkpoint it. */
export type BookingEmailDetails = {
  bookingId: string;
  status: "confirmed" | "cancelled" | "completed" | "no_show";
  startsAt: string;
  endsAt: string;
  /** When the booking was made; a booking made less than 24 h ahead gets its reminder in the confirmation. */
  bookedAt: string;
  cancelledAt: string | null;
  /**
   * What the side that cancelled wrote: the clinic's message to the client, or the client's
   * reason. Optional: details checkpointed before it was added have none. Erasing the client
   * clears it here too (lib/clinic/erase-client.ts).
   */
  cancelReason?: string | null;
  clinicName: string;
  clinicSlug: string;
  /** Optional: a job checkpointed these details before clinics had a phone and address. */
  clinicPhone?: string | null;
  clinicAddress?: string | null;
  /** The clinic's locale for dates and times (optional: details checkpointed before it was added). */
  locale?: string;
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
    endsAt: booking.endsAt.toISOString(),
    bookedAt: booking.createdAt.toISOString(),
    cancelledAt: booking.cancelledAt?.toISOString() ?? null,
    cancelReason: booking.cancelReason,
    clinicName: clinic.name,
    clinicSlug: clinic.slug,
    clinicPhone: clinic.phone,
    clinicAddress: clinic.address,
    locale: clinic.locale,
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

/** "Booked: Sports massage at Riverside Physio, Monday 30 March 2026 at 09:30 BST": every booking email's subject. */
export function appointmentSubject(what: "Booked" | "Reminder" | "Cancelled" | "Moved", details: BookingEmailDetails) {
  return `${what}: ${details.serviceName} at ${details.clinicName}, ${formatAppointmentTime(details)}`;
}

/** Where an owner's copy of a booking email points: the dashboard. */
export function ownerDashboardUrl(): string {
  return new URL("/dashboard", env().APP_URL).toString();
}

/** What every booking email shows of the appointment. */
export function appointmentOf(details: BookingEmailDetails) {
  return {
    clientName: details.clientName,
    clinicName: details.clinicName,
    serviceName: details.serviceName,
    practitionerName: details.practitionerName,
    startsAt: details.startsAt,
    endsAt: details.endsAt,
    timeZone: details.timeZone,
    clinicPhone: details.clinicPhone,
    clinicAddress: details.clinicAddress,
    locale: details.locale,
  };
}

/** The appointment with the client's manage link, for the confirmation and the reminder. */
function appointmentProps(details: BookingEmailDetails) {
  return { ...appointmentOf(details), cancelUrl: bookingManageUrl(details.clinicSlug, details.bookingId) };
}

/**
 * The booking as a calendar file for the client: PUBLISH with the confirmation and with
 * each move, CANCEL with the cancellation. All carry the booking's UID; each version is
 * stamped with the moment it was made (booked, moved, cancelled), never the clock, and
 * SEQUENCE counts the seconds from the booking to that moment, so a later version always
 * has a higher SEQUENCE and a calendar that took one applies the next. Stamping from the
 * booking's own times also keeps a retried send byte for byte the same, or Resend would
 * refuse the reused idempotency key (409 invalid_idempotent_request).
 */
export function bookingCalendarFile(details: BookingEmailDetails, method: IcsMethod, movedAt?: Date): EmailAttachment {
  const cancel = method === "CANCEL";
  const manageUrl = cancel ? null : bookingManageUrl(details.clinicSlug, details.bookingId);
  const from = env().EMAIL_FROM;
  const bookedAt = new Date(details.bookedAt);
  const stamp = cancel ? new Date(details.cancelledAt ?? details.bookedAt) : (movedAt ?? bookedAt);
  const ics = icsCalendar(
    {
      ...appointmentEvent(appointmentOf(details), manageUrl),
      uid: `${details.bookingId}@slotline`,
      sequence: Math.max(0, Math.floor((stamp.getTime() - bookedAt.getTime()) / 1000)),
      stamp,
      // EMAIL_FROM may be "Name <address>": the calendar wants the address.
      organizer: { name: details.clinicName, email: /<([^>]+)>/.exec(from)?.[1] ?? from },
    },
    method,
  );
  return {
    filename: cancel ? "cancellation.ics" : "appointment.ics",
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: ics,
  };
}

/** The client's confirmation, at most once per booking whatever retries or replays happen. */
export async function sendBookingConfirmation(details: BookingEmailDetails): Promise<SentEmail> {
  return sendEmail({
    to: details.clientEmail,
    subject: appointmentSubject("Booked", details),
    idempotencyKey: `booking-confirmation:${details.bookingId}`,
    react: createElement(BookingConfirmationEmail, {
      ...appointmentProps(details),
      price: formatMoney(details.priceMinor, details.currency),
      cancellationNoticeHours: details.cancellationNoticeHours,
      includesReminder: confirmationIncludesReminder(details),
    }),
    attachments: [bookingCalendarFile(details, "PUBLISH")],
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
    subject: appointmentSubject("Reminder", details),
    idempotencyKey: `appointment-reminder:${bookingId}:${details.startsAt}`,
    react: createElement(AppointmentReminderEmail, appointmentProps(details)),
  });
  return { sent: true, email };
}
