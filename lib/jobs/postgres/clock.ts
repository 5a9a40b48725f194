import "server-only";
import { sql } from "drizzle-orm";
import { runStatement } from "./statement";

/**
 * The job engine's one clock is the database's: slotline_now() (drizzle/0005), which is
 * now() plus the offset in job_clock, or its frozen_at while set. Production never writes
 * job_clock; tests steer the engine's time only through this module instead of passing
 * times in, so due times, leases, sleeps and backoff are always compared on one clock.
 */
export async function databaseNow(): Promise<Date> {
  const [row] = await runStatement<{ now: string }>(sql`select slotline_now() as now`);
  return new Date(row.now);
}

function refuseInProduction(name: string) {
  if (process.env.NODE_ENV === "production")
    throw new Error(`${name} steers the job clock for tests; refused in production`);
}

/** Moves the engine's clock by `ms` (negative: back), frozen or not. */
export async function shiftDatabaseClock(ms: number) {
  refuseInProduction("shiftDatabaseClock");
  await runStatement(sql`
    insert into job_clock (offset_ms) values (${Math.round(ms)})
    on conflict (singleton) do update
    set offset_ms = job_clock.offset_ms + excluded.offset_ms,
        frozen_at = job_clock.frozen_at + excluded.offset_ms * interval '1 millisecond'
  `);
}

/**
 * Sets the engine's clock so slotline_now() reads `at` now (and moves on from there).
 * A JS Date drops PostgreSQL's microseconds, so a due time read back from a row is up to
 * 1 ms early: the clock is set a millisecond past `at`, so that row is due however fast
 * the next statement runs.
 */
export async function setDatabaseClock(at: Date) {
  refuseInProduction("setDatabaseClock");
  await runStatement(sql`
    insert into job_clock (offset_ms)
    values (ceil(extract(epoch from (${at.toISOString()}::timestamptz - now())) * 1000) + 1)
    on conflict (singleton) do update set offset_ms = excluded.offset_ms, frozen_at = null
  `);
}

/** Holds the engine's clock still (at its current reading) until the next set or reset. */
export async function freezeDatabaseClock() {
  refuseInProduction("freezeDatabaseClock");
  await runStatement(sql`
    insert into job_clock (offset_ms, frozen_at) values (0, slotline_now())
    on conflict (singleton) do update set frozen_at = excluded.frozen_at
  `);
}

/** Back to the database's own now(). */
export async function resetDatabaseClock() {
  await runStatement(sql`delete from job_clock`);
}
