import { describe, expect, it } from "vitest";
import type { ClaimedRun } from "@/lib/jobs/postgres/claim";
import {
  DEEP_PREFETCH_PER_LANE,
  PREFETCH_PER_LANE,
  prefetchFor,
  QUICK_WAIT_MS,
  RunFeed,
} from "@/lib/jobs/postgres/feed";

const run = (id: string) => ({ id, claimToken: `token-${id}` }) as ClaimedRun;

describe("RunFeed", () => {
  it("hands claimed runs to waiting lanes, one claim for all of them", async () => {
    const claims: number[] = [];
    const feed = new RunFeed({
      claim: async (limit) => {
        claims.push(limit);
        return [run("a"), run("b")];
      },
      prefetch: 0,
      waitForWork: async () => false,
    });
    const [first, second] = await Promise.all([feed.next(), feed.next()]);
    expect([first?.id, second?.id]).toEqual(["a", "b"]);
    expect(claims).toEqual([1]);
  });

  it("claims nothing more once waitForWork gives up: no run is taken that no lane will run", async () => {
    const claims: number[] = [];
    const feed = new RunFeed({
      // Nothing is due at first; anything claimed later would be left holding a lease.
      claim: async (limit) => {
        claims.push(limit);
        return claims.length === 1 ? [] : [run("late")];
      },
      prefetch: 1,
      waitForWork: async () => false,
    });
    expect(await feed.next()).toBeUndefined();
    expect(claims).toEqual([2]);
    // A lane asking again is told the same, without a claim.
    expect(await feed.next()).toBeUndefined();
    expect(claims).toEqual([2]);
    expect(await feed.close()).toEqual([]);
  });

  it("claims deeper while runs leave the queue quickly, and back to the shallow prefetch once they wait", async () => {
    let clock = 0;
    const claims: number[] = [];
    let next = 0;
    const feed = new RunFeed({
      claim: async (limit) => {
        claims.push(limit);
        return Array.from({ length: limit }, () => run(String(next++)));
      },
      prefetch: 2,
      deepPrefetch: 8,
      waitForWork: async () => false,
      now: () => clock,
    });
    // First claim: nothing measured yet, so the lane's run plus the shallow prefetch. The lane
    // got its run straight from the claim (no wait in the queue), so the same pump tops the
    // queue up to the deep prefetch.
    await feed.next();
    expect(claims).toEqual([3, 6]);
    // Runs now wait in the queue far longer than QUICK_WAIT_MS: once the eight queued runs
    // are handed out, the next claim is the shallow prefetch again.
    for (let i = 0; i < 8; i++) {
      clock += QUICK_WAIT_MS * 10;
      await feed.next();
    }
    expect(claims).toEqual([3, 6, 2]);
  });

  it("renews a run that waited a quarter of its lease before a lane gets it, and skips one lost meanwhile", async () => {
    let clock = 0;
    const renewed: string[] = [];
    const feed = new RunFeed({
      claim: async (limit) => (limit >= 3 ? [run("a"), run("lost"), run("b")] : []),
      prefetch: 2,
      waitForWork: async () => false,
      renew: {
        afterMs: 15_000,
        run: async (claimed) => {
          renewed.push(claimed.id);
          return claimed.id !== "lost";
        },
      },
      now: () => clock,
    });
    expect((await feed.next())?.id).toBe("a");
    // Handed out before the quarter-lease mark: no renewal.
    clock = 14_999;
    expect(renewed).toEqual([]);
    clock = 15_000;
    // "lost" was taken over while it waited: the lane gets "b" instead, renewed too.
    expect((await feed.next())?.id).toBe("b");
    expect(renewed).toEqual(["lost", "b"]);
  });

  it("close waits for a claim in flight and returns the runs no lane got, so they can be released", async () => {
    let answer!: (runs: ClaimedRun[]) => void;
    const feed = new RunFeed({
      claim: () => new Promise((resolve) => (answer = resolve)),
      prefetch: 2,
      waitForWork: async () => false,
    });
    const lane = feed.next();
    const closing = feed.close();
    answer([run("a"), run("b"), run("c")]);
    expect((await lane)?.id).toBe("a");
    expect((await closing).map((queued) => queued.id)).toEqual(["b", "c"]);
    expect(await feed.next()).toBeUndefined();
  });

  it("goes deep only for jobs without flow control, whose claim does not count running runs", () => {
    expect(prefetchFor(4, { jobIds: ["quick"], limited: {} })).toEqual({
      prefetch: PREFETCH_PER_LANE * 4,
      deepPrefetch: DEEP_PREFETCH_PER_LANE * 4,
    });
    const throttled = { jobIds: ["quick"], limited: { emails: { throttle: { limit: 2, periodMs: 1_000 } } } };
    expect(prefetchFor(4, throttled)).toEqual({ prefetch: PREFETCH_PER_LANE * 4, deepPrefetch: undefined });
  });
});
