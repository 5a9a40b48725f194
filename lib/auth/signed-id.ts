import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/env";

/**
 * Links that carry a row's id and prove it: `<id>.<HMAC-SHA256>`, keyed with the auth
 * secret. Verifying needs no database lookup and nothing secret is stored, and a forged
 * or altered token fails the constant-time comparison. Each kind of link signs with its
 * own purpose label, so a signature made for one never matches another.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sign(purpose: string, id: string) {
  return createHmac("sha256", authSecret()).update(`${purpose}:${id.toLowerCase()}`).digest("base64url");
}

export function createSignedId(purpose: string, id: string): string {
  return `${id}.${sign(purpose, id)}`;
}

/** The id the token was signed for under `purpose`, or null when it is malformed or forged. */
export function verifySignedId(purpose: string, token: string): string | null {
  const [id, signature, ...rest] = token.split(".");
  if (rest.length > 0 || !id || !signature || !UUID.test(id)) return null;
  const expected = Buffer.from(sign(purpose, id));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}
