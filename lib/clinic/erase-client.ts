import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { assertRole, MANAGER_ROLES, type Member } from "@/lib/auth/member";
import { db } from "@/lib/db/client";
import { clients, type Client } from "@/lib/db/schema";
import { ClientStateError, NotFoundError } from "./errors";
import { checkbox, id } from "./form-fields";

/**
 * Erasing a client on their request: their name, email and phone leave every table
 * Slotline keeps them in, while their appointments stay (the clinic's records, its
 * revenue and the monthly summaries) under an anonymous client.
 */

export const ERASED_NAME = "Erased client";
/** A unique address per erased client (the clinic's emails are unique), at a domain that can never receive mail. */
export const erasedEmail = (clientId: string) => `erased-${clientId}@erased.invalid`;
export const ALREADY_ERASED = "This client's details were already erased.";
const ERASED_BODY = "This email was erased with the client's details.";

export const eraseClientSchema = z.object({
  id: id("client"),
  confirm: checkbox.refine((ticked) => ticked, "Tick the box to confirm: erasing cannot be undone"),
});

/**
 * Erases a client's details in one transaction (owners and admins). Refused while they
 * have appointments to come: cancel those first, so nobody is expected who cannot be
 * reached. What changes:
 * - the client: an anonymous name, an unreachable unique email, no phone, no notes, `erased_at`;
 * - their appointments: only the free text (the cancellation reason, their note) is cleared;
 * - the emails about their appointments (email_outbox, email_deliveries): the client's
 *   address is replaced and stored bodies are cleared, so the ledger still says they were
 *   sent and a replay sends nothing;
 * - the booking details job steps checkpointed (job_steps.output with clientName and
 *   clientEmail) for those appointments. Runs on Inngest keep their step outputs in
 *   Inngest, under its own retention.
 * Booking again with the same email later makes a new client.
 */
export async function eraseClient(member: Member, input: z.output<typeof eraseClientSchema>): Promise<Client> {
  assertRole(member, MANAGER_ROLES);
  return db.transaction(async (tx) => {
    const [client] = await tx
      .select()
      .from(clients)
      .where(and(eq(clients.id, input.id), eq(clients.clinicId, member.clinic.id)))
      .for("update");
    if (!client) throw new NotFoundError("Client");
    if (client.erasedAt) throw new ClientStateError(ALREADY_ERASED);
    const [{ upcoming }] = await tx.execute<{ upcoming: number }>(sql`
      select count(*)::int as upcoming from bookings
      where client_id = ${client.id} and status = 'confirmed' and ends_at > now()
    `);
    if (upcoming > 0)
      throw new ClientStateError(
        `${client.name} has ${upcoming === 1 ? "an appointment" : `${upcoming} appointments`} to come. Cancel ${upcoming === 1 ? "it" : "them"} first, then erase.`,
      );

    const erased = erasedEmail(client.id);
    // One statement: the emails and job runs about this client's appointments are keyed by
    // booking id, or by the id of an event about one of them (a move's emails).
    await tx.execute(sql`
      with booking as (select id::text as ref from bookings where client_id = ${client.id}),
      ref as (
        select ref from booking
        union
        select id::text from job_events where data->>'bookingId' in (select ref from booking)
      ),
      outbox as (
        update email_outbox
        set recipient = case when recipient = ${client.email} then ${erased} else recipient end,
            html = ${`<p>${ERASED_BODY}</p>`}, text = ${ERASED_BODY}, attachments = '[]'::jsonb
        where split_part(idempotency_key, ':', 2) in (select ref from ref)
      ),
      delivery as (
        update email_deliveries set recipient = ${erased}
        where recipient = ${client.email} and split_part(idempotency_key, ':', 2) in (select ref from ref)
      ),
      checkpoint as (
        update job_steps
        set output = output || jsonb_build_object('clientName', ${ERASED_NAME}::text, 'clientEmail', ${erased}::text,
                                                   'cancelReason', null)
        where run_id in (select id from job_runs where event_id::text in (select ref from ref))
          and jsonb_typeof(output) = 'object' and output ? 'clientEmail'
      )
      update bookings set cancel_reason = null, client_note = null
      where client_id = ${client.id} and (cancel_reason is not null or client_note is not null)
    `);
    const [row] = await tx
      .update(clients)
      .set({ name: ERASED_NAME, email: erased, phone: null, notes: null, erasedAt: sql`now()` })
      .where(eq(clients.id, client.id))
      .returning();
    return row;
  });
}

export const eraseClientAction = defineMemberAction({
  schema: eraseClientSchema,
  roles: MANAGER_ROLES,
  run: eraseClient,
  success: "Client erased.",
});
