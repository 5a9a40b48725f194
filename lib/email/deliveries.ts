import "server-only";
import { and, eq } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { emailDeliveries } from "@/lib/db/schema";

/**
 * The Resend path's memory of what it has sent (`email_deliveries`). Resend keeps an
 * idempotency key for 24 hours only; a replay or a rerun of last month's billing days
 * later must still find the email sent, so the key is recorded here for good.
 */

/**
 * Records the attempt before Resend is called and says whether it was already sent.
 * The unique idempotency_key makes the insert a no-op for a key seen before. A row
 * still `sending` (an earlier attempt failed or crashed before it was confirmed) is
 * handed back as not sent: sending again with the same key is safe, because Resend
 * drops the copy if the earlier attempt did go out within the last 24 hours.
 */
export async function beginDelivery(email: {
  to: string;
  subject: string;
  idempotencyKey: string;
}): Promise<{ sent: false } | { sent: true; resendId: string }> {
  await db
    .insert(emailDeliveries)
    .values({ idempotencyKey: email.idempotencyKey, recipient: email.to, subject: email.subject, status: "sending" })
    .onConflictDoNothing({ target: emailDeliveries.idempotencyKey });
  const [row] = await db
    .select({ status: emailDeliveries.status, resendId: emailDeliveries.resendId })
    .from(emailDeliveries)
    .where(eq(emailDeliveries.idempotencyKey, email.idempotencyKey));
  if (row?.status === "sent" && row.resendId) return { sent: true, resendId: row.resendId };
  return { sent: false };
}

/** Resend accepted the email: from now on this key never reaches Resend again. */
export async function markDelivered(idempotencyKey: string, resendId: string): Promise<void> {
  await db
    .update(emailDeliveries)
    .set({ status: "sent", resendId, sentAt: new Date() })
    .where(and(eq(emailDeliveries.idempotencyKey, idempotencyKey), eq(emailDeliveries.status, "sending")));
}
