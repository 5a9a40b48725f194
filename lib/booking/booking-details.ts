import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { bookings, clients, clinics, practitioners, services } from "@/lib/db/schema";

/**
 * One booking with what a person is shown about it: its clinic, and the names of its
 * treatment, practitioner and client. The client's manage page and the booking emails
 * both read it; callers scope it (a verified token, a job's own event).
 */
export async function findBookingDetails(bookingId: string) {
  const [row] = await db
    .select({
      booking: bookings,
      clinic: clinics,
      service: { id: services.id, name: services.name, active: services.active },
      practitioner: { name: practitioners.name },
      client: { name: clients.name, email: clients.email },
    })
    .from(bookings)
    .innerJoin(clinics, eq(clinics.id, bookings.clinicId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(practitioners, eq(practitioners.id, bookings.practitionerId))
    .innerJoin(clients, eq(clients.id, bookings.clientId))
    .where(eq(bookings.id, bookingId));
  return row ?? null;
}

export type BookingDetails = NonNullable<Awaited<ReturnType<typeof findBookingDetails>>>;
