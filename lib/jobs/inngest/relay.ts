import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { inngestClient, type SlotlineInngest } from "./client";

export type RelayResult = { relayed: number; failed: number; error?: string };

type OutboxRow = { id: string; name: string; data: Record<string, unknown>; ts: string };

export const RELAY_BATCH_SIZE = 100;
/** A send that hangs must not hold the batch's row locks for a whole function lifetime. */
export const RELAY_SEND_TIMEOUT_MS = 15_000;

/**
 * Sends the events that `sendEvent` wrote with driver='inngest' to Inngest's event
 * API, oldest first, in batches, until none is left, a send fails or the budget is
 * spent. Each event goes with its own id, so Inngest runs its functions once even if
 * a batch is sent twice (a commit lost after a successful send, two relays at once).
 *
 * A failed send records relay_attempts and relay_error on the batch and stops this
 * pass: the events stay unrelayed and the next pass (the next drain, kick or CLI send)
 * tries again. An outage delays events; it never drops one.
 */
export async function relayEventsToInngest(options: { client?: SlotlineInngest; batchSize?: number; budgetMs?: number } = {}): Promise<RelayResult> {
  const client = options.client ?? inngestClient();
  const batchSize = options.batchSize ?? RELAY_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const deadline = performance.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  const result: RelayResult = { relayed: 0, failed: 0 };

  while (performance.now() < deadline) {
    const batch = await db.transaction(async (tx) => {
      const rows = (await tx.execute(sql`
        select id, name, data, ts::text as ts
        from job_events
        where driver = 'inngest' and relayed_at is null
        order by created_at, id
        limit ${batchSize}
        -- The row locks last while the batch is sent, so two relays (a cron drain and an
        -- after() kick, say) never send the same event at once: SKIP LOCKED hands the
        -- second one the next batch instead. If the send succeeds but this commit is
        -- lost, the batch is sent again later and Inngest drops it by id.
        for update skip locked
      `)) as unknown as OutboxRow[];
      if (rows.length === 0) return { size: 0 };
      const ids = rows.map((row) => row.id);
      try {
        await withTimeout(
          client.send(rows.map((row) => ({ id: row.id, name: row.name, data: row.data, ts: new Date(row.ts).getTime() }))),
          Math.max(1_000, Math.min(RELAY_SEND_TIMEOUT_MS, deadline - performance.now())),
        );
      } catch (error) {
        const message = describeError(error);
        await tx.execute(sql`
          update job_events
          set relay_attempts = relay_attempts + 1, relay_error = ${message}
          where id = any(${sql.param(ids)}::text[])
        `);
        return { size: rows.length, error: message };
      }
      await tx.execute(sql`
        update job_events
        set relayed_at = now(), relay_attempts = relay_attempts + 1, relay_error = null
        where id = any(${sql.param(ids)}::text[])
      `);
      return { size: rows.length };
    });
    if (batch.size === 0) break;
    if (batch.error !== undefined) {
      result.failed += batch.size;
      result.error = batch.error;
      break;
    }
    result.relayed += batch.size;
    if (batch.size < batchSize) break;
  }
  return result;
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
