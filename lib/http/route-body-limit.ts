import "server-only";
import { NextRequest } from "next/server";
import { formatBytes } from "./body-limit";

/**
 * A route handler that refuses bodies over `maxBytes` with 413 and a JSON error,
 * before the handler reads anything. A declared Content-Length is checked at once;
 * a body sent without one (chunked) is read up to the limit and handed on whole.
 */
export function withBodyLimit<C>(
  maxBytes: number,
  handler: (request: NextRequest, context: C) => Promise<Response>,
): (request: NextRequest, context: C) => Promise<Response> {
  const tooLarge = () =>
    Response.json(
      { error: `The request body is larger than ${formatBytes(maxBytes)}, the most this endpoint accepts.` },
      { status: 413 },
    );
  return async (request, context) => {
    if (!request.body) return handler(request, context);
    const declared = request.headers.get("content-length");
    if (declared !== null) return Number(declared) > maxBytes ? tooLarge() : handler(request, context);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return tooLarge();
      }
      chunks.push(value);
    }
    const whole = new NextRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: Buffer.concat(chunks),
    });
    return handler(whole, context);
  };
}
