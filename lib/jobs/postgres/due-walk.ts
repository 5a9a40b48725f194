import "server-only";

/** How often a claimer that starts after its last claim walks from the oldest due entry anyway. */
export const FULL_WALK_EVERY_MS = 1_000;

/** A place in job_runs_due_idx: a run's due time (µs since 1970) and id. */
export type DuePosition = { runAtUs: number; id: string };

/**
 * Where a claimer's next claim starts in job_runs_due_idx. A claim from the oldest entry
 * passes the entry of every run claimed before it until a vacuum, and while any snapshot
 * older than those claims is open (autovacuum's ANALYZE, a backup, a report) no scan may
 * mark them dead: each claim of a drain then visits every run the drain took so far. So a
 * claimer with a backlog starts after the last run it claimed (drizzle/0030_claim_after.sql).
 *
 * A run can become due behind that place: a transaction that stored it started before the
 * claims ahead of it and committed after them, or a cron slot's run is due at the slot. So
 * a claim walks from the oldest entry when the one from the last place comes back short
 * (claimDueRuns), and at least every FULL_WALK_EVERY_MS; a run committed behind the place
 * waits at most that much longer than it would have. A claim from the oldest entry that
 * comes back short found everything due, and the place is forgotten.
 */
export class DueWalk {
  private after: DuePosition | undefined;
  private fullWalkAt = -Infinity;

  /** A monotonic clock in ms (tests steer it). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Where the next claim starts: after this run, or from the oldest entry (undefined). */
  from(): DuePosition | undefined {
    return this.after && this.now() - this.fullWalkAt < FULL_WALK_EVERY_MS ? this.after : undefined;
  }

  /** After a claim: where it started, the runs it took (in any order), and whether it came back short. */
  claimed(from: DuePosition | undefined, runs: { id: string; runAtUs?: number }[], short: boolean) {
    if (!from) {
      this.fullWalkAt = this.now();
      if (short) {
        this.after = undefined;
        return;
      }
    }
    for (const { id, runAtUs } of runs) {
      if (runAtUs === undefined) continue;
      const position = { runAtUs, id };
      if (!this.after || isAfter(position, this.after)) this.after = position;
    }
  }
}

/** Index order: (run_at, id), uuids compared as PostgreSQL does, byte by byte (their hex text in order). */
function isAfter(a: DuePosition, b: DuePosition) {
  return a.runAtUs > b.runAtUs || (a.runAtUs === b.runAtUs && a.id > b.id);
}
