import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { cronSecret } from "@/lib/env";

/**
 * Vercel Cron sends `Authorization: Bearer $CRON_SECRET`. Both sides are hashed to a
 * fixed length first, so the comparison takes the same time whatever the caller sent
 * (timingSafeEqual itself throws on different lengths, which would leak the length).
 */
export function isAuthorizedCronRequest(request: Request): boolean {
  const header = request.headers.get("authorization") ?? "";
  const expected = `Bearer ${cronSecret()}`;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(header), digest(expected));
}

export function unauthorizedCronResponse() {
  return Response.json(
    { error: "Unauthorized: send Authorization: Bearer <CRON_SECRET>" },
    { status: 401, headers: { "www-authenticate": "Bearer" } },
  );
}
