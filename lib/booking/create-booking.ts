import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { bookings, clients, type Booking, type Clinic, type Service } from "@/lib/db/schema";
import { sendEvent } from "@/lib/jobs/send";
import { ANY_PRACTITIONER, findFreeSlots } from "./availability";
import { findClinicBySlug } from "./public-clinic";
import { createBookingToken } from "./cancel-token";
import { isDeadlock, isSlotConflict, SlotTakenError } from "./errors";
import {
  CLIENT_PHONE_MAX,
  email,
  NAME_MAX,
  NOTE_MAX,
  optionalMultilineText,
  optionalPhone,
  requiredText,
} from "@/lib/clinic/form-fields";
import { checkBookableTime, unofferedTimeError } from "./bookable-time";
import { appointmentTimes } from "./slots";
import { localDateOf } from "./wall-clock";
import { clientIp, publicBookingLimits, withinLimits } from "@/lib/auth/rate-limit";

export { BOOKING_HORIZON_DAYS } from "./rules";

/**
 * Attempts per practitioner when PostgreSQL breaks a deadlock. Bookings for one
 * practitioner take turns (insertBookingWithEvent), so this is a safety net for locks
 * taken elsewhere in the transaction, such as the client upsert.
 */
const DEADLOCK_RETRIES = 8;

/** The public booking form. */
export const bookingRequestSchema = z.object({
  serviceId: z.uuid("Choose a treatment"),
  practitionerId: z.union([z.uuid(), z.literal(ANY_PRACTITIONER)], "Choose a practitioner or “any”"),
  // zod's pattern checks the calendar too: 30 February is refused, not rolled over to March.
  start: z.iso.datetime({ offset: true, message: "Choose a time" }),
  name: requiredText(NAME_MAX, "name"),
  email: email(),
  phone: optionalPhone(CLIENT_PHONE_MAX),
  note: optionalMultilineText(NOTE_MAX, "note"),
});
export type BookingRequest = z.output<typeof bookingRequestSchema>;

/** The booking form as posted: the request plus the clinic's slug. */
export const bookingFormSchema = bookingRequestSchema.extend({ clinic: z.string("Unknown clinic") });

/**
 * The booking form's action: the clinic by its slug (unknown or bad slug: NotFoundError),
 * then createBooking within the public page's limits per email and per client address
 * (publicBookingLimits); a booking that fails does not count against them.
 */
export async function bookFromForm(
  { clinic: slug, ...request }: z.output<typeof bookingFormSchema>,
  requestHeaders: Headers,
) {
  const clinic = await findClinicBySlug(slug);
  return withinLimits(
    publicBookingLimits(clinic.id, request.email, clientIp(requestHeaders)),
    { noun: "bookings", otherwise: "or call the clinic" },
    async () => ({ slug: clinic.slug, ...(await createBooking(clinic, request)) }),
  );
}

type BookingRow = {
  clinic: Clinic;
  service: Service;
  practitionerId: string;
  start: Date;
  client: Pick<BookingRequest, "name" | "email" | "phone">;
  /** What the client told the clinic, if anything. */
  note?: string;
};

/**
 * Inside the caller's transaction: find or add the client by (clinic, email), insert
 * the booking and emit `booking/created`. The event commits with the booking or not at all.
 */
export async function insertBookingWithEvent(tx: Tx, row: BookingRow): Promise<Booking & { eventId: string }> {
  // Bookings for one practitioner take turns: two simultaneous inserts into
  // bookings_no_overlap can otherwise each wait on the other's row until PostgreSQL
  // aborts one (a deadlock). The constraint still decides who gets the slot.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${row.practitionerId}, 0))`);
  const [client] = await tx
    .insert(clients)
    .values({
      clinicId: row.clinic.id,
      name: row.client.name,
      email: row.client.email,
      phone: row.client.phone ?? null,
    })
    .onConflictDoUpdate({
      target: [clients.clinicId, clients.email],
      // The form is public and anyone may type any email: an existing client keeps the
      // name and phone the clinic knows (on every appointment); only a missing phone is
      // filled in. The no-op update is there so RETURNING yields the existing id.
      set: { phone: sql`coalesce(${clients.phone}, excluded.phone)` },
    })
    .returning({ id: clients.id });
  const [booking] = await tx
    .insert(bookings)
    .values({
      clinicId: row.clinic.id,
      practitionerId: row.practitionerId,
      serviceId: row.service.id,
      clientId: client.id,
      ...appointmentTimes(row.start, row.service),
      priceMinor: row.service.priceMinor,
      currency: row.clinic.currency,
      clientNote: row.note ?? null,
    })
    .returning();
  const [event] = await sendEvent(
    { name: "booking/created", data: { bookingId: booking.id, clinicId: row.clinic.id } },
    { tx },
  );
  // The event id lets the request's kick run this booking's jobs before any backlog.
  return { ...booking, eventId: event.id };
}

/**
 * Books a slot the clinic offers. A time that was never bookable (past, inside the
 * notice, beyond the horizon, outside hours, off the grid) is BookingTimeError, saying
 * which; the race between two people for the same time is decided by the database
 * (bookings_no_overlap), whose refusal becomes SlotTakenError carrying the slots that
 * are still free. With "any", each free practitioner is tried in turn.
 */
export async function createBooking(
  clinic: Clinic,
  request: BookingRequest,
  options: { now?: Date } = {},
): Promise<{ booking: Booking & { eventId: string }; token: string }> {
  const start = new Date(request.start);
  const now = options.now ?? new Date();
  const query = {
    serviceId: request.serviceId,
    practitionerId: request.practitionerId,
    date: localDateOf(start, clinic.timeZone),
  };
  checkBookableTime(clinic, start, now);
  const { service, slots, days } = await findFreeSlots(clinic, query, { now });
  const slot = slots.find((candidate) => new Date(candidate.start).getTime() === start.getTime());
  if (!slot) throw unofferedTimeError(clinic, start, { date: query.date, service, days, slots });

  for (const practitionerId of slot.practitionerIds) {
    for (let attempt = 1; ; attempt++) {
      try {
        const booking = await db.transaction((tx) =>
          insertBookingWithEvent(tx, { clinic, service, practitionerId, start, client: request, note: request.note }),
        );
        return { booking, token: createBookingToken(booking.id) };
      } catch (error) {
        // Aborted by a deadlock with a rival insert: try again, and the rival's fate decides.
        // A short random pause first, so the same inserts do not collide again in lockstep.
        if (isDeadlock(error) && attempt < DEADLOCK_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
          continue;
        }
        if (!isSlotConflict(error)) throw error;
        break;
      }
    }
  }
  const { slots: remaining } = await findFreeSlots(clinic, query, { now });
  throw new SlotTakenError(remaining);
}
