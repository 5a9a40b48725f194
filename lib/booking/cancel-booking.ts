import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor } from "@/lib/db/client";
import { bookings, type Booking } from "@/lib/db/schema";
import { sendEvent } from "@/lib/jobs/send";
import { NotFoundError } from "@/lib/clinic/errors";
import { findBookingDetails } from "./booking-details";
import { verifyBookingToken } from "./cancel-token";
import { BookingStateError } from "./errors";
import { NOTE_MAX, optionalText } from "@/lib/clinic/form-fields";

export const clientCancelSchema = z.object({
  // A real link's token is a UUID, a dot and a 43-character signature.
  token: z
    .string("The cancel link is incomplete")
    .min(1, "The cancel link is incomplete")
    .max(200, "This cancel link is not valid"),
  reason: optionalText(NOTE_MAX, "reason"),
});

/**
 * Cancels an active booking and emits `booking/cancelled` in the same transaction.
 * The `status = 'confirmed'` condition makes a second, concurrent cancel a no-op
 * rather than a second event.
 */
export async function cancelBooking(
  tx: Executor,
  target: { bookingId: string; clinicId: string },
  by: "client" | "clinic",
  reason?: string,
): Promise<Booking> {
  const [cancelled] = await tx
    .update(bookings)
    .set({ status: "cancelled", cancelledBy: by, cancelReason: reason ?? null, cancelledAt: new Date() })
    .where(
      and(eq(bookings.id, target.bookingId), eq(bookings.clinicId, target.clinicId), eq(bookings.status, "confirmed")),
    )
    .returning();
  if (!cancelled) throw new BookingStateError("This appointment is no longer active, so it cannot be cancelled.");
  await sendEvent(
    { name: "booking/cancelled", data: { bookingId: cancelled.id, clinicId: cancelled.clinicId, by } },
    { tx },
  );
  return cancelled;
}

/** The booking a client's link points at, with what its page shows; null for a bad token. */
export async function findBookingByToken(token: string) {
  const bookingId = verifyBookingToken(token);
  return bookingId ? findBookingDetails(bookingId) : null;
}

/** The latest moment the client may still cancel: the clinic's notice before the start. */
export function clientCancelDeadline(booking: Pick<Booking, "startsAt">, noticeHours: number): Date {
  return new Date(booking.startsAt.getTime() - noticeHours * 3_600_000);
}

/** The client cancels with their signed link, up to the clinic's notice period. */
export async function cancelBookingByClient(
  input: z.output<typeof clientCancelSchema>,
  options: { now?: Date } = {},
): Promise<Booking> {
  const found = await findBookingByToken(input.token);
  if (!found) throw new NotFoundError("Booking");
  const deadline = clientCancelDeadline(found.booking, found.clinic.cancellationNoticeHours);
  if ((options.now ?? new Date()) > deadline) {
    const call = found.clinic.phone ? `Please call the clinic on ${found.clinic.phone}.` : "Please call the clinic.";
    throw new BookingStateError(
      `${found.clinic.name} asks for ${found.clinic.cancellationNoticeHours} hours' notice, so this appointment can no longer be cancelled online. ${call}`,
    );
  }
  return db.transaction((tx) =>
    cancelBooking(tx, { bookingId: found.booking.id, clinicId: found.clinic.id }, "client", input.reason),
  );
}
