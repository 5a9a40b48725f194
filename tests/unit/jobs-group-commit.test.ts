import { describe, expect, it } from "vitest";
import { GroupCommit } from "@/lib/jobs/postgres/group-commit";

/**
 * A writer whose first write waits until `release()`, so the items added meanwhile pile
 * up behind it; `writes` records what each call carried.
 */
function heldWriter<Item, Result>(write: (items: Item[]) => Result[]) {
  const writes: Item[][] = [];
  let release!: () => void;
  const firstWrite = new Promise<void>((resolve) => (release = resolve));
  const writer = async (items: Item[]) => {
    writes.push(items);
    if (writes.length === 1) await firstWrite;
    return write(items);
  };
  return { writes, release, writer };
}

describe("GroupCommit", () => {
  it("writes the first item at once and everything that arrives meanwhile in one next write", async () => {
    const { writes, release, writer } = heldWriter((items: string[]) => items.map((item) => item.toUpperCase()));
    const group = new GroupCommit(writer);
    const all = ["a", "b", "c", "d"].map((item) => group.add(item));
    release();
    expect(await Promise.all(all)).toEqual(["A", "B", "C", "D"]);
    expect(writes).toEqual([["a"], ["b", "c", "d"]]);
  });

  it("puts the next items of the callers a write answered in the same next write as those already waiting", async () => {
    // Two lanes in step: a's answer comes back while b waits, and a's next item follows at once.
    const { writes, release, writer } = heldWriter((items: string[]) => items);
    const group = new GroupCommit(writer);
    const a = group.add("a1").then(() => group.add("a2"));
    const b = group.add("b1");
    release();
    await Promise.all([a, b]);
    expect(writes).toEqual([["a1"], ["b1", "a2"]]);
  });

  it("writes a failed batch again item by item, so only the bad item's caller gets the error", async () => {
    const { writes, release, writer } = heldWriter((items: string[]) => {
      if (items.includes("bad")) throw new Error("bad item");
      return items.map((item) => item.length);
    });
    const group = new GroupCommit(writer);
    const first = group.add("first");
    const batch = [group.add("ok"), group.add("bad"), group.add("fine")];
    release();
    expect(await first).toBe(5);
    expect(await Promise.allSettled(batch)).toEqual([
      { status: "fulfilled", value: 2 },
      { status: "rejected", reason: new Error("bad item") },
      { status: "fulfilled", value: 4 },
    ]);
    expect(writes).toEqual([["first"], ["ok", "bad", "fine"], ["ok"], ["bad"], ["fine"]]);
  });

  it("carries at most maxBatch items per write", async () => {
    const { writes, release, writer } = heldWriter((items: number[]) => items);
    const group = new GroupCommit(writer, 2);
    const all = [1, 2, 3, 4, 5, 6].map((item) => group.add(item));
    release();
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(writes).toEqual([[1], [2, 3], [4, 5], [6]]);
  });
});
