import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { defineJob } from "@/lib/jobs/define";
import { deepClaimOf } from "@/lib/jobs/postgres/feed";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated } from "./jobs-support/clock";

// What a 10-lane worker claims at a time from a backlog of quick runs.
const DEEP_CLAIM = deepClaimOf(10);

const job = defineJob({ id: "claim-plan", triggers: [{ event: "booking/created" }] }, () => "done");

// A connection of its own that reports the plans auto_explain logs as notices.
const notices: string[] = [];
const explained = postgres(process.env.DATABASE_URL!, {
  max: 1,
  onnotice: (notice) => notices.push(String(notice.message)),
});
afterAll(() => explained.end());

describe("the claim's plan (drizzle/0031_claim_nested_loops.sql)", () => {
  it("finds a deep prefetch's runs and their events by key, not by reading both tables whole", async () => {
    for (let batch = 0; batch < 5; batch++)
      await sendEvent(
        Array.from({ length: 1_000 }, () => bookingCreated()),
        { jobs: [job] },
      );
    await explained`vacuum analyze job_runs, job_events`;
    await explained`load 'auto_explain'`;
    await explained`set auto_explain.log_min_duration = 0`;
    await explained`set auto_explain.log_nested_statements = on`;
    await explained`set client_min_messages = log`;

    // Through the function itself, on this connection, so its plan comes back here.
    const claimed = await explained`
      select id from slotline_claim_due_runs('planner', array['claim-plan'], 60000, ${DEEP_CLAIM}::int)
    `;
    expect(claimed).toHaveLength(DEEP_CLAIM);

    const plan = notices.find((notice) => notice.includes("Update on job_runs"));
    expect(plan, `no plan of the claim's statement among ${notices.length} notices`).toBeDefined();
    expect(plan).toContain("job_runs_due_idx");
    expect(plan).toContain("job_runs_pkey");
    expect(plan).toContain("job_events_pkey");
    expect(plan).not.toMatch(/Seq Scan on job_(runs|events)/);
  });
});
