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

type ResendError = { message: string; statusCode: number | null; name: string };

/**
 * Resend answers `{ data, error }` and never throws, so an unchecked error would look
 * like a sent email. Errors that can pass on their own (429, 5xx, no response, a
 * concurrent request with the same idempotency key) throw a retryable error; the
 * rest (422 validation, bad key, a key reused with another payload) cannot succeed
 * on retry and fail the job at once.
 */
export function deliveryErrorFrom(error: ResendError): Error {
  const status = error.statusCode;
  const message = `Resend refused the email (${status ?? "no response"} ${error.name}): ${error.message}`;
  const transient = status === null || status === 429 || status >= 500 || error.name === "concurrent_idempotent_requests";
  if (transient) return new EmailDeliveryError(message, status, error.name);
  return new NonRetriableError(message, { cause: new EmailDeliveryError(message, status, error.name) });
}

export async function sendWithResend(apiKey: string, from: string, email: RenderedEmail, baseUrl?: string): Promise<{ id: string }> {
  // RESEND_BASE_URL (read here and by the SDK) lets tests and EU/self-hosted setups point elsewhere.
  const resend = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  const { data, error } = await resend.emails.send(
    { from, to: email.to, subject: email.subject, html: email.html, text: email.text },
    { idempotencyKey: email.idempotencyKey },
  );
  if (error) throw deliveryErrorFrom(error);
  if (!data?.id) throw new EmailDeliveryError("Resend answered without an email id", null, "application_error");
  return { id: data.id };
}
