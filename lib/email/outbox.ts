import "server-only";
import { desc } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { emailOutbox, type StoredAttachment } from "@/lib/db/schema";

export type RenderedEmail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  idempotencyKey: string;
  attachments?: StoredAttachment[];
};

/**
 * Where email goes without RESEND_API_KEY: a table that keeps every message. The
 * unique idempotency_key makes a second send of the same message a no-op, which is
 * what a retried or replayed job relies on.
 */
export async function writeToOutbox(email: RenderedEmail): Promise<{ created: boolean }> {
  const inserted = await db
    .insert(emailOutbox)
    .values({
      recipient: email.to,
      subject: email.subject,
      html: email.html,
      text: email.text,
      attachments: email.attachments,
      idempotencyKey: email.idempotencyKey,
    })
    .onConflictDoNothing({ target: emailOutbox.idempotencyKey })
    .returning({ id: emailOutbox.id });
  return { created: inserted.length > 0 };
}

/** Newest first, for /dev/emails. */
export async function listOutbox(limit = 50) {
  return db.select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id)).limit(limit);
}
