import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { db } from "@/lib/db/client";

export type SummaryRecipient = { userId: string; name: string; email: string };

/**
 * A clinic's owners who get its owner emails, as a JSON array of recipients in the order
 * they joined: a subquery, so a statement that needs them too (billingPeriodStatus) gets
 * them without a round trip of its own. Only owners whose address is confirmed
 * (lib/auth/email-verification.ts): anyone may sign up with any address, and the
 * clinic's mail must not go to someone who never asked for it.
 */
export const clinicOwners = (clinicId: SQL) => sql`(
  select coalesce(
           json_agg(json_build_object('userId', u.id, 'name', u.name, 'email', u.email) order by m.created_at, u.id),
           '[]'::json)
  from memberships m join users u on u.id = m.user_id
  where m.clinic_id = ${clinicId} and m.role = 'owner' and u.email_verified)`;

/** Who gets a clinic's owner emails (billing summaries, cancellation and reschedule notices): confirmed owners. */
export async function listClinicOwners(clinicId: string): Promise<SummaryRecipient[]> {
  const [row] = await db.execute<{ owners: SummaryRecipient[] }>(
    sql`select ${clinicOwners(sql`${clinicId}::uuid`)} as owners`,
  );
  return row.owners;
}
