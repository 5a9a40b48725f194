import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";

/**
 * A fifth of each interval is kept spare, so requests that leave a little late or
 * arrive a little early (network jitter) still keep inside the provider's limit.
 */
const JITTER_MARGIN = 1.2;

/** How many times a caller woken late takes a new turn (leaving the late one unused) before sending anyway. */
const LATE_RETRIES = 5;

/**
 * Waits for this process's turn to call `api`, at most `perSecond` calls a second across
 * every worker, drain and request of the deploy: each caller reserves the next free
 * moment in api_rate_pacing (one row per API, advanced in one statement on the
 * database's wall clock) and sleeps until it. Resend allows 2 requests per second per
 * team by default; a month close then sends at that pace instead of meeting 429s.
 *
 * A caller that wakes later than the spare margin (a busy machine stalls timers) leaves
 * its turn unused and takes a new one: sending late would bunch its call with the on-time callers after
 * it, and three calls inside one second is what the provider refuses.
 */
export async function waitForApiTurn(api: string, perSecond: number) {
  const intervalMs = Math.ceil((1_000 / perSecond) * JITTER_MARGIN);
  // The spare margin, but never under 50 ms: at high rates timer noise alone would exceed it.
  const toleranceMs = Math.max(50, intervalMs - 1_000 / perSecond);
  for (let attempt = 0; ; attempt++) {
    const waitMs = await reserveTurn(api, intervalMs);
    const due = performance.now() + Math.max(0, waitMs);
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    if (performance.now() - due <= toleranceMs || attempt === LATE_RETRIES) return;
  }
}

/** The next free moment for `api`, reserved; how long until it, in ms. */
async function reserveTurn(api: string, intervalMs: number): Promise<number> {
  const [row] = (await db.execute(sql`
    insert into api_rate_pacing as pacing (api, next_at)
    values (${api}, clock_timestamp() + ${intervalMs} * interval '1 millisecond')
    on conflict (api) do update
    set next_at = greatest(pacing.next_at, clock_timestamp()) + ${intervalMs} * interval '1 millisecond'
    returning extract(epoch from (pacing.next_at - ${intervalMs} * interval '1 millisecond' - clock_timestamp())) * 1000
      as wait_ms
  `)) as unknown as { wait_ms: string }[];
  return Number(row.wait_ms);
}
