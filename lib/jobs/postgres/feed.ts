import "server-only";
import type { ClaimedRun } from "./claim";

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

  constructor(private readonly options: RunFeedOptions) {}

  /** The next claimed run, or undefined once nothing is due and the feed gave up waiting. */
  next(): Promise<ClaimedRun | undefined> {
    const run = this.queue.shift();
    if (run) return Promise.resolve(run);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      void this.pump();
    });
  }

  /** Runs claimed but never handed to a lane (to release when stopping). */
  takeQueued(): ClaimedRun[] {
    return this.queue.splice(0);
  }

  private async pump() {
    if (this.claiming) return;
    this.claiming = true;
    try {
      while (this.waiters.length > 0) {
        const runs = await this.options.claim(this.waiters.length + this.options.prefetch);
        for (const run of runs) {
          const waiter = this.waiters.shift();
          if (waiter) waiter.resolve(run);
          else this.queue.push(run);
        }
        if (runs.length > 0 || this.waiters.length === 0) continue;
        if (!(await this.options.waitForWork())) for (const waiter of this.waiters.splice(0)) waiter.resolve(undefined);
      }
    } catch (error) {
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    } finally {
      this.claiming = false;
    }
  }
}
