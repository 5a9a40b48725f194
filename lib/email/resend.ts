import "server-only";
import { Resend } from "resend";
import { NonRetriableError } from "@/lib/jobs/define";
import type { RenderedEmail } from "./outbox";

/** A delivery that may work later (rate limit, Resend outage, network): the job retries. */
export class EmailDeliveryError extends Error {
  override name = "EmailDeliveryError";
  constructor(
    message: string,
    public readonly statusCode: number | null,
    public readonly code: string,
  ) {
    super(message);
  }
}

/** What Resend's SDK hands back: the API's error body as sent, so any field may be missing. */
type ResendError = { message?: string; statusCode?: number | null; name?: string };

/**
 * Answers that can never succeed on a retry: a malformed request (400), a missing or
 * bad API key or unverified sender (401, 403), failed validation (422), and an
 * idempotency key reused with a different payload (409 invalid_idempotent_request).
 */
const PERMANENT_STATUSES = new Set([400, 401, 403, 422]);

/**
 * Resend answers `{ data, error }` and never throws, so an unchecked error would look
 * like a sent email. Only the answers in PERMANENT_STATUSES (and a reused key) fail
 * the job at once. Everything else retries: 429, 5xx, no response, an error body
 * without a status code, any other 4xx, and a concurrent request with the same key
 * (409 concurrent_idempotent_requests). A permanent error wrongly retried costs a few
 * attempts; a transient one wrongly given up on loses the email.
 */
export function deliveryErrorFrom(error: ResendError): Error {
  const status = typeof error.statusCode === "number" && Number.isInteger(error.statusCode) ? error.statusCode : null;
  const code = error.name ?? "unknown_error";
  const message = `Resend refused the email (${status ?? "no status"} ${code}): ${error.message ?? "no message"}`;
  const permanent =
    status !== null && (PERMANENT_STATUSES.has(status) || (status === 409 && code === "invalid_idempotent_request"));
  if (!permanent) return new EmailDeliveryError(message, status, code);
  return new NonRetriableError(message, { cause: new EmailDeliveryError(message, status, code) });
}

export async function sendWithResend(
  apiKey: string,
  from: string,
  email: RenderedEmail,
  baseUrl?: string,
): Promise<{ id: string }> {
  // RESEND_BASE_URL (read here and by the SDK) lets tests and EU/self-hosted setups point elsewhere.
  const resend = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  const { data, error } = await resend.emails.send(
    {
      from,
      to: email.to,
      subject: email.subject,
      html: email.html,
      text: email.text,
      // The SDK passes a string content on as it is: base64, as the API takes it. None: no field,
      // so an email without files posts exactly what it did before attachments existed.
      attachments: email.attachments?.length ? email.attachments : undefined,
    },
    { idempotencyKey: email.idempotencyKey },
  );
  if (error) throw deliveryErrorFrom(error);
  if (!data?.id) throw new EmailDeliveryError("Resend answered without an email id", null, "application_error");
  return { id: data.id };
}
