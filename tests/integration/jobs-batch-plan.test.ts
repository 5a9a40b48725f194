import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { defineJob } from "@/lib/jobs/define";
import { stepCheckpointsStatement } from "@/lib/jobs/postgres/checkpoints";
import { claimDueRuns } from "@/lib/jobs/postgres/claim";
import { leaseOf, type Lease } from "@/lib/jobs/postgres/lease";
import { completeRuns, completionStatement } from "@/lib/jobs/postgres/transitions";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated } from "./jobs-support/clock";

// A file of its own: a database where job_runs was never analyzed, as on a new deployment.
const explained = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
afterAll(() => explained.end());

/** The plan a worker's prepared statement settles on (a generic one), and how it ran. */
async function plansOf(statement: SQL) {
  const { sql: text, params } = new PgDialect().sqlToQuery(statement);
  const lines = async (explain: Promise<Record<string, unknown>[]>) =>
    (await explain).map((row) => String(row["QUERY PLAN"])).join("\n");
  return {
    generic: await lines(explained.unsafe(`explain (generic_plan) ${text}`)),
    ran: await lines(explained.unsafe(`explain (analyze, costs off) ${text}`, params as never[])),
  };
}

describe("the writes that join many held runs (lease.ts, heldByList)", () => {
  it("find a batch's runs by primary key, not among every 'running' entry a drain left in the status index", async () => {
    const jobs = [defineJob({ id: "batch-plan", triggers: [{ event: "booking/created" }] }, () => "done")];
    // Held still, so no ANALYZE changes what the planner knows while the test runs. At 5,000
    // runs the table is large enough that reading it whole would cost more than ten lookups.
    await explained`alter table job_runs set (autovacuum_enabled = off)`;
    await sendEvent(
      Array.from({ length: 5_000 }, () => bookingCreated()),
      { jobs },
    );
    // A drain's claims and completions, with no vacuum after them: each claim left a
    // 'running' entry in job_runs_status_created_idx for its run. The last claim's first
    // ten stay held, for a lanes' batch of checkpoints and then their completion.
    let held: Lease[] = [];
    for (;;) {
      const claimed = await claimDueRuns({ workerId: "drain", scope: ["batch-plan"], leaseMs: 60_000, limit: 160 });
      await completeRuns(claimed.slice(10).map((run) => ({ lease: leaseOf(run), output: null })));
      if (claimed.length < 160) {
        held = claimed.slice(0, 10).map(leaseOf);
        break;
      }
    }
    expect(held).toHaveLength(10);

    const checkpoints = await plansOf(
      stepCheckpointsStatement(
        held.map((lease) => ({
          lease,
          stepId: "one",
          output: 1,
          attempt: 0,
          durationMs: 1,
          finishedAt: performance.now(),
        })),
        60_000,
      ),
    );
    const completion = await plansOf(completionStatement(held.map((lease) => ({ lease, output: 2 }))));
    for (const plan of [checkpoints.generic, checkpoints.ran, completion.generic, completion.ran]) {
      expect(plan).toContain("job_runs_pkey");
      expect(plan).not.toContain("job_runs_status_created_idx");
    }
    // And they wrote what they should: ten checkpoints, then ten completions.
    expect(checkpoints.ran).toMatch(/Insert on job_steps[^\n]* rows=10\.00 /);
    expect(completion.ran).toMatch(/Update on job_runs[^\n]* rows=10\.00 /);
  });

  it("plan a completion once per connection, whatever the size of its batch", async () => {
    const jobs = [defineJob({ id: "batch-size", triggers: [{ event: "booking/created" }] }, () => "done")];
    await sendEvent(
      Array.from({ length: 40 }, () => bookingCreated()),
      { jobs },
    );
    // What a worker's connection does: the same prepared statement, batch after batch of a
    // few runs (a multi-step drain completes them a few at a time).
    let text = "";
    for (const size of [1, 2, 3, 5, 8, 2, 1, 3, 4, 2]) {
      const claimed = await claimDueRuns({ workerId: "lanes", scope: ["batch-size"], leaseMs: 60_000, limit: size });
      const query = new PgDialect().sqlToQuery(
        completionStatement(claimed.map((run) => ({ lease: leaseOf(run), output: size }))),
      );
      text = query.sql;
      const completed = await explained.unsafe(query.sql, query.params as never[], { prepare: true });
      expect(completed).toHaveLength(size);
    }
    const [prepared] = await explained<{ generic_plans: string; custom_plans: string }[]>`
      select generic_plans, custom_plans from pg_prepared_statements where statement = ${text}
    `;
    // PostgreSQL tries five custom plans, then keeps the generic one unless custom ones look cheaper.
    expect(prepared).toMatchObject({ custom_plans: "5", generic_plans: "5" });
  });
});
