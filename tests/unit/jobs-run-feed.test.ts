import { describe, expect, it } from "vitest";
import type { ClaimedRun } from "@/lib/jobs/postgres/claim";
import { RunFeed } from "@/lib/jobs/postgres/feed";

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
    expect(feed.takeQueued()).toEqual([]);
  });
});
