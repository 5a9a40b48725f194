import fs from "node:fs";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns, jobSteps } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { drain, STEP_TIMEOUT_GRACE_MS } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { CRON_DRAIN_BUDGET_MS } from "@/lib/jobs/work";
import { bookingCreated, testClock } from "./jobs-support/clock";

// A hung step (an HTTP call with no timeout) must not keep a drain past its function
// limit, nor hold its run forever.

const BUDGET_MS = 300;
const GRACE_MS = 300;
const never = () => new Promise<never>(() => {});
const runOf = async (eventId: string) => (await db.select().from(jobRuns).where(eq(jobRuns.eventId, eventId)))[0];

describe("step timeouts", () => {
  it("fails a never-settling step with StepTimeoutError, returns within budget + grace, and retries it", async () => {
    let calls = 0;
    const job = defineJob(
      { id: "hung-call", triggers: [{ event: "booking/created" }], retries: 2 },
      async ({ step }) => {
        await step.run("call-api", () => (++calls === 1 ? never() : "answered"));
        return "done";
      },
    );
    const jobs = [job];
    const clock = testClock();
    const [sent] = await sendEvent(bookingCreated(), { jobs });

    const started = performance.now();
    const result = await drain({ budgetMs: BUDGET_MS, stepGraceMs: GRACE_MS, jobs });
    // The timeout fires at budget + grace (a hung step would never return); slack for a busy machine.
    expect(performance.now() - started).toBeLessThan(BUDGET_MS + GRACE_MS + 5_000);
    expect(result).toMatchObject({ processed: 1, retried: 1 });

    const run = await runOf(sent.id);
    expect(run).toMatchObject({ status: "queued", attempt: 1, lockedBy: null, error: { name: "StepTimeoutError" } });
    expect(run.error?.message).toMatch(/^Step "call-api" did not finish within its \d+ ms limit$/);

    await clock.set(run.runAt);
    expect(await drain({ budgetMs: 5_000, jobs })).toMatchObject({ completed: 1 });
    const steps = await db.select().from(jobSteps).where(eq(jobSteps.runId, run.id)).orderBy(asc(jobSteps.id));
    expect(steps.map((s) => [s.stepId, s.status, s.error?.name ?? null])).toEqual([
      ["call-api", "failed", "StepTimeoutError"],
      ["call-api", "completed", null],
    ]);
    expect((await runOf(sent.id)).output).toBe("done");
  });

  it("ends the attempt even if the handler catches the timeout, and starts no further step", async () => {
    let later = 0;
    const job = defineJob(
      { id: "caught-timeout", triggers: [{ event: "booking/created" }] },
      async ({ step, attempt }) => {
        try {
          await step.run("hang", () => (attempt === 0 ? never() : "ok"));
        } catch {
          // carries on regardless
        }
        await step.run("later", () => ++later);
      },
    );
    const jobs = [job];
    const [sent] = await sendEvent(bookingCreated(), { jobs });
    expect(await drain({ budgetMs: BUDGET_MS, stepGraceMs: GRACE_MS, jobs })).toMatchObject({
      retried: 1,
      completed: 0,
    });
    expect(later).toBe(0);
    expect(await runOf(sent.id)).toMatchObject({ status: "queued", error: { name: "StepTimeoutError" } });
  });

  it("stops renewing the lease once a step timed out, so a hung handler's run is taken over", async () => {
    let release = () => {};
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const job = defineJob(
      { id: "hangs-after-timeout", triggers: [{ event: "booking/created" }], retries: 2 },
      async ({ step, attempt }) => {
        if (attempt > 0) return "taken over";
        try {
          await step.run("hang", never);
        } catch {
          await stuck; // hangs outside any step
        }
      },
    );
    const jobs = [job];
    const [sent] = await sendEvent(bookingCreated(), { jobs });
    const leaseMs = 1_500;
    const first = drain({ budgetMs: 200, stepGraceMs: 200, jobs, leaseMs });
    try {
      // The lease lapses on the database's clock (a heartbeat would have kept renewing it).
      const clock = testClock();
      const lapsed = async () => {
        const held = await runOf(sent.id);
        return held.status === "running" && held.leaseExpiresAt!.getTime() < (await clock.now()).getTime();
      };
      const until = performance.now() + 30_000;
      while (!(await lapsed())) {
        if (performance.now() > until) throw new Error("the hung run's lease was still being renewed after 30 s");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await drain({ budgetMs: 5_000, jobs, leaseMs })).toMatchObject({ processed: 1, completed: 1 });
      expect(await runOf(sent.id)).toMatchObject({ status: "completed", output: "taken over", attempt: 1 });
    } finally {
      release();
    }
    // The hung lane finally returns; its fenced writes find the run no longer its own.
    expect(await first).toMatchObject({ processed: 1, cancelled: 1 });
  });

  it("keeps the cron routes' budget plus the grace inside their Vercel function limit", () => {
    const vercel = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../vercel.json"), "utf8")) as {
      functions: Record<string, { maxDuration: number }>;
    };
    for (const route of ["app/api/cron/drain/route.ts", "app/api/cron/[job]/route.ts"]) {
      // Leave at least 5 s to record the timeout and send the response.
      expect(CRON_DRAIN_BUDGET_MS + STEP_TIMEOUT_GRACE_MS + 5_000).toBeLessThanOrEqual(
        vercel.functions[route].maxDuration * 1000,
      );
    }
  });
});
