import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { bookings, clients, type Booking, type Clinic, type Service } from "@/lib/db/schema";
import { sendEvent } from "@/lib/jobs/send";
import { ANY_PRACTITIONER, findFreeSlots } from "./availability";
import { createBookingToken } from "./cancel-token";
import { isSlotConflict, SlotTakenError } from "./errors";
import { FieldError } from "@/lib/clinic/errors";

/** How far ahead clients may book. */
export const BOOKING_HORIZON_DAYS = 60;
import { addDays, localDateOf } from "./wall-clock";

const optionalText = (schema: z.ZodString) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());

/** The public booking form. */
export const bookingRequestSchema = z.object({
  serviceId: z.uuid("Choose a treatment"),
  practitionerId: z.union([z.uuid(), z.literal(ANY_PRACTITIONER)], "Choose a practitioner or “any”"),
  start: z.iso.datetime({ offset: true, message: "Choose a time" }),
  name: z.string().trim().min(1, "Enter your name").max(120, "Keep the name under 120 characters"),
  email: z.email("Enter an email address such as you@example.com").trim().toLowerCase(),
  phone: optionalText(
    z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{6,20}$/, "Enter a phone number: digits, spaces, + or -"),
  ),
});
export type BookingRequest = z.output<typeof bookingRequestSchema>;

type BookingRow = {
  clinic: Clinic;
  service: Service;
  practitionerId: string;
  start: Date;
  client: Pick<BookingRequest, "name" | "email" | "phone">;
};

/**
 * Inside the caller's transaction: find or add the client by (clinic, email), insert
 * the booking and emit `booking/created`. The event commits with the booking or not at all.
 */
export async function insertBookingWithEvent(tx: Tx, row: BookingRow): Promise<Booking & { eventId: string }> {
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
      startsAt: row.start,
      endsAt: new Date(row.start.getTime() + row.service.durationMinutes * 60_000),
      priceMinor: row.service.priceMinor,
      currency: row.clinic.currency,
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
 * Books a slot the clinic offers. The free-slot check filters what was never
 * bookable; the race between two people for the same time is decided by the
 * database (bookings_no_overlap), whose refusal becomes SlotTakenError carrying the
 * slots that are still free. With "any", each free practitioner is tried in turn.
 */
export async function createBooking(
  clinic: Clinic,
  request: BookingRequest,
  options: { now?: Date } = {},
): Promise<{ booking: Booking & { eventId: string }; token: string }> {
  const start = new Date(request.start);
  const query = {
    serviceId: request.serviceId,
    practitionerId: request.practitionerId,
    date: localDateOf(start, clinic.timeZone),
  };
  if (query.date > addDays(localDateOf(options.now ?? new Date(), clinic.timeZone), BOOKING_HORIZON_DAYS)) {
    throw new FieldError("start", `Bookings open ${BOOKING_HORIZON_DAYS} days ahead; choose an earlier day`);
  }
  const { service, slots } = await findFreeSlots(clinic, query, options);
  const slot = slots.find((candidate) => new Date(candidate.start).getTime() === start.getTime());
  if (!slot) throw new SlotTakenError(slots);

  for (const practitionerId of slot.practitionerIds) {
    try {
      const booking = await db.transaction((tx) =>
        insertBookingWithEvent(tx, { clinic, service, practitionerId, start, client: request }),
      );
      return { booking, token: createBookingToken(booking.id) };
    } catch (error) {
      if (!isSlotConflict(error)) throw error;
    }
  }
  const { slots: remaining } = await findFreeSlots(clinic, query, options);
  throw new SlotTakenError(remaining);
}
