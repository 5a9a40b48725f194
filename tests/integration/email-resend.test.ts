import type { IncomingHttpHeaders } from "node:http";
import { createElement } from "react";
import { beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { emailDeliveries, emailOutbox, jobRuns } from "@/lib/db/schema";
import { sendEmail } from "@/lib/email/send";
import { EmailDeliveryError } from "@/lib/email/resend";
import { BookingConfirmationEmail } from "@/lib/email/templates/booking-confirmation";
import { resetEnv } from "@/lib/env";
import { NonRetriableError } from "@/lib/jobs/define";
import { replayRun } from "@/lib/jobs/postgres/control";
import { drain } from "@/lib/jobs/postgres/drain";
import { resetDatabaseClock, shiftDatabaseClock } from "@/lib/jobs/postgres/clock";
import { sendEvent } from "@/lib/jobs/send";
import { createBookedClinic, createClinic, createOwner } from "./job-fixtures";
import { startResendStandIn } from "./support/resend-stand-in";

// A local HTTP server standing in for Resend's API (POST /emails): real HTTP, real SDK.
// Like Resend, it answers a repeated idempotency key with the first success and sends
// nothing new, until forgetKeys() (Resend forgets keys after 24 hours).
type Received = { method?: string; url?: string; headers: IncomingHttpHeaders; body: Record<string, unknown> };
let received: Received[] = [];
let reply: { status: number; body: unknown } = { status: 200, body: { id: "em_1" } };
const rememberedKeys = new Map<string, unknown>();
const forgetKeys = () => rememberedKeys.clear();
startResendStandIn(
  (request, body, response) => {
    received.push({ method: request.method, url: request.url, headers: request.headers, body });
    const key = request.headers["idempotency-key"];
    const answer =
      typeof key === "string" && rememberedKeys.has(key) ? { status: 200, body: rememberedKeys.get(key) } : reply;
    if (typeof key === "string" && answer.status === 200) rememberedKeys.set(key, answer.body);
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answer.body));
  },
  // Pacing is email-rate-limit.test.ts's subject; here it would only make every test wait.
  { apiKey: "re_test_key_123", from: "Riverside <hello@riverside.test>", ratePerSecond: 1_000 },
);

beforeEach(() => {
  received = [];
  reply = { status: 200, body: { id: "em_1" } };
});

const message = (key = "booking-confirmation:abc") => ({
  to: "sam@example.com",
  subject: "Your appointment is booked",
  idempotencyKey: key,
  react: createElement(BookingConfirmationEmail, {
    ...BookingConfirmationEmail.PreviewProps,
    clientName: "Sam Resend",
  }),
});

describe("sendEmail with RESEND_API_KEY (Resend stand-in over HTTP)", () => {
  it("posts the rendered email with the idempotency key and the API key, and writes no outbox row", async () => {
    await expect(sendEmail(message("booking-confirmation:b-1"))).resolves.toEqual({ via: "resend", id: "em_1" });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/emails");
    expect(request.headers["idempotency-key"]).toBe("booking-confirmation:b-1");
    expect(request.headers.authorization).toBe("Bearer re_test_key_123");
    expect(request.body).toMatchObject({
      from: "Riverside <hello@riverside.test>",
      to: "sam@example.com",
      subject: "Your appointment is booked",
    });
    expect(request.body.html).toContain("Hi Sam Resend");
    expect(request.body.html).toContain("<html");
    expect(request.body.text).toContain("Hi Sam Resend");
    expect(request.body.text).not.toContain("<");
    expect(await db.select().from(emailOutbox)).toHaveLength(0);
  });

  it("posts attachments as Resend's API takes them (base64 content, content_type), and no field for an email without", async () => {
    const calendar = "BEGIN:VCALENDAR\r\nSUMMARY:Café\\, massage\r\nEND:VCALENDAR\r\n";
    await sendEmail({
      ...message("attachments:1"),
      attachments: [{ filename: "appointment.ics", contentType: "text/calendar; charset=utf-8", content: calendar }],
    });
    await sendEmail(message("attachments:2"));
    expect(received).toHaveLength(2);
    expect(received[0].body.attachments).toEqual([
      {
        filename: "appointment.ics",
        content_type: "text/calendar; charset=utf-8",
        content: Buffer.from(calendar).toString("base64"),
      },
    ]);
    expect(received[1].body).not.toHaveProperty("attachments");
  });

  it.each([
    [429, "rate_limit_exceeded"],
    [500, "internal_server_error"],
    [503, "application_error"],
  ])("turns a %i answer into a retryable throw, not a silent success", async (status, name) => {
    reply = { status, body: { statusCode: status, name, message: "try later" } };
    const error = await sendEmail(message()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmailDeliveryError);
    expect(error).not.toBeInstanceOf(NonRetriableError);
    expect((error as EmailDeliveryError).statusCode).toBe(status);
    expect(String(error)).toContain(String(status));
    expect(received).toHaveLength(1);
  });

  it("fails a 422 validation error at once with NonRetriableError", async () => {
    reply = { status: 422, body: { statusCode: 422, name: "validation_error", message: "Invalid `from` field." } };
    const error = await sendEmail(message()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NonRetriableError);
    expect(String((error as Error).message)).toContain("Invalid `from` field.");
  });

  it.each([
    [400, "invalid_parameter"],
    [401, "missing_api_key"],
    [403, "invalid_api_key"],
    [409, "invalid_idempotent_request"],
  ])("fails a %i %s at once: it cannot succeed on a retry", async (status, name) => {
    reply = { status, body: { statusCode: status, name, message: "refused" } };
    await expect(sendEmail(message(`permanent:${status}`))).rejects.toBeInstanceOf(NonRetriableError);
  });

  it.each([
    [409, "concurrent_idempotent_requests"],
    [404, "not_found"],
  ])("retries a %i %s", async (status, name) => {
    reply = { status, body: { statusCode: status, name, message: "not now" } };
    const error = await sendEmail(message(`transient:${status}`)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmailDeliveryError);
    expect(error).not.toBeInstanceOf(NonRetriableError);
  });

  it("treats an error body without a statusCode (a proxy's 502, say) as retryable, not as a permanent failure", async () => {
    reply = { status: 502, body: { name: "application_error", message: "Bad gateway" } };
    const error = await sendEmail(message("no-status:1")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmailDeliveryError);
    expect(error).not.toBeInstanceOf(NonRetriableError);
    expect((error as EmailDeliveryError).statusCode).toBeNull();
    expect((error as Error).message).toContain("Bad gateway");

    reply = { status: 400, body: { message: "no name, no status" } };
    const bare = await sendEmail(message("no-status:2")).catch((caught: unknown) => caught);
    expect(bare).toBeInstanceOf(EmailDeliveryError);
    expect(bare).not.toBeInstanceOf(NonRetriableError);
  });

  it("treats an unreachable Resend (no response) as retryable", async () => {
    const standIn = process.env.RESEND_BASE_URL;
    process.env.RESEND_BASE_URL = "http://127.0.0.1:9"; // discard port: connection refused
    resetEnv();
    try {
      const error = await sendEmail(message()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EmailDeliveryError);
      expect(error).not.toBeInstanceOf(NonRetriableError);
    } finally {
      process.env.RESEND_BASE_URL = standIn;
      resetEnv();
    }
  });

  it("makes the booking-confirmation job retry a 429 and then send once, with the booking's idempotency key", async () => {
    const { booking, client } = await createBookedClinic({ hoursAhead: 72 });
    reply = { status: 429, body: { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" } };
    const [event] = await sendEvent({
      name: "booking/created",
      data: { bookingId: booking.id, clinicId: booking.clinicId },
    });
    await drain({ budgetMs: 30_000 });
    const confirmationRun = async () =>
      (
        await db
          .select()
          .from(jobRuns)
          .where(and(eq(jobRuns.jobId, "booking-confirmation"), eq(jobRuns.eventId, event.id)))
      )[0];

    const retrying = await confirmationRun();
    expect(retrying).toMatchObject({ status: "queued", attempt: 1 });
    expect(retrying.error?.message).toContain("429");

    reply = { status: 200, body: { id: "em_after_retry" } };
    await shiftDatabaseClock(3_600_000);
    await drain({ budgetMs: 30_000 });
    await resetDatabaseClock();
    expect(await confirmationRun()).toMatchObject({
      status: "completed",
      output: { sent: true, email: { via: "resend", id: "em_after_retry" } },
    });
    expect(received).toHaveLength(2);
    expect(received.map((request) => request.headers["idempotency-key"])).toEqual([
      `booking-confirmation:${booking.id}`,
      `booking-confirmation:${booking.id}`,
    ]);
    expect(received[1].body.to).toBe(client.email);
    // The retry posts the same bytes, calendar file included: Resend refuses a reused key with another payload.
    expect(received[1].body).toEqual(received[0].body);
    const [file] = received[1].body.attachments as { filename: string; content_type: string; content: string }[];
    expect(file).toMatchObject({
      filename: "appointment.ics",
      content_type: "text/calendar; charset=utf-8; method=PUBLISH",
    });
    expect(Buffer.from(file.content, "base64").toString("utf8")).toContain(`UID:${booking.id}@slotline\r\n`);
  });
});

describe("the email_deliveries ledger (Resend keeps idempotency keys for 24 hours only)", () => {
  const delivery = async (key: string) =>
    (await db.select().from(emailDeliveries).where(eq(emailDeliveries.idempotencyKey, key)))[0];

  it("sends a key once: a later send makes no HTTP request at all, even after Resend forgot the key", async () => {
    reply = { status: 200, body: { id: "em_first" } };
    await expect(sendEmail(message("ledger:once"))).resolves.toEqual({ via: "resend", id: "em_first" });
    expect(await delivery("ledger:once")).toMatchObject({
      status: "sent",
      resendId: "em_first",
      recipient: "sam@example.com",
      subject: "Your appointment is booked",
    });
    expect((await delivery("ledger:once")).sentAt).toBeInstanceOf(Date);

    forgetKeys(); // more than a day later
    reply = { status: 200, body: { id: "em_second" } };
    await expect(sendEmail(message("ledger:once"))).resolves.toEqual({ via: "resend", id: "em_first" });
    expect(received).toHaveLength(1);
    expect(
      await db.select().from(emailDeliveries).where(eq(emailDeliveries.idempotencyKey, "ledger:once")),
    ).toHaveLength(1);
  });

  it("leaves a failed send retryable, and the retry sends once with the same key", async () => {
    reply = { status: 500, body: { statusCode: 500, name: "internal_server_error", message: "boom" } };
    await expect(sendEmail(message("ledger:retry"))).rejects.toBeInstanceOf(EmailDeliveryError);
    expect(await delivery("ledger:retry")).toMatchObject({ status: "sending", resendId: null, sentAt: null });

    reply = { status: 200, body: { id: "em_retried" } };
    await expect(sendEmail(message("ledger:retry"))).resolves.toEqual({ via: "resend", id: "em_retried" });
    expect(await delivery("ledger:retry")).toMatchObject({ status: "sent", resendId: "em_retried" });
    forgetKeys();
    await expect(sendEmail(message("ledger:retry"))).resolves.toEqual({ via: "resend", id: "em_retried" });
    expect(received.map((request) => request.headers["idempotency-key"])).toEqual(["ledger:retry", "ledger:retry"]);
  });

  it("a booking-confirmation replay days later emails nobody again", async () => {
    const { booking } = await createBookedClinic({ hoursAhead: 72 });
    reply = { status: 200, body: { id: "em_confirmation" } };
    const [event] = await sendEvent({
      name: "booking/created",
      data: { bookingId: booking.id, clinicId: booking.clinicId },
    });
    await drain({ budgetMs: 30_000 });
    const [original] = await db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.jobId, "booking-confirmation"), eq(jobRuns.eventId, event.id)));
    expect(original.status).toBe("completed");
    expect(received).toHaveLength(1);

    forgetKeys();
    reply = { status: 200, body: { id: "em_duplicate" } };
    const replay = await replayRun(original.id);
    await drain({ budgetMs: 30_000 });
    const [replayed] = await db.select().from(jobRuns).where(eq(jobRuns.id, replay.id));
    expect(replayed).toMatchObject({
      status: "completed",
      output: { sent: true, email: { via: "resend", id: "em_confirmation" } },
    });
    expect(received).toHaveLength(1);
  });

  it("a rerun of a summarised month (a replay, or a trigger after a flip back from Inngest) emails no owner again", async () => {
    const { clinic } = await createClinic({ name: "Ledger Clinic" });
    const owners = [await createOwner(clinic.id, "Una Owner"), await createOwner(clinic.id, "Ned Owner")];
    reply = { status: 200, body: { id: "em_summary" } };
    await sendEvent({
      name: "billing/summary.requested",
      id: `billing-summary:${clinic.id}:2026-10`,
      data: { clinicId: clinic.id, period: "2026-10" },
    });
    await drain({ budgetMs: 30_000 });
    expect(received.map((request) => request.body.to).sort()).toEqual(owners.map((owner) => owner.email).sort());

    forgetKeys();
    await sendEvent({
      name: "billing/summary.requested",
      id: `rerun:${clinic.id}:2026-10`,
      data: { clinicId: clinic.id, period: "2026-10" },
    });
    await drain({ budgetMs: 30_000 });
    const reruns = await db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.jobId, "billing-summary"), eq(jobRuns.eventId, `rerun:${clinic.id}:2026-10`)));
    expect(reruns[0]).toMatchObject({ status: "completed", output: { created: false, emailed: 2 } });
    expect(received).toHaveLength(2);
  });
});
