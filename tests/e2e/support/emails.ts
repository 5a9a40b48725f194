import { and, asc, eq, like } from "drizzle-orm";
import { expect } from "vitest";
import { db } from "@/lib/db/client";
import { emailOutbox } from "@/lib/db/schema";

/**
 * The emails to `recipient` (whose idempotency key starts with `keyPrefix`, if given),
 * oldest first, once there are `count` of them. The e2e servers run no worker: each
 * email comes from the kick after the request that caused it. More than `count` fails,
 * as a duplicate would, and so does waiting longer than `timeoutMs`.
 */
export async function waitForEmails(
  recipient: string,
  count: number,
  options: { keyPrefix?: string; timeoutMs?: number } = {},
) {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const where = options.keyPrefix
    ? and(eq(emailOutbox.recipient, recipient), like(emailOutbox.idempotencyKey, `${options.keyPrefix}%`))
    : eq(emailOutbox.recipient, recipient);
  for (;;) {
    const emails = await db.select().from(emailOutbox).where(where).orderBy(asc(emailOutbox.createdAt));
    if (emails.length >= count || Date.now() > deadline) {
      expect(emails, `emails to ${recipient}`).toHaveLength(count);
      return emails;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The first link in an email's text that matches `pattern`; an email without one fails, showing its text. */
export function linkIn(email: { text: string }, pattern: RegExp): string {
  const link = pattern.exec(email.text)?.[0];
  if (!link) throw new Error(`no link matching ${pattern} in:\n${email.text}`);
  return link;
}
