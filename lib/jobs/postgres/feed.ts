import "server-only";
import type { ClaimedRun } from "./claim";
import type { ClaimScope } from "./flow-limits";

/**
 * Runs claimed ahead per lane. Two per lane take a third fewer claim statements or more
 * than one (each claim's fixed cost is shared by more runs) and costs a lease held a little
 * longer by runs waiting in the local queue; docs/benchmarks.md has the figures.
 */
export const PREFETCH_PER_LANE = 2;
/**
 * Runs claimed ahead per lane while runs leave the local queue within QUICK_WAIT_MS: quick
 * runs spend much of their time in the claim, and a claim of twice the runs costs far less
 * than two. Slow runs keep the shallow prefetch, so a worker does not sit on runs that other
 * workers could start. At 32 per lane, runs without steps waited about 1 ms in the queue
 * on average and claims took about 90 runs each, against 37 at 8 per lane
 * (docs/benchmarks.md).
 */
export const DEEP_PREFETCH_PER_LANE = 32;
export const QUICK_WAIT_MS = 20;
/** The claimer tops the local queue up once it holds fewer runs than this share of the prefetch. */
const TOP_UP_BELOW = 1 / 2;

/**
 * About how many runs a worker of `lanes` lanes claims at a time from a backlog of quick runs: its
 * deep prefetch, less what is still queued when it tops up (the bench and the claim's plan
 * test measure claims of this size).
 */
export const deepClaimOf = (lanes: number) => DEEP_PREFETCH_PER_LANE * lanes * (1 - TOP_UP_BELOW);

/**
 * The prefetch of a feed for `lanes` lanes claiming `scope`. Jobs with flow control keep
 * the shallow one: runs claimed ahead count as running, so they hold concurrency slots
 * while they wait, and the flow-control claim counts a key's running runs on every probe.
 * The month close with deep feeds was not faster (docs/benchmarks.md).
 */
export function prefetchFor(lanes: number, scope: ClaimScope) {
  const limited = Object.keys(scope.limited).length > 0;
  return {
    prefetch: PREFETCH_PER_LANE * lanes,
    deepPrefetch: limited ? undefined : DEEP_PREFETCH_PER_LANE * lanes,
  };
}

type Waiter = { resolve: (run: ClaimedRun | undefined) => void; reject: (error: unknown) => void };
type Queued = { run: ClaimedRun; queuedAt: number };

export type RunFeedOptions = {
  /** Claims up to `limit` due runs in one statement. */
  claim: (limit: number) => Promise<ClaimedRun[]>;
  /** Runs claimed ahead for lanes about to ask (each holds a lease while it waits). */
  prefetch: number;
  /** The prefetch while runs leave the queue quickly (default: `prefetch`). */
  deepPrefetch?: number;
  /**
   * What the feed does when nothing is due: the worker waits for a NOTIFY or a due time
   * and resolves true to claim again; a drain resolves false and its lanes end.
   */
  waitForWork: () => Promise<boolean>;
  /**
   * A run that waited in the local queue this long has its lease renewed before a lane
   * gets it (`renew` resolves false when the run was lost meanwhile: the lane gets the
   * next one), so a run never starts on a lease about to expire.
   */
  renew?: { afterMs: number; run: (run: ClaimedRun) => Promise<boolean> };
  /** A monotonic clock in ms (tests steer it). */
  now?: () => number;
};

/**
 * Feeds lanes from a local queue filled by one claimer. Lanes never claim on their own:
 * a lane that finds the queue empty waits, and a single claim statement takes as many
 * runs as there are waiting lanes plus the prefetch. A notification wakes that one
 * claimer, not every idle lane.
 */
export class RunFeed {
  private queue: Queued[] = [];
  private waiters: Waiter[] = [];
  /** How long runs handed out lately waited in the local queue (a moving average, ms). */
  private queueWaitMs = Infinity;
  /** The claimer is at work (claiming or waiting for work); `claimed` settles when it stops. */
  private claiming = false;
  private claimed: Promise<void> = Promise.resolve();
  /** Set once waitForWork gives up: the lanes are ending, so nothing more is claimed. */
  private ended = false;

  constructor(private readonly options: RunFeedOptions) {}

  /**
   * The next claimed run; undefined once nothing is due and the feed gave up waiting
   * (`closed`), or when the lane was woken for other work (`wakeOne`).
   */
  async next(): Promise<ClaimedRun | undefined> {
    const { renew } = this.options;
    for (;;) {
      const queued = this.queue.shift();
      if (!queued) {
        if (this.ended) return undefined;
        return new Promise((resolve, reject) => {
          this.waiters.push({ resolve, reject });
          this.pump();
        });
      }
      const waitedMs = this.now() - queued.queuedAt;
      this.noteWait(waitedMs);
      // Top the queue up before it runs dry, so lanes rarely wait on a claim.
      if (this.queue.length < this.prefetch * TOP_UP_BELOW) this.pump();
      if (!renew || waitedMs < renew.afterMs || (await renew.run(queued.run))) return queued.run;
    }
  }

  /** True once nothing more will be claimed: `next` gives undefined from then on. */
  get closed() {
    return this.ended;
  }

  /**
   * Has one lane waiting for a run, if any, stop waiting (its `next` gives undefined), so it
   * can take other work. A claim that comes back keeps its runs queued.
   */
  wakeOne() {
    this.waiters.pop()?.resolve(undefined);
  }

  /**
   * Stops claiming: waits for a claim in flight to come back, then returns the runs never
   * handed to a lane, for the caller to release. Lanes asking afterwards get undefined.
   */
  async close(): Promise<ClaimedRun[]> {
    this.ended = true;
    await this.claimed;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(undefined);
    return this.queue.splice(0).map((queued) => queued.run);
  }

  /** The prefetch now: deep while runs leave the queue quickly. */
  private get prefetch() {
    const { prefetch, deepPrefetch = prefetch } = this.options;
    return this.queueWaitMs <= QUICK_WAIT_MS ? Math.max(prefetch, deepPrefetch) : prefetch;
  }

  private noteWait(waitedMs: number) {
    this.queueWaitMs = this.queueWaitMs === Infinity ? waitedMs : 0.8 * this.queueWaitMs + 0.2 * waitedMs;
  }

  private now() {
    return this.options.now ? this.options.now() : performance.now();
  }

  /**
   * The one claimer: claims for the waiting lanes plus the prefetch, hands runs out, and
   * when nothing is due either waits for work (worker) or tells the lanes so (drain).
   */
  private pump() {
    if (this.claiming || this.ended) return;
    this.claiming = true;
    this.claimed = this.claimWhileWanted();
  }

  private async claimWhileWanted() {
    try {
      while (!this.ended) {
        const prefetch = this.prefetch;
        const wanted = this.waiters.length + prefetch - this.queue.length;
        if (wanted <= 0 || (this.waiters.length === 0 && this.queue.length >= prefetch * TOP_UP_BELOW)) break;
        const runs = await this.options.claim(wanted);
        const queuedAt = this.now();
        for (const run of runs) {
          const waiter = this.waiters.shift();
          // A lane that waited for the claim starts at once: its run did not wait at all.
          if (waiter) {
            this.noteWait(0);
            waiter.resolve(run);
          } else this.queue.push({ run, queuedAt });
        }
        if (runs.length === wanted) continue;
        // Fewer than asked: nothing more is due right now.
        if (this.waiters.length === 0) break;
        if (!(await this.options.waitForWork())) {
          // Closed for good: a prefetch claim now would take runs no lane will ever run,
          // holding them until their lease expires.
          this.ended = true;
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
