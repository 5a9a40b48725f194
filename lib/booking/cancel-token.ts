import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret, env } from "@/lib/env";

/**
 * The client's link to see and cancel a booking: `<bookingId>.<HMAC-SHA256>`, keyed
 * with the auth secret. Verifying needs no database lookup, and a forged or altered
 * token fails the constant-time comparison. The purpose label keeps these signatures
 * from ever matching one made for something else with the same secret.
 */

const PURPOSE = "slotline.booking-link.v1";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sign(bookingId: string) {
  return createHmac("sha256", authSecret()).update(`${PURPOSE}:${bookingId.toLowerCase()}`).digest("base64url");
}

export function createBookingToken(bookingId: string): string {
  return `${bookingId}.${sign(bookingId)}`;
}

/** The booking id the token was signed for, or null when it is malformed or forged. */
export function verifyBookingToken(token: string): string | null {
  const [bookingId, signature, ...rest] = token.split(".");
  if (rest.length > 0 || !bookingId || !signature || !UUID.test(bookingId)) return null;
  const expected = Buffer.from(sign(bookingId));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? bookingId : null;
}

/** The absolute link emails carry: the booking's page, where the client can cancel. */
export function bookingManageUrl(clinicSlug: string, bookingId: string): string {
  return new URL(`/book/${clinicSlug}/manage/${createBookingToken(bookingId)}`, env().APP_URL).toString();
}
