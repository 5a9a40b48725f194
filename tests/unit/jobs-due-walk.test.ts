import { describe, expect, it } from "vitest";
import { DueWalk, FULL_WALK_EVERY_MS } from "@/lib/jobs/postgres/due-walk";

const run = (runAtUs: number, id: string) => ({ runAtUs, id });

describe("DueWalk: where a claimer's next claim starts in the due index", () => {
  it("starts from the oldest entry until a claim took runs, then after the last of them in index order", () => {
    let now = 0;
    const walk = new DueWalk(() => now);
    expect(walk.from()).toBeUndefined();
    walk.claimed(undefined, [run(20, "b"), run(30, "a"), run(30, "c"), run(10, "z")], false);
    expect(walk.from()).toEqual(run(30, "c"));
    // Runs come back in any order; the place only moves forward.
    walk.claimed(run(30, "c"), [run(40, "a"), run(30, "d")], false);
    expect(walk.from()).toEqual(run(40, "a"));
    walk.claimed(run(40, "a"), [run(35, "x")], false);
    expect(walk.from()).toEqual(run(40, "a"));
    now += 10;
    expect(walk.from()).toEqual(run(40, "a"));
  });

  it("walks from the oldest entry again at least every FULL_WALK_EVERY_MS", () => {
    let now = 0;
    const walk = new DueWalk(() => now);
    walk.claimed(undefined, [run(10, "a")], false);
    now += FULL_WALK_EVERY_MS - 1;
    walk.claimed(run(10, "a"), [run(20, "a")], false);
    expect(walk.from()).toEqual(run(20, "a"));
    now += 1;
    expect(walk.from()).toBeUndefined();
    // A walk from the oldest entry that took a full batch keeps the place it had reached.
    walk.claimed(undefined, [run(5, "a")], false);
    expect(walk.from()).toEqual(run(20, "a"));
  });

  it("forgets its place once a walk from the oldest entry comes back short: everything due was found", () => {
    const walk = new DueWalk(() => 0);
    walk.claimed(undefined, [run(10, "a")], false);
    walk.claimed(undefined, [run(12, "a")], true);
    expect(walk.from()).toBeUndefined();
  });

  it("ignores runs claimed without a due position (by event)", () => {
    const walk = new DueWalk(() => 0);
    walk.claimed(undefined, [{ id: "a" }], false);
    expect(walk.from()).toBeUndefined();
  });
});
