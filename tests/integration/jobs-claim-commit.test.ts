import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { defineJob } from "@/lib/jobs/define";
import { claimDueRuns } from "@/lib/jobs/postgres/claim";
import { claimScope } from "@/lib/jobs/postgres/flow-limits";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated } from "./jobs-support/clock";

const plain = defineJob({ id: "claim-commit-plain", triggers: [{ event: "booking/created" }] }, () => "done");
const limited = defineJob(
  {
    id: "claim-commit-limited",
    triggers: [{ event: "booking/created" }],
    concurrency: { key: "event.data.clinicId", limit: 1 },
  },
  () => "done",
);

/** The setting the claim leaves for the rest of its transaction. */
const synchronousCommit = async (executor: Pick<typeof db, "execute">) =>
  (await executor.execute<{ value: string }>(sql`select current_setting('synchronous_commit') as value`))[0].value;

describe("a claim commits without waiting for the WAL flush", () => {
  it.each([
    ["without flow control", plain],
    ["with flow control", limited],
  ])("%s: synchronous_commit is off in the claim's own transaction", async (_, job) => {
    await sendEvent(bookingCreated(), { jobs: [job] });
    await db.transaction(async (tx) => {
      // The embedded test cluster runs with synchronous_commit off; a production server has it on.
      await tx.execute(sql`set local synchronous_commit = on`);
      expect(await synchronousCommit(tx)).toBe("on");
      const runs = await claimDueRuns({
        workerId: "claim-commit",
        scope: claimScope([job]),
        leaseMs: 60_000,
        limit: 5,
        executor: tx,
      });
      expect(runs.map((run) => run.jobId)).toEqual([job.options.id]);
      expect(await synchronousCommit(tx)).toBe("off");
    });
  });
});
