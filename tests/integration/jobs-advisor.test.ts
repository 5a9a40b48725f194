import { execFile } from "node:child_process";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { AdvisorPanel } from "@/app/admin/jobs/advisor-panel";
import { db } from "@/lib/db/client";
import { adviseOnQueue } from "@/lib/jobs/advisor/advise";
import { LONG_STEP_MS } from "@/lib/jobs/postgres/advisor-figures";
import { defineJob } from "@/lib/jobs/define";
import { processDueWork } from "@/lib/jobs/work";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated } from "./jobs-support/clock";

// Each verdict built from rows written straight into the queue's tables.

const root = path.resolve(import.meta.dirname, "../..");
const MIN = 60_000;

/** `count` runs of `jobId`, created `agoMs` before now, each started `lagMs` after it was due, with one step. */
async function insertRuns(options: {
  count: number;
  status?: "completed" | "failed";
  lagMs?: number;
  agoMs?: number;
  stepMs?: number;
  failedAttempts?: number;
  jobId?: string;
}) {
  const { count, status = "completed", lagMs = 500, agoMs = 3_600_000, stepMs = 200, failedAttempts = 0 } = options;
  const jobId = options.jobId ?? "fixture-job";
  await db.execute(sql`
    with runs as (
      insert into job_runs (job_id, status, max_attempts, run_at, created_at, started_at, finished_at)
      select ${jobId}, ${status}::job_run_status, 5, at, at, at + make_interval(secs => ${lagMs / 1000}),
             at + make_interval(secs => ${(lagMs + stepMs) / 1000})
      from (select now() - make_interval(secs => ${agoMs / 1000}) - n * interval '1 second' as at
            from generate_series(1, ${count}) as n) as times
      returning id, started_at
    ), attempts as (
      insert into job_steps (run_id, step_id, op, status, attempt, started_at, finished_at)
      select id, 'work', 'run', 'failed', n - 1, started_at, started_at
      from runs, generate_series(1, ${failedAttempts}) as n
    )
    insert into job_steps (run_id, step_id, op, status, attempt, started_at, finished_at)
    select id, 'work', 'run', 'completed', ${failedAttempts}, started_at, started_at + make_interval(secs => ${stepMs / 1000})
    from runs
  `);
}

async function insertDrains(count: number, options: { budgetMs?: number; elapsedMs: number }) {
  const budgetMs = options.budgetMs ?? 45_000;
  await db.execute(sql`
    insert into job_drains (started_at, finished_at, budget_ms, processed, remaining)
    select now() - n * interval '1 minute', now() - n * interval '1 minute' + make_interval(secs => ${options.elapsedMs / 1000}),
           ${budgetMs}, 10, 0
    from generate_series(1, ${count}) as n
  `);
}

const signal = async (name: string) => (await adviseOnQueue()).reasons.find((reason) => reason.signal === name)!;

beforeEach(async () => {
  await db.execute(sql`truncate job_drains, job_steps, job_runs, job_events cascade`);
});

describe("the advisor", () => {
  it("says stay on Postgres for a healthy queue, and ignores what is older than 30 days", async () => {
    await insertRuns({ count: 300 });
    await insertRuns({ count: 200, status: "failed", failedAttempts: 3, agoMs: 40 * 24 * 3_600_000 });
    await insertDrains(40, { elapsedMs: 2_000 });
    const advice = await adviseOnQueue();
    expect(advice.verdict).toBe("stay on Postgres");
    expect(advice.figures).toMatchObject({ runs: 300, steps: 300, failed: 0, failureRate: 0, drains: 40 });
    expect(advice.figures.executionsPerMonth).toBe(600);
    expect(advice.reasons.map((reason) => reason.level)).not.toContain("watch");
    expect((await signal("volume")).text).toMatch(
      /^600 executions a month \(300 runs \+ 300 steps\): 1\.2 % of Inngest's free plan \(50,000\)/,
    );
    expect((await signal("flowControl")).text).toMatch(/appointment-reminder \(cancelOn\b/);
  });

  it("says watch when failures pass the watch line, with the figure", async () => {
    await insertRuns({ count: 196 });
    await insertRuns({ count: 4, status: "failed", failedAttempts: 5 });
    const advice = await adviseOnQueue();
    expect(advice.verdict).toBe("watch");
    expect(advice.reasons.find((reason) => reason.signal === "failureRate")).toMatchObject({
      level: "watch",
      text: "Failure rate 2.0 % over 30 days (watch at 1.0 %, flip at 5.0 %)",
    });
  });

  it("the panel on /admin/jobs shows the verdict and every reason", async () => {
    await insertRuns({ count: 196 });
    await insertRuns({ count: 4, status: "failed", failedAttempts: 5 });
    const advice = await adviseOnQueue();
    const html = renderToStaticMarkup(createElement(AdvisorPanel, { advice }));
    expect(html).toContain(">Advisor: watch</h2>");
    expect(html).toContain(
      '<li data-level="watch"><span aria-hidden="true" class="mr-2 inline-block w-3 font-semibold">!</span>Failure rate 2.0 % over 30 days',
    );
    expect(html.match(/<li data-level=/g)).toHaveLength(advice.reasons.length);
  });

  it("says flip to Inngest when drains keep running out of budget", async () => {
    await insertRuns({ count: 100 });
    await insertDrains(30, { elapsedMs: 2_000 });
    await insertDrains(10, { elapsedMs: 46_000 });
    const advice = await adviseOnQueue();
    expect(advice.verdict).toBe("flip to Inngest");
    expect(advice.reasons.find((reason) => reason.signal === "drainBudget")).toMatchObject({
      level: "flip",
      text: "10 of 40 drains (25.0 %) spent their whole budget (watch at 5.0 %, flip at 25.0 %)",
    });
  });

  it("says flip to Inngest when the queue lag p95 passes 15 minutes, or a step nears the function limit", async () => {
    await insertRuns({ count: 90, lagMs: 1_000 });
    await insertRuns({ count: 10, lagMs: 20 * MIN });
    expect(await signal("queueLag")).toMatchObject({ level: "flip" });
    expect((await adviseOnQueue()).figures.queueLagP95Ms).toBeGreaterThanOrEqual(15 * MIN);

    await db.execute(sql`truncate job_steps, job_runs cascade`);
    await insertRuns({ count: 100 });
    await insertRuns({ count: 1, stepMs: 275_000, jobId: "slow-job" });
    const advice = await adviseOnQueue();
    expect(advice.verdict).toBe("flip to Inngest");
    expect(advice.reasons.find((reason) => reason.signal === "longestStep")!.text).toBe(
      "Longest step slow-job › work took 4.6 min, 91.7 % of the 5.0 min function limit",
    );
  });

  it("finds the longest step through its index, and without one over 10 s, the longest of the latest steps", async () => {
    await insertRuns({ count: 50, stepMs: 300 });
    await insertRuns({ count: 1, stepMs: 2_500, jobId: "slower-job" });
    expect((await signal("longestStep")).text).toMatch(/^Longest step slower-job › work took 2\.5 s/);

    // A long step a month old is out of the window; one inside it wins over every short one.
    await insertRuns({ count: 1, stepMs: 50_000, jobId: "old-job", agoMs: 31 * 24 * 60 * MIN });
    await insertRuns({ count: 1, stepMs: 12_000, jobId: "long-job", agoMs: 5 * MIN });
    await insertRuns({ count: 20, stepMs: 100 });
    expect((await signal("longestStep")).text).toMatch(/^Longest step long-job › work took 12\.0 s/);
    // The index's predicate (schema.ts) must say what LONG_STEP_MS says, or the query reads every step.
    // A table this small is cheaper to scan whole, depending on when autovacuum last analysed it:
    // with sequential scans priced out, the plan still names the index only if the index can serve.
    // The whole plan, not its first line: a bitmap scan names its index on the line below.
    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return (await tx.execute(sql`
        explain select 1 from job_steps
        where op = 'run' and finished_at - started_at >= interval '${sql.raw(String(LONG_STEP_MS / 1000))} seconds'
          and started_at >= now() - interval '30 days'
      `)) as unknown as { "QUERY PLAN": string }[];
    });
    expect(plan.map((line) => line["QUERY PLAN"]).join("\n")).toMatch(/job_steps_long_idx/);
  });

  it("counts runs with failed attempts and sleeps' wake-up lag in the window only", async () => {
    await insertRuns({ count: 40, failedAttempts: 2 });
    await insertRuns({ count: 60 });
    await insertRuns({ count: 30, failedAttempts: 1, agoMs: 31 * 24 * 60 * MIN });
    await db.execute(sql`
      insert into job_steps (run_id, step_id, op, status, attempt, wake_at, started_at, finished_at)
      select id, 'nap', 'sleep', 'completed', 0, created_at + interval '1 hour', created_at,
             created_at + interval '1 hour' + interval '30 minutes'
      from job_runs where created_at > now() - interval '30 days'
    `);
    const { figures } = await adviseOnQueue();
    expect(figures).toMatchObject({ runs: 100, runsWithFailedAttempt: 40, retryRate: 0.4 });
    // Every sleep woke 30 minutes late; every start was half a second late.
    expect(figures.queueLagP95Ms).toBe(30 * MIN);
    expect(figures.queueLagSamples).toBe(200);
  });

  it("does not judge rates on too few runs, and says when the volume needs a paid Inngest plan", async () => {
    await insertRuns({ count: 10, status: "failed", failedAttempts: 1 });
    const few = await adviseOnQueue();
    expect(few.verdict).toBe("stay on Postgres");
    expect(few.reasons.find((reason) => reason.signal === "failureRate")!.text).toMatch(/too few runs to judge/);

    await insertRuns({ count: 26_000 });
    // Past EXACT_UP_TO the counts come from a page sample, and the text says so. A sample
    // of a table this small reads all of it, so the figure is still exact.
    expect((await signal("volume")).text).toMatch(
      /^About 52,030 executions a month.*; on Inngest this needs a paid plan$/,
    );
  });

  it("every drain is recorded, and one that spent its budget counts as such", async () => {
    // The budget leaves a loaded machine ample time to claim the run (a run claimed after
    // it is released unprocessed), and ends during its first step.
    const slow = defineJob({ id: "slow", triggers: [{ event: "booking/created" }] }, async ({ step }) => {
      await step.run("a", () => new Promise((resolve) => setTimeout(resolve, 2_500)));
      await step.run("b", () => new Promise((resolve) => setTimeout(resolve, 2_500)));
    });
    await sendEvent(bookingCreated(), { jobs: [slow] });
    await processDueWork({ budgetMs: 1_500, concurrency: 1, jobs: [slow] });
    const [drain] = (await db.execute(sql`select * from job_drains`)) as unknown as {
      budget_ms: number;
      processed: number;
      remaining: number;
    }[];
    expect(drain).toMatchObject({ budget_ms: 1_500, processed: 1, remaining: 1 });
    expect((await adviseOnQueue()).figures).toMatchObject({ drains: 1, drainsOutOfBudget: 1 });
  });

  it(
    "npm run jobs -- advise prints the verdict with its reasons, and --json one JSON document",
    { timeout: 60_000 },
    async () => {
      await insertRuns({ count: 100 });
      await insertDrains(30, { elapsedMs: 46_000 });
      const run = (...args: string[]) =>
        new Promise<{ code: number; stdout: string }>((resolve) =>
          execFile(
            process.execPath,
            ["--import", "tsx", "scripts/jobs.ts", "advise", ...args],
            { cwd: root, env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json" } },
            (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
          ),
        );
      const [text, json] = await Promise.all([run(), run("--json")]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^Verdict: flip to Inngest\n/);
      expect(text.stdout).toContain("!! 30 of 30 drains (100.0 %) spent their whole budget");
      expect(json.code).toBe(0);
      const body = JSON.parse(json.stdout);
      expect(body).toMatchObject({ verdict: "flip to Inngest", figures: { runs: 100, drains: 30 } });
      expect(body.plans).toMatchObject({ free: { executionsPerMonth: 50_000, concurrentSteps: 5 } });
    },
  );
});
