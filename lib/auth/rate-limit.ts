import "server-only";
import { sql } from "drizzle-orm";
import { db, type Tx } from "@/lib/db/client";
import { normalizeEmail } from "@/lib/clinic/form-fields";

/**
 * Limits kept in Postgres (table `auth_attempts`, named for its first use): on sign-in,
 * sign-up and reset links, and on everything else that emails an address someone typed
 * (bookings on the public page and by phone, a client's moves, team invitations). Our
 * forms call better-auth's API from server actions, which skips better-auth's own HTTP
 * rate limiter, and a limiter in memory would count per serverless instance anyway.
 *
 * An attempt is written before it is made and taken back if it turns out not to
 * count, so what stays recorded is: failed sign-ins, every sign-up and reset request,
 * and the bookings, moves and invitations made (withinLimits).
 */

export type AuthLimit = { key: string; max: number; windowMinutes: number };
/** The rows one attempt wrote, one per limit key. */
export type AuthAttempt = { ids: string[] };

/** Every limit, so the longest window (KEEP_MINUTES) is derived rather than kept by hand. */
const LIMITS = {
  /** Guessing one account's password. */
  SIGN_IN_PER_EMAIL: { max: 10, windowMinutes: 15 },
  /** Trying many accounts (or many passwords) from one address. */
  SIGN_IN_PER_IP: { max: 50, windowMinutes: 15 },
  /** Making accounts in bulk, or asking sign-up which emails have one. */
  SIGN_UP_PER_IP: { max: 10, windowMinutes: 60 },
  /** Filling someone's inbox with reset links. */
  RESET_PER_EMAIL: { max: 3, windowMinutes: 60 },
  /** Asking for links for many addresses from one address. */
  RESET_PER_IP: { max: 10, windowMinutes: 60 },
  /**
   * Booking on a clinic's public page as one email: each booking emails that address, so a
   * script could fill the clinic's calendar and someone's inbox. A parent booking for the
   * family stays well within it.
   */
  BOOK_PER_EMAIL: { max: 5, windowMinutes: 60 },
  /** Booking on a clinic's public page from one address, whatever the emails typed. */
  BOOK_PER_IP: { max: 20, windowMinutes: 60 },
  /**
   * Invitations (and resends) from one clinic: anyone may sign up and start a clinic, and
   * each invitation emails an address they choose, under the clinic name they chose.
   */
  INVITE_PER_CLINIC: { max: 20, windowMinutes: 60 },
  /** Invitations to one address, from any clinic: resending cannot fill someone's inbox. */
  INVITE_PER_EMAIL: { max: 5, windowMinutes: 60 },
  /**
   * Bookings taken by phone in one clinic's dashboard: each emails the address typed, and
   * anyone may start a clinic. A busy front desk stays far below it.
   */
  PHONE_BOOK_PER_CLINIC: { max: 100, windowMinutes: 60 },
  /** "Send the link again" for an account's confirmation email. */
  VERIFY_RESEND_PER_ACCOUNT: { max: 3, windowMinutes: 60 },
  /** Asking to move an account to a new address: each emails the address typed. */
  EMAIL_CHANGE_PER_ACCOUNT: { max: 3, windowMinutes: 60 },
  /** A client moving their own appointment: each move emails them and the clinic's owners. */
  MOVES_PER_BOOKING: { max: 5, windowMinutes: 60 },
} satisfies Record<string, Omit<AuthLimit, "key">>;
/** Rows older than the longest window count for nothing and are deleted. */
const KEEP_MINUTES = Math.max(...Object.values(LIMITS).map((limit) => limit.windowMinutes));

/** Refused before the attempt was made; says when to come back, and nothing about the account. */
export class TooManyAttemptsError extends Error {
  override name = "TooManyAttemptsError";
  constructor(
    public readonly retryAfterMinutes: number,
    /** What there were too many of, and what else to do, for the message. */
    what: { noun: string; otherwise?: string } = { noun: "attempts" },
  ) {
    const wait = `${retryAfterMinutes} ${retryAfterMinutes === 1 ? "minute" : "minutes"}`;
    super(`Too many ${what.noun}; try again in ${wait}${what.otherwise ? `, ${what.otherwise}` : ""}.`);
  }
}

/**
 * An action's limits per email and per client address (none without one). Counted for
 * every email alike, with or without an account, so a refusal reveals nothing.
 */
function emailAndAddressLimits(
  action: string,
  email: string,
  ip: string | null,
  perEmail: Omit<AuthLimit, "key">,
  perAddress: Omit<AuthLimit, "key">,
): AuthLimit[] {
  const limits = [{ key: `${action}:email:${normalizeEmail(email)}`, ...perEmail }];
  if (ip) limits.push({ key: `${action}:ip:${ip}`, ...perAddress });
  return limits;
}

/** The key of an account's failed sign-ins, which a right password clears. */
export const signInEmailKey = (email: string) => signInLimits(email, null)[0].key;

/** Guessing passwords: signing in, and changing a password (the current one is checked). */
export const signInLimits = (email: string, ip: string | null) =>
  emailAndAddressLimits("sign-in", email, ip, LIMITS.SIGN_IN_PER_EMAIL, LIMITS.SIGN_IN_PER_IP);

/** Asking for reset links: every request counts. */
export const passwordResetLimits = (email: string, ip: string | null) =>
  emailAndAddressLimits("password-reset", email, ip, LIMITS.RESET_PER_EMAIL, LIMITS.RESET_PER_IP);

/** Bookings made on one clinic's public page, per email and per address (bookings that failed are taken back). */
export const publicBookingLimits = (clinicId: string, email: string, ip: string | null) =>
  emailAndAddressLimits(`book:${clinicId}`, email, ip, LIMITS.BOOK_PER_EMAIL, LIMITS.BOOK_PER_IP);

/** Bookings taken by phone in one clinic's dashboard (bookings that failed are taken back). */
export const phoneBookingLimits = (clinicId: string): AuthLimit[] => [
  { key: `phone-book:clinic:${clinicId}`, ...LIMITS.PHONE_BOOK_PER_CLINIC },
];

/** A client's moves of one appointment with its link (moves that failed are taken back). */
export const clientMoveLimits = (bookingId: string): AuthLimit[] => [
  { key: `move:booking:${bookingId}`, ...LIMITS.MOVES_PER_BOOKING },
];

/** Confirmation emails sent again for one account (sign-up's first one is not counted). */
export const emailVerificationLimits = (userId: string): AuthLimit[] => [
  { key: `verify-email:user:${userId}`, ...LIMITS.VERIFY_RESEND_PER_ACCOUNT },
];

/** Requests to move one account to a new address (requests refused are taken back). */
export const emailChangeLimits = (userId: string): AuthLimit[] => [
  { key: `change-email:user:${userId}`, ...LIMITS.EMAIL_CHANGE_PER_ACCOUNT },
];

/** Team invitations sent (new or again) by one clinic, and to one email (invitations refused are taken back). */
export const invitationLimits = (clinicId: string, email: string): AuthLimit[] => [
  { key: `invite:clinic:${clinicId}`, ...LIMITS.INVITE_PER_CLINIC },
  { key: `invite:email:${normalizeEmail(email)}`, ...LIMITS.INVITE_PER_EMAIL },
];

/**
 * Runs `attempt` within `limits`: refused (TooManyAttemptsError, naming `noun`) past
 * them, and taken back when `attempt` fails, so only what was done counts.
 */
export async function withinLimits<T>(
  limits: AuthLimit[],
  what: { noun: string; otherwise?: string },
  attempt: () => Promise<T>,
): Promise<T> {
  const recorded = await recordAuthAttempt(limits).catch((error: unknown) => {
    throw error instanceof TooManyAttemptsError ? new TooManyAttemptsError(error.retryAfterMinutes, what) : error;
  });
  try {
    return await attempt();
  } catch (error) {
    await discardAuthAttempt(recorded);
    throw error;
  }
}

export function signUpLimits(ip: string | null): AuthLimit[] {
  return ip ? [{ key: `sign-up:ip:${ip}`, ...LIMITS.SIGN_UP_PER_IP }] : [];
}

/**
 * The client's address as the proxy in front of the app reports it (Vercel sets both
 * headers and overwrites what the client sent). Without such a proxy the headers are
 * the client's to forge, so only the per-email limit can be relied on; with neither
 * header there is no per-address limit at all.
 */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || null;
}

/**
 * Records one attempt under every limit's key, or refuses it with TooManyAttemptsError
 * (recording nothing, so refused attempts do not prolong a lockout) when a key already
 * has `max` attempts in its window. The attempt is recorded before it is made, so a
 * burst of parallel requests cannot all pass a check made before any of them failed;
 * the caller keeps the rows when the attempt counts (a wrong password) and calls
 * discardAuthAttempt when it does not.
 */
export async function recordAuthAttempt(limits: AuthLimit[], now = new Date()): Promise<AuthAttempt> {
  if (limits.length === 0) return { ids: [] };
  // Timestamps go in as ISO text: the shared postgres.js client passes dates through untouched.
  const at = now.toISOString();
  const keys = limits.map((limit) => limit.key);
  await db.execute(
    sql`delete from auth_attempts where created_at <= ${at}::timestamptz - make_interval(mins => ${KEEP_MINUTES})`,
  );

  return db.transaction(async (tx) => {
    // Safe under concurrency: attempts on one key take turns between this lock and
    // commit, and each counts after the previous one's row is committed, so exactly
    // `max` of a burst get through. The locks are taken in key order, so two requests
    // sharing keys (one address, two emails) cannot deadlock; they are held for two
    // short statements, never while a password is checked.
    for (const key of [...keys].sort())
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);

    const counts = await tx.execute<{ key: string; attempts: number }>(sql`
      select limits.key, count(attempt.id)::int as attempts
      from unnest(${sql.param(keys)}::text[], ${sql.param(limits.map((limit) => limit.windowMinutes))}::int[]) as limits (key, window_minutes)
      join auth_attempts as attempt
        on attempt.key = limits.key
       and attempt.created_at > ${at}::timestamptz - make_interval(mins => limits.window_minutes)
      group by limits.key
    `);
    const over = limits.filter((limit) => (counts.find((row) => row.key === limit.key)?.attempts ?? 0) >= limit.max);
    if (over.length > 0) {
      const waits = await Promise.all(over.map((limit) => minutesUntilAllowed(tx, limit, now)));
      throw new TooManyAttemptsError(Math.max(...waits));
    }

    const inserted = await tx.execute<{ id: string }>(sql`
      insert into auth_attempts (key, created_at)
      select key, ${at}::timestamptz
      from unnest(${sql.param(keys)}::text[]) as key
      returning id
    `);
    return { ids: inserted.map((row) => String(row.id)) };
  });
}

/** When the next attempt under `limit` will be let through, in whole minutes (at least 1). */
async function minutesUntilAllowed(tx: Tx, limit: AuthLimit, now: Date): Promise<number> {
  // The max-th most recent attempt in the window: once it ages out, fewer than `max`
  // remain and one more is allowed.
  const [row] = await tx.execute<{ created_at: string }>(sql`
    select created_at
    from auth_attempts
    where key = ${limit.key}
      and created_at > ${now.toISOString()}::timestamptz - make_interval(mins => ${limit.windowMinutes})
    order by created_at desc
    offset ${limit.max - 1}
    limit 1
  `);
  if (!row) return 1;
  const allowedAt = new Date(row.created_at).getTime() + limit.windowMinutes * 60_000;
  return Math.max(1, Math.ceil((allowedAt - now.getTime()) / 60_000));
}

/** Takes an attempt back: it succeeded, or failed for a reason that is not the caller's guess. */
export async function discardAuthAttempt(attempt: AuthAttempt): Promise<void> {
  if (attempt.ids.length === 0) return;
  await db.execute(sql`delete from auth_attempts where id = any(${sql.param(attempt.ids)}::bigint[])`);
}

/** Forgets every attempt under `key`: a correct password clears that email's failures. */
export async function clearAuthFailures(key: string): Promise<void> {
  await db.execute(sql`delete from auth_attempts where key = ${key}`);
}

/**
 * Runs `check`, which verifies the password of `email` (signing in, changing it), under
 * the sign-in limits. A wrong password (`wrongPassword` maps the error to the one to
 * throw) stays counted; any other failure is taken back, and a right password also
 * clears the account's earlier failures.
 */
export async function checkPasswordWithinLimits<T>(
  email: string,
  requestHeaders: Headers,
  check: () => Promise<T>,
  wrongPassword: (error: unknown) => Error | undefined,
): Promise<T> {
  const attempt = await recordAuthAttempt(signInLimits(email, clientIp(requestHeaders)));
  let result: T;
  try {
    result = await check();
  } catch (error) {
    const refused = wrongPassword(error);
    if (refused) throw refused;
    await discardAuthAttempt(attempt);
    throw error;
  }
  await discardAuthAttempt(attempt);
  await clearAuthFailures(signInEmailKey(email));
  return result;
}
