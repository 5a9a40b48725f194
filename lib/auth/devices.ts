import "server-only";
import Bowser from "bowser";
import { and, desc, eq, gt, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { auth } from "./auth";

/** One place an account is signed in (a better-auth session), as the account page lists it. */
export type SignedInDevice = {
  id: string;
  /** "Chrome on Linux", from the browser's user agent. */
  device: string;
  ipAddress: string | null;
  signedInAt: Date;
  /** The session this list is shown in. */
  current: boolean;
};

/** A user agent in a few words: the browser and the system ("Safari on iOS"), or what of it is known. */
export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const { browser, os } = Bowser.parse(userAgent);
  // Bowser leaves what it does not recognise empty.
  if (browser.name && os.name) return `${browser.name} on ${os.name}`;
  return browser.name || (os.name ? `A browser on ${os.name}` : "Unknown browser");
}

/**
 * An address as the account page shows it, or null when it tells nothing (this machine,
 * or none). better-auth stores IPv6 addresses written out in full and cut to their /64
 * network ("2001:0db8:0000:…"); they are shown compressed ("2001:db8::").
 */
export function displayAddress(ip: string | null): string | null {
  if (!ip) return null;
  if (!ip.includes(":")) return ip.startsWith("127.") ? null : ip;
  const compressed = new URL(`http://[${ip}]`).hostname.slice(1, -1);
  return compressed === "::" || compressed === "::1" ? null : compressed;
}

/** The sessions of `userId` that have not expired, newest first, the current one marked. */
export async function listSignedInDevices(userId: string, currentSessionId: string): Promise<SignedInDevice[]> {
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.createdAt));
  return rows.map((row) => ({
    id: row.id,
    device: describeUserAgent(row.userAgent),
    ipAddress: displayAddress(row.ipAddress),
    signedInAt: row.createdAt,
    current: row.id === currentSessionId,
  }));
}

/**
 * Ends every session of the account but the one in `requestHeaders` (better-auth's
 * revokeOtherSessions): a phone left signed in somewhere is signed out at its next request.
 * Returns how many ended.
 */
export async function signOutOtherDevices(userId: string, requestHeaders: Headers): Promise<number> {
  const before = await countLiveSessions(userId);
  await auth().api.revokeOtherSessions({ headers: requestHeaders });
  return before - (await countLiveSessions(userId));
}

async function countLiveSessions(userId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, sql`now()`)));
  return row.n;
}
