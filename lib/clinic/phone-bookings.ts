import "server-only";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { ALL_ROLES, type Member } from "@/lib/auth/member";
import { phoneBookingLimits, withinLimits } from "@/lib/auth/rate-limit";
import { bookingRequestSchema, createBooking } from "@/lib/booking/create-booking";
import { localDateOf } from "@/lib/booking/wall-clock";

/** A booking the front desk takes by phone: one practitioner, never "any". */
export const phoneBookingSchema = bookingRequestSchema.extend({ practitionerId: z.uuid("Choose a practitioner") });

export type PhoneBookingResult = { bookingId: string; eventId: string; date: string };

/**
 * The same path as the public page (createBooking): the same free-slot check, the same
 * exclusion constraint deciding a race with an online client, the same booking/created
 * event, so the client gets the same confirmation with their manage link. Within the
 * clinic's limit of bookings by phone an hour (phoneBookingLimits).
 */
export async function createPhoneBooking(
  member: Member,
  input: z.output<typeof phoneBookingSchema>,
): Promise<PhoneBookingResult> {
  const { booking } = await withinLimits(phoneBookingLimits(member.clinic.id), { noun: "bookings by phone" }, () =>
    createBooking(member.clinic, input),
  );
  return {
    bookingId: booking.id,
    eventId: booking.eventId,
    date: localDateOf(booking.startsAt, member.clinic.timeZone),
  };
}

export const createPhoneBookingAction = defineMemberAction({
  schema: phoneBookingSchema,
  roles: ALL_ROLES,
  run: createPhoneBooking,
  success: "Booked. The client's confirmation is on its way.",
});
