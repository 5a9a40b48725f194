import "server-only";

type Pending<Item, Result> = { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void };

/**
 * Writes items in batches by group commit: the first item is written at once, and every
 * item that arrives while a write is in flight, or from the callers that write answered,
 * goes into the next one. Idle lanes add no delay; busy lanes share one statement per
 * round trip. `write` returns one result per item, in order, so each caller still learns
 * its own outcome (a fenced write that matched nothing, say). A batch whose statement
 * fails (and so wrote nothing) is written again item by item, so one bad item fails its
 * own caller only.
 */
export class GroupCommit<Item, Result> {
  private pending: Pending<Item, Result>[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly write: (items: Item[]) => Promise<Result[]>,
    /** Most items one statement carries. */
    private readonly maxBatch = 500,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.writing ??= this.writeAll();
    });
  }

  private async writeAll() {
    for (let first = true; ; first = false) {
      // After a write, the callers it answered add their next items before the next batch
      // is taken (a lane's next step starts in the same turn of the event loop as its
      // checkpoint's answer). Without this wait, lanes in step split into a cohort of one,
      // written alone, and the rest, written behind it: two statements per round instead
      // of one, and the lone lane waiting out both.
      if (!first) await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.pending.length === 0) break;
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        const results = await this.write(batch.map((pending) => pending.item));
        batch.forEach((pending, index) => pending.resolve(results[index]));
      } catch (error) {
        if (batch.length === 1) batch[0].reject(error);
        else await Promise.all(batch.map((pending) => this.writeAlone(pending)));
      }
    }
    this.writing = undefined;
  }

  private async writeAlone({ item, resolve, reject }: Pending<Item, Result>) {
    try {
      const [result] = await this.write([item]);
      resolve(result);
    } catch (error) {
      reject(error);
    }
  }
}
