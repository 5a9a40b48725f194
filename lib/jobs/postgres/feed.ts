import "server-only";
import type { ClaimedRun } from "./claim";

/**
 * Runs claimed ahead per lane. Two per lane take a third fewer claim statements or more
 * than one (each claim's fixed cost is shared by more runs) and costs a lease held a little
 * longer by runs waiting in the local queue; docs/benchmarks.md has the figures.
 */
export const PREFETCH_PER_LANE = 2;

type Waiter = { resolve: (run: ClaimedRun | undefined) => void; reject: (error: unknown) => void };

export type RunFeedOptions = {
  /** Claims up to `limit` due runs in one statement. */
  claim: (limit: number) => Promise<ClaimedRun[]>;
  /** Runs claimed ahead for lanes about to ask (each holds a lease while it waits). */
  prefetch: number;
  /**
   * What the feed does when nothing is due: the worker waits for a NOTIFY or a due time
   * and resolves true to claim again; a drain resolves false and its lanes end.
   */
  waitForWork: () => Promise<boolean>;
};

/**
 * Feeds lanes from a local queue filled by one claimer. Lanes never claim on their own:
 * a lane that finds the queue empty waits, and a single claim statement takes as many
 * runs as there are waiting lanes plus the prefetch. A notification wakes that one
 * claimer, not every idle lane.
 */
export class RunFeed {
  private queue: ClaimedRun[] = [];
  private waiters: Waiter[] = [];
  private claiming = false;
  /** Set once waitForWork gives up: the lanes are ending, so nothing more is claimed. */
  private closed = false;

  constructor(private readonly options: RunFeedOptions) {}

  /** The next claimed run, or undefined once nothing is due and the feed gave up waiting. */
  next(): Promise<ClaimedRun | undefined> {
    const run = this.queue.shift();
    if (run || this.closed) {
      // Top the queue up before it runs dry, so lanes rarely wait on a claim.
      if (this.queue.length < this.options.prefetch / 2) void this.pump();
      return Promise.resolve(run);
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      void this.pump();
    });
  }

  /** Runs claimed but never handed to a lane (to release when stopping). */
  takeQueued(): ClaimedRun[] {
    return this.queue.splice(0);
  }

  /**
   * The one claimer: claims for the waiting lanes plus the prefetch, hands runs out, and
   * when nothing is due either waits for work (worker) or tells the lanes so (drain).
   */
  private async pump() {
    if (this.claiming || this.closed) return;
    this.claiming = true;
    try {
      for (;;) {
        const wanted = this.waiters.length + this.options.prefetch - this.queue.length;
        if (wanted <= 0 || (this.waiters.length === 0 && this.queue.length >= this.options.prefetch / 2)) break;
        const runs = await this.options.claim(wanted);
        for (const run of runs) {
          const waiter = this.waiters.shift();
          if (waiter) waiter.resolve(run);
          else this.queue.push(run);
        }
        if (runs.length === wanted) continue;
        // Fewer than asked: nothing more is due right now.
        if (this.waiters.length === 0) break;
        if (!(await this.options.waitForWork())) {
          // Closed for good: a prefetch claim now would take runs no lane will ever run,
          // holding them until their lease expires.
          this.closed = true;
          for (const waiter of this.waiters.splice(0)) waiter.resolve(undefined);
          break;
        }
      }
    } catch (error) {
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    } finally {
      this.claiming = false;
    }
  }
}
