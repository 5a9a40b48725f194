import { asc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns, jobSteps } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated, testClock } from "./jobs-support/clock";

afterEach(() => {
  vi.restoreAllMocks();
  return testClock().reset();
});

describe("step checkpoints", () => {
  it("replays finished steps on retry: a third step failing twice runs steps one and two once", async () => {
    const calls = { one: 0, two: 0, three: 0 };
    const job = defineJob(
      { id: "three-steps", triggers: [{ event: "booking/created" }], retries: 4 },
      async ({ step, attempt }) => {
        const one = await step.run("one", () => {
          calls.one++;
          return { at: new Date("2026-01-02T03:04:05Z"), n: 1 };
        });
        const two = await step.run("two", () => {
          calls.two++;
          return one.n + 1;
        });
        const three = await step.run("three", () => {
          calls.three++;
          if (attempt < 2) throw new Error(`flaky dependency, attempt ${attempt}`);
          return two + 1;
        });
        return { one, two, three };
      },
    );
    const jobs = [job];
    const clock = testClock();
    // Held still: however slow this machine is, a backoff only passes when the test says so.
    await clock.freeze();
    const [sent] = await sendEvent(bookingCreated(), { jobs });

    const first = await drain({ budgetMs: 30_000, jobs });
    expect(first).toMatchObject({ processed: 1, retried: 1, completed: 0 });
    // Not due again until its backoff passes: a drain at the same instant finds nothing.
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ processed: 0, remaining: 0 });

    await clock.advance(60_000);
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ processed: 1, retried: 1 });
    await clock.advance(60_000);
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ processed: 1, completed: 1 });

    expect(calls).toEqual({ one: 1, two: 1, three: 3 });
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.eventId, sent.id));
    // Step three's checkpoint reset the count: attempts count failures of the current step.
    expect(run).toMatchObject({ status: "completed", attempt: 0, error: null });
    // Replayed output is the JSON round trip the first attempt saw as well.
    expect(run.output).toEqual({ one: { at: "2026-01-02T03:04:05.000Z", n: 1 }, two: 2, three: 3 });

    const steps = await db.select().from(jobSteps).where(eq(jobSteps.runId, run.id)).orderBy(asc(jobSteps.id));
    expect(steps.map((s) => [s.stepId, s.status, s.attempt])).toEqual([
      ["one", "completed", 0],
      ["two", "completed", 0],
      ["three", "failed", 0],
      ["three", "failed", 1],
      ["three", "completed", 2],
    ]);
    expect(steps[2].error).toMatchObject({ name: "Error", message: "flaky dependency, attempt 0" });
    expect(steps[2].error?.stack).toContain("flaky dependency");
  });

  it("gives a repeated step id its own checkpoint (id, id:1) like Inngest", async () => {
    const job = defineJob({ id: "repeated-ids", triggers: [{ event: "booking/created" }] }, async ({ step }) => {
      const values: number[] = [];
      for (let i = 0; i < 3; i++) values.push(await step.run("same", () => i * 10));
      return values;
    });
    await sendEvent(bookingCreated(), { jobs: [job] });
    await drain({ budgetMs: 30_000, jobs: [job] });
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.jobId, "repeated-ids"));
    expect(run.output).toEqual([0, 10, 20]);
    const steps = await db
      .select({ stepId: jobSteps.stepId })
      .from(jobSteps)
      .where(eq(jobSteps.runId, run.id))
      .orderBy(asc(jobSteps.id));
    expect(steps.map((s) => s.stepId)).toEqual(["same", "same:1", "same:2"]);
  });

  it("works with the step tools and the logger taken apart from the context, on every attempt", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    let failed = false;
    const job = defineJob(
      { id: "taken-apart", triggers: [{ event: "booking/created" }], retries: 1 },
      async ({ step: { run, sleep }, logger, attempt }) => {
        const { info: say } = logger;
        say("starting");
        const n = await run("one", () => 1);
        await sleep("pause", "1s");
        if (!failed) {
          failed = true;
          throw new Error(`once, on attempt ${attempt}`);
        }
        return run("two", () => n + 1);
      },
    );
    const jobs = [job];
    const clock = testClock();
    await clock.freeze();
    const [sent] = await sendEvent(bookingCreated(), { jobs });

    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ processed: 1, sleeping: 1 });
    await clock.advance(1_000);
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ processed: 1, retried: 1 });
    await clock.advance(60_000);
    expect(await drain({ budgetMs: 30_000, jobs })).toMatchObject({ processed: 1, completed: 1 });

    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.eventId, sent.id));
    expect(run).toMatchObject({ status: "completed", output: 2 });
    // Each pass's logger names the run and its attempt: step two succeeding on attempt 1
    // resets the count and restarts the handler with attempt 0.
    expect(info.mock.calls.map(([prefix]) => prefix.replace(run.id, "<run>"))).toEqual([
      "[job taken-apart run <run> attempt 0]",
      "[job taken-apart run <run> attempt 0]",
      "[job taken-apart run <run> attempt 1]",
      "[job taken-apart run <run> attempt 0]",
    ]);
  });
});
