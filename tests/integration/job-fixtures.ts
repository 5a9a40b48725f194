import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import type { Member } from "@/lib/auth/member";
import { createMember } from "../fixtures/clinic";
import { bookings, clients, clinics, memberships, practitioners, services, users, type Booking } from "@/lib/db/schema";

/**
 * Rows for the email, billing and job tests, written straight to the real database.
 * Each practitioner gets its own row per booking-set so tests never trip the
 * no-overlap constraint by accident.
 */
export async function createClinic(
  options: { name?: string; timeZone?: string; currency?: string; active?: boolean } = {},
) {
  const [clinic] = await db
    .insert(clinics)
    .values({
      name: options.name ?? "Riverside Physio",
      slug: `clinic-${randomUUID()}`,
      timeZone: options.timeZone ?? "Europe/London",
      currency: options.currency ?? "GBP",
      active: options.active ?? true,
    })
    .returning();
  const [practitioner] = await db
    .insert(practitioners)
    .values({ clinicId: clinic.id, name: "Dr Alex Morgan" })
    .returning();
  return { clinic, practitioner };
}

export async function createService(clinicId: string, name: string, priceMinor: number, durationMinutes = 30) {
  const [service] = await db.insert(services).values({ clinicId, name, priceMinor, durationMinutes }).returning();
  return service;
}

export async function createClient(clinicId: string, name: string) {
  const [client] = await db
    .insert(clients)
    .values({
      clinicId,
      name,
      email: `${name.toLowerCase().replace(/\W+/g, ".")}.${randomUUID().slice(0, 8)}@example.com`,
    })
    .returning();
  return client;
}

/** A member of `clinicId` (an owner unless `role` says otherwise) whose address is confirmed, as in use. */
export async function createOwner(clinicId: string, name: string, role: "owner" | "admin" | "staff" = "owner") {
  const [user] = await db
    .insert(users)
    .values({
      id: randomUUID(),
      name,
      email: `${name.toLowerCase().replace(/\W+/g, ".")}.${randomUUID().slice(0, 8)}@example.com`,
      emailVerified: true,
    })
    .returning();
  await db.insert(memberships).values({ clinicId, userId: user.id, role });
  return user;
}

type BookingInput = {
  clinicId: string;
  practitionerId: string;
  serviceId: string;
  clientId: string;
  startsAt: string | Date;
  minutes?: number;
  status?: Booking["status"];
  priceMinor: number;
  currency?: string;
  createdAt?: Date;
};

export async function createBooking(input: BookingInput) {
  const startsAt = new Date(input.startsAt);
  const [booking] = await db
    .insert(bookings)
    .values({
      clinicId: input.clinicId,
      practitionerId: input.practitionerId,
      serviceId: input.serviceId,
      clientId: input.clientId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + (input.minutes ?? 30) * 60_000),
      status: input.status ?? "confirmed",
      priceMinor: input.priceMinor,
      currency: input.currency ?? "GBP",
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    })
    .returning();
  return booking;
}

/** A clinic with one treatment, one client and one booking `hoursAhead` from now. */
export async function createBookedClinic(options: { hoursAhead: number; createdHoursAgo?: number; timeZone?: string }) {
  const { clinic, practitioner } = await createClinic({ timeZone: options.timeZone });
  const service = await createService(clinic.id, "Sports massage", 5500, 45);
  const client = await createClient(clinic.id, "Sam Patel");
  const now = Date.now();
  const booking = await createBooking({
    clinicId: clinic.id,
    practitionerId: practitioner.id,
    serviceId: service.id,
    clientId: client.id,
    startsAt: new Date(Math.floor((now + options.hoursAhead * 3_600_000) / 60_000) * 60_000),
    minutes: 45,
    priceMinor: 5500,
    createdAt: options.createdHoursAgo === undefined ? undefined : new Date(now - options.createdHoursAgo * 3_600_000),
  });
  return { clinic, practitioner, service, client, booking };
}

/** A minute-aligned instant `hoursFromNow` hours away (negative: in the past). */
export const hoursFromNow = (hours: number) => new Date(Math.floor((Date.now() + hours * 3_600_000) / 60_000) * 60_000);

/**
 * A clinic with one practitioner and one treatment, a member of `role` as requireMember
 * would return them, and `book`, which writes an appointment of that treatment.
 */
export async function createClinicWithMember(role: Member["role"] = "owner") {
  const { clinic, practitioner } = await createClinic();
  const service = await createService(clinic.id, "Sports massage", 5500, 45);
  const member = await createMember(clinic, role);
  const book = (clientId: string, startsAt: Date, status?: Booking["status"]) =>
    createBooking({
      clinicId: clinic.id,
      practitionerId: practitioner.id,
      serviceId: service.id,
      clientId,
      startsAt,
      status,
      priceMinor: 5500,
    });
  return { clinic, practitioner, service, member, book };
}
