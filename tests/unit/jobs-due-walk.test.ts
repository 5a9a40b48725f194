import { describe, expect, it } from "vitest";
import { DueWalk, FULL_WALK_EVERY_MS, type DuePosition } from "@/lib/jobs/postgres/due-walk";

const run = (runAtUs: number, id: string) => ({ runAtUs, id });

/**
 * Due runs in index order, and a claim statement over them that records where each claim
 * started: it takes the first `count` runs after `from` (or from the oldest), as the SQL does.
 */
function dueIndex(...runs: DuePosition[]) {
  const due = [...runs];
  const starts: (DuePosition | undefined)[] = [];
  const claimFrom = async (from: DuePosition | undefined, count: number) => {
    starts.push(from);
    const after = (r: DuePosition) =>
      !from || r.runAtUs > from.runAtUs || (r.runAtUs === from.runAtUs && r.id > from.id);
    const taken = due.filter(after).slice(0, count);
    for (const r of taken) due.splice(due.indexOf(r), 1);
    // Claimed rows come back in any order.
    return taken.reverse();
  };
  const add = (r: DuePosition) => {
    due.push(r);
    due.sort((x, y) => x.runAtUs - y.runAtUs || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  };
  return { claimFrom, starts, add };
}

describe("DueWalk: where a claimer's next claim starts in the due index", () => {
  it("starts from the oldest entry, then after the last run it took in index order", async () => {
    const index = dueIndex(run(10, "a"), run(20, "a"), run(20, "b"), run(30, "a"), run(40, "a"));
    const walk = new DueWalk(() => 0);
    expect(await walk.claim(index.claimFrom, 3)).toHaveLength(3);
    expect(await walk.claim(index.claimFrom, 1)).toEqual([run(30, "a")]);
    expect(index.starts).toEqual([undefined, run(20, "b")]);
  });

  it("passes runs due behind its place until a claim from there comes back short, then tops it up from the oldest entry", async () => {
    const index = dueIndex(run(10, "a"), run(20, "a"), run(30, "a"));
    const walk = new DueWalk(() => 0);
    await walk.claim(index.claimFrom, 1);
    index.add(run(5, "late"));
    expect(await walk.claim(index.claimFrom, 1)).toEqual([run(20, "a")]);
    expect(await walk.claim(index.claimFrom, 3)).toEqual([run(30, "a"), run(5, "late")]);
    expect(index.starts).toEqual([undefined, run(10, "a"), run(20, "a"), undefined]);
    // Short from the oldest entry: everything due was found, and the place is forgotten.
    index.add(run(1, "next"));
    expect(await walk.claim(index.claimFrom, 1)).toEqual([run(1, "next")]);
    expect(index.starts.at(-1)).toBeUndefined();
  });

  it("walks from the oldest entry at least every FULL_WALK_EVERY_MS, and keeps its place after a full batch from there", async () => {
    let now = 0;
    const index = dueIndex(run(10, "a"), run(20, "a"), run(30, "a"), run(40, "a"));
    const walk = new DueWalk(() => now);
    await walk.claim(index.claimFrom, 1);
    index.add(run(5, "late"));
    now += FULL_WALK_EVERY_MS - 1;
    expect(await walk.claim(index.claimFrom, 1)).toEqual([run(20, "a")]);
    now += 1;
    expect(await walk.claim(index.claimFrom, 1)).toEqual([run(5, "late")]);
    expect(await walk.claim(index.claimFrom, 1)).toEqual([run(30, "a")]);
    expect(index.starts).toEqual([undefined, run(10, "a"), undefined, run(20, "a")]);
  });

  it("keeps no place from runs claimed without a due position", async () => {
    const walk = new DueWalk(() => 0);
    const starts: (DuePosition | undefined)[] = [];
    const claimFrom = async (from: DuePosition | undefined) => {
      starts.push(from);
      return [{ id: "by-event" }];
    };
    await walk.claim(claimFrom, 1);
    await walk.claim(claimFrom, 1);
    expect(starts).toEqual([undefined, undefined]);
  });
});
