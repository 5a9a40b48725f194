import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createElement } from "react";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { emailOutbox, jobRuns } from "@/lib/db/schema";
import { sendEmail } from "@/lib/email/send";
import { EmailDeliveryError } from "@/lib/email/resend";
import { BookingConfirmationEmail } from "@/lib/email/templates/booking-confirmation";
import { resetEnv } from "@/lib/env";
import { NonRetriableError } from "@/lib/jobs/define";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { createBookedClinic } from "./job-fixtures";

// A local HTTP server standing in for Resend's API (POST /emails): real HTTP, real SDK.
type Received = { method?: string; url?: string; headers: IncomingHttpHeaders; body: Record<string, unknown> };
let received: Received[] = [];
let reply: { status: number; body: unknown } = { status: 200, body: { id: "em_1" } };
let server: Server;

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body: JSON.parse(raw || "{}") });
      response.writeHead(reply.status, { "content-type": "application/json" });
      response.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.RESEND_API_KEY = "re_test_key_123";
  process.env.RESEND_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.EMAIL_FROM = "Riverside <hello@riverside.test>";
  resetEnv();
});

afterAll(async () => {
  delete process.env.RESEND_API_KEY;
  delete process.env.RESEND_BASE_URL;
  delete process.env.EMAIL_FROM;
  resetEnv();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  reply = { status: 200, body: { id: "em_1" } };
});

const message = (key = "booking-confirmation:abc") => ({
  to: "sam@example.com",
  subject: "Your appointment is booked",
  idempotencyKey: key,
  react: createElement(BookingConfirmationEmail, { ...BookingConfirmationEmail.PreviewProps, clientName: "Sam Resend" }),
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
    expect(request.body).toMatchObject({ from: "Riverside <hello@riverside.test>", to: "sam@example.com", subject: "Your appointment is booked" });
    expect(request.body.html).toContain("Hi Sam Resend");
    expect(request.body.html).toContain("<html");
    expect(request.body.text).toContain("Hi Sam Resend");
    expect(request.body.text).not.toContain("<");
    expect(await db.select().from(emailOutbox)).toHaveLength(0);
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

  it("treats an unreachable Resend (no response) as retryable", async () => {
    const port = (server.address() as AddressInfo).port;
    process.env.RESEND_BASE_URL = "http://127.0.0.1:9"; // discard port: connection refused
    resetEnv();
    try {
      const error = await sendEmail(message()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EmailDeliveryError);
      expect(error).not.toBeInstanceOf(NonRetriableError);
    } finally {
      process.env.RESEND_BASE_URL = `http://127.0.0.1:${port}`;
      resetEnv();
    }
  });

  it("makes the booking-confirmation job retry a 429 and then send once, with the booking's idempotency key", async () => {
    const { booking, client } = await createBookedClinic({ hoursAhead: 72 });
    reply = { status: 429, body: { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" } };
    const [event] = await sendEvent({ name: "booking/created", data: { bookingId: booking.id, clinicId: booking.clinicId } });
    await drain({ budgetMs: 10_000 });
    const confirmationRun = async () => (await db.select().from(jobRuns).where(and(eq(jobRuns.jobId, "booking-confirmation"), eq(jobRuns.eventId, event.id))))[0];

    const retrying = await confirmationRun();
    expect(retrying).toMatchObject({ status: "queued", attempt: 1 });
    expect(retrying.error?.message).toContain("429");

    reply = { status: 200, body: { id: "em_after_retry" } };
    await drain({ budgetMs: 10_000, now: new Date(Date.now() + 3_600_000) });
    expect(await confirmationRun()).toMatchObject({ status: "completed", output: { sent: true, email: { via: "resend", id: "em_after_retry" } } });
    expect(received).toHaveLength(2);
    expect(received.map((request) => request.headers["idempotency-key"])).toEqual([`booking-confirmation:${booking.id}`, `booking-confirmation:${booking.id}`]);
    expect(received[1].body.to).toBe(client.email);
  });
});
