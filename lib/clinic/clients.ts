import "server-only";
import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { ALL_ROLES, type Member } from "@/lib/auth/member";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/postgres-errors";
import { bookings, clients, practitioners, services, type Booking, type Client } from "@/lib/db/schema";
import { ALREADY_ERASED } from "./erase-client";
import { ClientStateError, FieldError, NotFoundError } from "./errors";
import {
  CLIENT_PHONE_MAX,
  DESCRIPTION_MAX,
  email,
  id,
  NAME_MAX,
  optionalMultilineText,
  optionalPhone,
  optionalText,
  requiredText,
  wholeNumber,
} from "./form-fields";

/**
 * The clinic's clients (/dashboard/clients): everyone who ever booked, searchable, with
 * their appointments. Every member sees and corrects them (the front desk does it most).
 */

export const CLIENTS_PAGE_SIZE = 50;
export const CLIENT_SEARCH_MAX = 100;
/** A client's page lists this many of their latest appointments. */
export const CLIENT_HISTORY_MAX = 200;

/** The list's query string: `?q=` matches name, email or phone; `?page=` from 1. */
export const clientSearchSchema = z.object({
  q: optionalText(CLIENT_SEARCH_MAX, "search", "Search with one piece of text"),
  // A blank page (an emptied address bar field) is the first.
  page: z.preprocess((value) => (value === "" ? undefined : value), wholeNumber("page", 1, 10_000).default(1)),
});
export type ClientSearch = z.output<typeof clientSearchSchema>;

/** What the front desk asks first about a client, counted over all their appointments. */
export type ClientFigures = {
  /** Appointments not cancelled, past and upcoming. */
  appointments: number;
  noShows: number;
  lastVisit: Date | null;
  nextAppointment: Date | null;
};

export type ClientListRow = Pick<Client, "id" | "name" | "email" | "phone"> & ClientFigures;

type FigureColumns = {
  appointments: number;
  no_shows: number;
  last_visit: string | null;
  next_appointment: string | null;
};

/** ClientFigures of the client `clientId` (an SQL expression) of `clinicId`, as one row (bookings_clinic_client_idx). */
const figuresQuery = (clinicId: string, clientId: SQL) => sql`
  select count(*) filter (where b.status <> 'cancelled')::int as appointments,
         count(*) filter (where b.status = 'no_show')::int as no_shows,
         max(b.starts_at) filter (where b.status in ('confirmed', 'completed') and b.starts_at <= now()) as last_visit,
         min(b.starts_at) filter (where b.status = 'confirmed' and b.starts_at > now()) as next_appointment
  from bookings b where b.clinic_id = ${clinicId} and b.client_id = ${clientId}`;

const toDate = (value: string | null) => (value ? new Date(value) : null);
const figuresOf = (row: FigureColumns): ClientFigures => ({
  appointments: row.appointments,
  noShows: row.no_shows,
  lastVisit: toDate(row.last_visit),
  nextAppointment: toDate(row.next_appointment),
});

/** `%`, `_` and `\` typed in a search are themselves, not LIKE wildcards. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * One page of the member's clinic's clients, by name, with what the front desk asks
 * first: how often they came, whether they missed any, when they were last in and when
 * they are next due. The page is chosen before the figures are counted, so a clinic with
 * years of appointments counts 50 clients' worth (bookings_clinic_client_idx).
 */
export async function listClients(
  member: Member,
  search: ClientSearch,
): Promise<{ clients: ClientListRow[]; hasMore: boolean }> {
  const pattern = containing(search.q ?? "");
  const rows = await db.execute<Pick<Client, "id" | "name" | "email" | "phone"> & FigureColumns>(sql`
    with page as (
      select id, name, email, phone from clients
      where clinic_id = ${member.clinic.id}
        and (${search.q ?? ""} = '' or name ilike ${pattern} or email ilike ${pattern} or phone ilike ${pattern})
      order by lower(name), id
      limit ${CLIENTS_PAGE_SIZE + 1} offset ${(search.page - 1) * CLIENTS_PAGE_SIZE}
    )
    select page.*, figures.* from page
    cross join lateral (${figuresQuery(member.clinic.id, sql`page.id`)}) figures
    order by lower(page.name), page.id
  `);
  return {
    clients: rows
      .slice(0, CLIENTS_PAGE_SIZE)
      .map((row) => ({ id: row.id, name: row.name, email: row.email, phone: row.phone, ...figuresOf(row) })),
    hasMore: rows.length > CLIENTS_PAGE_SIZE,
  };
}

/** One client's figures (from getClient, so the member's own), over all their appointments. */
export async function clientFigures(client: Client): Promise<ClientFigures> {
  const [row] = await db.execute<FigureColumns>(figuresQuery(client.clinicId, sql`${client.id}::uuid`));
  return figuresOf(row);
}

/** One client of the member's clinic; another clinic's, or no such id, is "not found". */
export async function getClient(member: Member, clientId: string): Promise<Client> {
  const [row] = z.uuid().safeParse(clientId).success
    ? await db
        .select()
        .from(clients)
        .where(and(eq(clients.id, clientId), eq(clients.clinicId, member.clinic.id)))
    : [];
  if (!row) throw new NotFoundError("Client");
  return row;
}

/** `clientId` from a query string: the member's clinic's client, or null for anything else (an erased one too). */
export async function findClient(member: Member, clientId: unknown): Promise<Client | null> {
  if (typeof clientId !== "string") return null;
  const client = await getClient(member, clientId).catch((error) => {
    if (error instanceof NotFoundError) return null;
    throw error;
  });
  return client?.erasedAt ? null : client;
}

export type ClientAppointment = Pick<
  Booking,
  "id" | "startsAt" | "endsAt" | "status" | "priceMinor" | "currency" | "cancelledBy" | "cancelReason" | "clientNote"
> & { treatment: string; practitioner: string };

/** A client's appointments (from getClient, so the member's own), latest first, up to CLIENT_HISTORY_MAX. */
export async function clientAppointments(client: Client): Promise<ClientAppointment[]> {
  return db
    .select({
      id: bookings.id,
      startsAt: bookings.startsAt,
      endsAt: bookings.endsAt,
      status: bookings.status,
      priceMinor: bookings.priceMinor,
      currency: bookings.currency,
      cancelledBy: bookings.cancelledBy,
      cancelReason: bookings.cancelReason,
      clientNote: bookings.clientNote,
      treatment: services.name,
      practitioner: practitioners.name,
    })
    .from(bookings)
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(practitioners, eq(practitioners.id, bookings.practitionerId))
    .where(and(eq(bookings.clinicId, client.clinicId), eq(bookings.clientId, client.id)))
    .orderBy(desc(bookings.startsAt), desc(bookings.id))
    .limit(CLIENT_HISTORY_MAX);
}

export const updateClientSchema = z.object({
  id: id("client"),
  name: requiredText(NAME_MAX, "client's name"),
  email: email(),
  phone: optionalPhone(CLIENT_PHONE_MAX),
  notes: optionalMultilineText(DESCRIPTION_MAX, "notes"),
});

const EMAIL_TAKEN = "Another client of this clinic has this email. Search for them instead.";

/**
 * Corrects a client's name, email or phone, and keeps the clinic's notes on them. Emails
 * not yet sent (a reminder, say) go to the new address, since jobs read the client when
 * they send. An email another client of the clinic has is a field error, and nothing changes.
 */
export async function updateClient(member: Member, input: z.output<typeof updateClientSchema>): Promise<Client> {
  try {
    const [row] = await db
      .update(clients)
      .set({ name: input.name, email: input.email, phone: input.phone ?? null, notes: input.notes ?? null })
      .where(and(eq(clients.id, input.id), eq(clients.clinicId, member.clinic.id), isNull(clients.erasedAt)))
      .returning();
    if (row) return row;
    // Not updated: getClient says "not found" for another clinic's (or no such) client; else it was erased.
    await getClient(member, input.id);
    throw new ClientStateError(ALREADY_ERASED);
  } catch (error) {
    if (isUniqueViolation(error, "clients_clinic_email_key")) throw new FieldError("email", EMAIL_TAKEN);
    throw error;
  }
}

export const updateClientAction = defineMemberAction({
  schema: updateClientSchema,
  roles: ALL_ROLES,
  run: updateClient,
  success: "Client saved.",
});
