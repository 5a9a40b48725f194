import "server-only";

/** How often a claimer that starts after its last claim walks from the oldest due entry anyway. */
export const FULL_WALK_EVERY_MS = 1_000;

/** A place in job_runs_due_idx: a run's due time (µs since 1970) and id. */
export type DuePosition = { runAtUs: number; id: string };

/** A claimed run; its due position is known when the claim walked the due index. */
type WalkedRun = { id: string; runAtUs?: number };

/** One claim statement: up to `count` due runs in (run_at, id) order after `from`, or from the oldest entry. */
export type ClaimFrom<Run extends WalkedRun> = (from: DuePosition | undefined, count: number) => Promise<Run[]>;

/**
 * Where a claimer's next claim starts in job_runs_due_idx. A claim from the oldest entry
 * passes the entry of every run claimed before it until a vacuum, and while any snapshot
 * older than those claims is open (autovacuum's ANALYZE, a backup, a report) no scan may
 * mark them dead: each claim of a drain then visits every run the drain took so far. So a
 * claimer with a backlog starts after the last run it claimed (drizzle/0030_claim_after.sql).
 *
 * A run can become due behind that place: a transaction that stored it started before the
 * claims ahead of it and committed after them, or a cron slot's run is due at the slot. So
 * a claim from the last place that comes back short is topped up from the oldest entry, and
 * a claim walks from the oldest entry at least every FULL_WALK_EVERY_MS: runs behind the
 * place are taken, oldest first, by the next such walk. A walk from the oldest entry that
 * comes back short found everything due, and the place is forgotten.
 */
export class DueWalk {
  private after: DuePosition | undefined;
  private fullWalkAt = -Infinity;

  /** A monotonic clock in ms (tests steer it). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Claims up to `wanted` runs through `claimFrom`, from this claimer's place. */
  async claim<Run extends WalkedRun>(claimFrom: ClaimFrom<Run>, wanted: number) {
    const from = this.after && this.now() - this.fullWalkAt < FULL_WALK_EVERY_MS ? this.after : undefined;
    let runs = await claimFrom(from, wanted);
    // Short from the place: what is due behind it comes from the oldest entry.
    const toppedUp = from !== undefined && runs.length < wanted;
    if (toppedUp) runs = [...runs, ...(await claimFrom(undefined, wanted - runs.length))];
    if (!from || toppedUp) {
      this.fullWalkAt = this.now();
      if (runs.length < wanted) {
        this.after = undefined;
        return runs;
      }
    }
    for (const { id, runAtUs } of runs) {
      if (runAtUs === undefined) continue;
      const position = { runAtUs, id };
      if (!this.after || isAfter(position, this.after)) this.after = position;
    }
    return runs;
  }
}

/** Index order: (run_at, id), uuids compared as PostgreSQL does, byte by byte (their hex text in order). */
function isAfter(a: DuePosition, b: DuePosition) {
  return a.runAtUs > b.runAtUs || (a.runAtUs === b.runAtUs && a.id > b.id);
}
