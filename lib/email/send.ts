import "server-only";
import type { ReactElement } from "react";
import { z } from "zod";
import type { StoredAttachment } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { NonRetriableError } from "@/lib/jobs/define";
import { beginDelivery, markDelivered } from "./deliveries";
import { writeToOutbox } from "./outbox";
import { waitForApiTurn } from "./pacing";
import { renderEmail } from "./render";
import { sendWithResend } from "./resend";

/** A file sent with the email; `content` is the file itself, text (written as UTF-8) or bytes. */
export type EmailAttachment = { filename: string; content: string | Uint8Array; contentType: string };

export type EmailMessage = {
  to: string;
  subject: string;
  react: ReactElement;
  /**
   * Same key, same email: a repeat is a no-op (the outbox, or the email_deliveries ledger and Resend).
   * Attachments included: make them from the message's data, not the clock, so a retry sends the same bytes.
   */
  idempotencyKey: string;
  attachments?: EmailAttachment[];
};

export type SentEmail = { via: "outbox"; created: boolean } | { via: "resend"; id: string };

const messageSchema = z.object({
  to: z.email({ message: "to must be an email address" }),
  subject: z.string().trim().min(1, "subject must not be empty").max(998, "subject is longer than 998 characters"),
  // Resend caps idempotency keys at 256 characters.
  idempotencyKey: z
    .string()
    .min(1, "idempotencyKey must not be empty")
    .max(256, "idempotencyKey is longer than 256 characters"),
  attachments: z
    .array(
      z.object({
        filename: z.string().trim().min(1, "an attachment's filename must not be empty"),
        contentType: z.string().trim().min(1, "an attachment's contentType must not be empty"),
        content: z.union([z.string(), z.instanceof(Uint8Array)]),
      }),
    )
    .default([]),
});

/** Base64, once, for both paths: Resend's API takes it, and the outbox keeps it in jsonb. */
function encodeAttachment({ filename, contentType, content }: EmailAttachment): StoredAttachment {
  return { filename, contentType, content: Buffer.from(content).toString("base64") };
}

/** A message that can never be sent as given (a bad address, say): retrying cannot help. */
export class EmailInputError extends NonRetriableError {}

let warnedAboutOutbox = false;

/**
 * The one way Slotline sends email. Renders the React Email element to HTML and
 * plain text (and attachments to base64), then delivers through Resend when
 * RESEND_API_KEY is set, or writes to the `email_outbox` table otherwise (dev, tests,
 * and a production deploy whose key is missing: nothing is lost, and an operator can
 * read the table, attachments included). Either way a key is sent once: the outbox's
 * unique key, or on the Resend path the `email_deliveries` ledger (checked before
 * Resend is called, so a replay days later sends nothing).
 */
export async function sendEmail(message: EmailMessage): Promise<SentEmail> {
  const parsed = messageSchema.safeParse(message);
  if (!parsed.success) throw new EmailInputError(`Invalid email: ${z.prettifyError(parsed.error)}`);
  const { to, subject, idempotencyKey, attachments } = parsed.data;
  const config = env();
  const rendered = async () => {
    const { html, text } = await renderEmail(message.react);
    return { to, subject, html, text, idempotencyKey, attachments: attachments.map(encodeAttachment) };
  };

  if (!config.RESEND_API_KEY) {
    if (config.NODE_ENV === "production" && !warnedAboutOutbox) {
      warnedAboutOutbox = true;
      console.warn(
        "[slotline] RESEND_API_KEY is not set: emails are stored in the email_outbox table and NOT delivered.",
      );
    }
    const { created } = await writeToOutbox(await rendered());
    return { via: "outbox", created };
  }

  // Resend forgets idempotency keys after 24 hours; the ledger remembers them for good.
  // Checked before rendering: a replay of an email already sent costs one query.
  const delivery = await beginDelivery({ to, subject, idempotencyKey });
  if (delivery.sent) return { via: "resend", id: delivery.resendId };
  const email = await rendered();
  await waitForApiTurn("resend", config.EMAIL_RATE_PER_SECOND);
  const { id } = await sendWithResend(config.RESEND_API_KEY, config.EMAIL_FROM, email, config.RESEND_BASE_URL);
  await markDelivered(idempotencyKey, id);
  return { via: "resend", id };
}
