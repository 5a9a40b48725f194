import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { resetEnv } from "@/lib/env";

/**
 * A local HTTP server standing in for Resend's API for one test file: real HTTP, the real
 * SDK. Before the file's tests it starts and points RESEND_API_KEY, RESEND_BASE_URL and
 * EMAIL_FROM at itself (and EMAIL_RATE_PER_SECOND, when given); after them it stops and takes the variables away. `answer` gets
 * each request with its body read and parsed.
 */
export function startResendStandIn(
  answer: (request: IncomingMessage, body: Record<string, unknown>, response: ServerResponse) => void,
  env: { apiKey: string; from: string; ratePerSecond?: number },
) {
  const server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => answer(request, JSON.parse(raw || "{}"), response));
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.env.RESEND_API_KEY = env.apiKey;
    process.env.RESEND_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.EMAIL_FROM = env.from;
    if (env.ratePerSecond) process.env.EMAIL_RATE_PER_SECOND = String(env.ratePerSecond);
    resetEnv();
  });
  afterAll(async () => {
    delete process.env.RESEND_API_KEY;
    delete process.env.RESEND_BASE_URL;
    delete process.env.EMAIL_FROM;
    delete process.env.EMAIL_RATE_PER_SECOND;
    resetEnv();
    await new Promise((resolve) => server.close(resolve));
  });
}
