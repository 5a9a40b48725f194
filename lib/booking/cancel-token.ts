import "server-only";
import { createSignedId, verifySignedId } from "@/lib/auth/signed-id";
import { env } from "@/lib/env";
import { bookingManagePath } from "./booking-links";

/** The client's link to see and cancel a booking: the booking id, signed (lib/auth/signed-id.ts). */

const PURPOSE = "slotline.booking-link.v1";

export function createBookingToken(bookingId: string): string {
  return createSignedId(PURPOSE, bookingId);
}

/** The booking id the token was signed for, or null when it is malformed or forged. */
export function verifyBookingToken(token: string): string | null {
  return verifySignedId(PURPOSE, token);
}

/** The absolute link emails carry: the booking's page, where the client can cancel. */
export function bookingManageUrl(clinicSlug: string, bookingId: string): string {
  return new URL(bookingManagePath(clinicSlug, createBookingToken(bookingId)), env().APP_URL).toString();
}
