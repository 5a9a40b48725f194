import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { inngestClient, type SlotlineInngest } from "./client";

/**
 * relayed: delivered in this pass. failed: not delivered in this pass (an outage
 * stopped it, or Inngest rejected them); they stay in job_events. rejected: of the
 * failed, how many Inngest refused one by one (present only when some were).
 * error: the last error seen.
 */
export type RelayResult = { relayed: number; failed: number; rejected?: number; error?: string };

type OutboxRow = { id: string; name: string; data: Record<string, unknown>; ts: string; created_at: string };
type Pass = {
  size: number;
  relayed: number;
  failed: number;
  rejected: number;
  error?: string;
  rejectedIds: string[];
  stopped: boolean;
};

export const RELAY_BATCH_SIZE = 100;
/** A send that hangs must not keep the batch from other relays for a whole function lifetime. */
export const RELAY_SEND_TIMEOUT_MS = 15_000;
/**
 * How long a relay holds the events it is sending (renewed before each send). Longer
 * than a send may take; should the relay die, the events go to the next relay after it.
 */
export const RELAY_LEASE_MS = 4 * RELAY_SEND_TIMEOUT_MS;
/** An event Inngest has rejected on its own, once tried this often, is parked: no pass picks it again. */
export const RELAY_PARK_AFTER_ATTEMPTS = 10;
/** relay_error of an event Inngest rejected on its own; only these can be parked. */
export const RELAY_REJECTED_PREFIX = "Rejected by Inngest: ";

/**
 * Sends the events that `sendEvent` wrote with driver='inngest' to Inngest's event
 * API, oldest first, in batches, until none is left, Inngest is unavailable or the
 * budget is spent. Each event goes with its own id, so Inngest runs its functions
 * once even if a batch is sent twice (a commit lost after a successful send, two
 * relays at once).
 *
 * Inngest unavailable (network, timeout, 5xx, 429, or 401/403/404: the event key is
 * wrong): relay_attempts and relay_error are recorded and the pass stops; the next
 * pass (drain, kick or CLI send) tries again. An outage delays events, never drops one.
 *
 * Any other 4xx refuses the batch because of what is in it (one event too large, say),
 * so its events are sent one by one: the good ones go through and the one Inngest
 * rejects gets relay_error "Rejected by Inngest: ..." and is not tried again in this
 * pass. After RELAY_PARK_AFTER_ATTEMPTS attempts ending in a rejection it is parked:
 * it stays in job_events (relayed_at null) for an operator, and no pass picks it again
 * (resetting relay_attempts to 0 puts it back in line). Outage failures never park.
 */
export async function relayEventsToInngest(
  options: { client?: SlotlineInngest; batchSize?: number; budgetMs?: number } = {},
): Promise<RelayResult> {
  const client = options.client ?? inngestClient();
  const batchSize = options.batchSize ?? RELAY_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const deadline = performance.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  const result: RelayResult = { relayed: 0, failed: 0 };
  // Rejected in this call: later batches of the same call skip them.
  const rejectedIds: string[] = [];

  const send = async (rows: OutboxRow[]) => {
    try {
      await withTimeout(
        client.send(
          rows.map((row) => ({ id: row.id, name: row.name, data: row.data, ts: new Date(row.ts).getTime() })),
        ),
        Math.max(1_000, Math.min(RELAY_SEND_TIMEOUT_MS, deadline - performance.now())),
      );
      return { ok: true as const };
    } catch (error) {
      return { ok: false as const, error };
    }
  };

  while (performance.now() < deadline) {
    // Leased and committed before any HTTP call: no transaction or row lock stays open
    // while Inngest answers (a Vercel function has a pool of 5 connections).
    const rows = await leaseBatch(batchSize, rejectedIds);
    if (rows.length === 0) break;
    const pass = await relayBatch(rows, send, deadline);
    result.relayed += pass.relayed;
    result.failed += pass.failed;
    if (pass.rejected > 0) result.rejected = (result.rejected ?? 0) + pass.rejected;
    if (pass.error !== undefined) result.error = pass.error;
    rejectedIds.push(...pass.rejectedIds);
    if (pass.stopped || pass.size < batchSize) break;
  }
  return result;
}

type Send = (rows: OutboxRow[]) => Promise<{ ok: true } | { ok: false; error: unknown }>;

/**
 * Takes the oldest unsent events under a lease, in one committed statement. FOR UPDATE
 * SKIP LOCKED and the lease together keep two relays (a cron drain and an after() kick,
 * say) from sending the same event at once: the second is handed the next batch. If a
 * send succeeds but marking it is lost, the batch is sent again later and Inngest drops
 * it by id.
 */
async function leaseBatch(batchSize: number, rejectedIds: string[]) {
  return (await db.execute(sql`
    update job_events as event
    set relay_leased_until = slotline_now() + ${RELAY_LEASE_MS} * interval '1 millisecond'
    where event.id in (
      select id from job_events
      where driver = 'inngest' and relayed_at is null
        and (relay_leased_until is null or relay_leased_until <= slotline_now())
        and id <> all(${sql.param(rejectedIds)}::text[])
        and not (relay_attempts >= ${RELAY_PARK_AFTER_ATTEMPTS} and starts_with(coalesce(relay_error, ''), ${RELAY_REJECTED_PREFIX}))
      order by created_at, id
      limit ${batchSize}
      for update skip locked
    )
    returning event.id, event.name, event.data, event.ts::text as ts, event.created_at::text as created_at
  `)) as unknown as OutboxRow[];
}

/** Sends one leased batch; on a refusal, one event at a time to find the one Inngest rejects. */
async function relayBatch(leased: OutboxRow[], send: Send, deadline: number): Promise<Pass> {
  // UPDATE ... RETURNING keeps no order: oldest first, as they were chosen.
  const rows = leased.toSorted((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  const pass: Pass = { size: rows.length, relayed: 0, failed: 0, rejected: 0, rejectedIds: [], stopped: false };
  const batch = await send(rows);
  if (batch.ok) {
    await markRelayed(rows);
    return { ...pass, relayed: rows.length };
  }
  if (!isEventRejection(batch.error)) {
    const message = describeError(batch.error);
    await markFailed(rows, message);
    return { ...pass, failed: rows.length, error: message, stopped: true };
  }

  // Something in the batch is refused: find out which, one event at a time.
  for (const [index, row] of rows.entries()) {
    if (performance.now() >= deadline) {
      await releaseLease(rows.slice(index)); // the untried rows wait, untouched
      return { ...pass, stopped: true };
    }
    if (rows.length > 1) await renewLease(rows.slice(index));
    const single = rows.length === 1 ? batch : await send([row]);
    if (single.ok) {
      await markRelayed([row]);
      pass.relayed++;
      continue;
    }
    const message = describeError(single.error);
    if (isEventRejection(single.error)) {
      await markFailed([row], `${RELAY_REJECTED_PREFIX}${message}`);
      pass.failed++;
      pass.rejected++;
      pass.rejectedIds.push(row.id);
      pass.error = message;
      continue;
    }
    // Inngest became unavailable: this event and the untried ones wait for the next pass.
    const waiting = rows.slice(index);
    await markFailed(waiting, message);
    return { ...pass, failed: pass.failed + waiting.length, error: message, stopped: true };
  }
  return pass;
}

const idsOf = (rows: OutboxRow[]) => sql.param(rows.map((row) => row.id));

async function renewLease(rows: OutboxRow[]) {
  await db.execute(sql`
    update job_events set relay_leased_until = slotline_now() + ${RELAY_LEASE_MS} * interval '1 millisecond'
    where id = any(${idsOf(rows)}::text[])
  `);
}

async function releaseLease(rows: OutboxRow[]) {
  await db.execute(sql`update job_events set relay_leased_until = null where id = any(${idsOf(rows)}::text[])`);
}

async function markRelayed(rows: OutboxRow[]) {
  await db.execute(sql`
    update job_events
    set relayed_at = now(), relay_attempts = relay_attempts + 1, relay_error = null, relay_leased_until = null
    where id = any(${idsOf(rows)}::text[])
  `);
}

async function markFailed(rows: OutboxRow[], message: string) {
  await db.execute(sql`
    update job_events
    set relay_attempts = relay_attempts + 1, relay_error = ${message}, relay_leased_until = null
    where id = any(${idsOf(rows)}::text[])
  `);
}

/**
 * The SDK throws `Inngest API Error: <status> <reason>`. A 4xx refuses what was sent,
 * except 429 (slow down), 408 (timeout) and 401/403/404 (the event key is missing,
 * wrong or revoked: every event would fail alike, so nothing is singled out).
 */
const UNAVAILABLE_4XX = new Set([401, 403, 404, 408, 429]);

function isEventRejection(error: unknown) {
  const status = /^Inngest API Error: (\d{3})\b/.exec(error instanceof Error ? error.message : "")?.[1];
  if (status === undefined) return false;
  const code = Number(status);
  return code >= 400 && code < 500 && !UNAVAILABLE_4XX.has(code);
}

function describeError(error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 2_000);
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Inngest's event API did not answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
