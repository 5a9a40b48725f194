import "server-only";
import { completeRuns, type Lease } from "./transitions";

type Pending = { lease: Lease; output: unknown; resolve: (held: boolean) => void; reject: (error: unknown) => void };

/** Most completions one statement carries. */
const MAX_BATCH = 500;

/**
 * Completes runs in batches, by group commit: the first completion is written at
 * once, and every completion that arrives while a write is in flight goes into the
 * next one. Idle lanes add no delay; busy lanes share one statement per round trip.
 * Each caller still learns whether its own run was held (fenced on its claim token).
 */
export class CompletionBatcher {
  private pending: Pending[] = [];
  private writing: Promise<void> | undefined;

  complete(lease: Lease, output: unknown): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ lease, output, resolve, reject });
      this.writing ??= this.writeAll();
    });
  }

  private async writeAll() {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      try {
        const held = await completeRuns(batch);
        for (const completion of batch) completion.resolve(held.has(completion.lease.runId));
      } catch (error) {
        for (const completion of batch) completion.reject(error);
      }
    }
    this.writing = undefined;
  }
}
