import { execFile } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobEvents, jobRuns } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated, uuid } from "./jobs-support/clock";

const root = path.resolve(import.meta.dirname, "../..");

/** `npm run jobs -- ...` against this test file's database (spawned like the npm script). */
function cli(...args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/jobs.ts", ...args],
      { cwd: root, env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json" } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const testJob = defineJob(
  { id: "cli-test", triggers: [{ event: "booking/created" }], retries: 0 },
  async ({ step }) => {
    await step.run("greet", () => ({ hello: "operator" }));
    await step.run("explode", () => {
      throw new Error("boom for the CLI");
    });
  },
);

describe("npm run jobs", { timeout: 240_000 }, () => {
  it("send emits an event once and prints the runs it created as JSON", async () => {
    const id = `cli-${uuid()}`;
    const data = JSON.stringify({ bookingId: uuid(), clinicId: uuid() });
    const first = await cli("send", "booking/created", data, "--id", id, "--json");
    expect(first.code, first.stderr).toBe(0);
    const body = JSON.parse(first.stdout);
    expect(body.events).toEqual([{ id, name: "booking/created", created: true }]);
    const runs = await db.select({ id: jobRuns.id, jobId: jobRuns.jobId }).from(jobRuns).where(eq(jobRuns.eventId, id));
    expect(body.runs.map((r: { id: string }) => r.id).sort()).toEqual(runs.map((r) => r.id).sort());
    // One run per job subscribed to booking/created in the registry (jobs/index.ts).
    expect(runs.map((r) => r.jobId).sort()).toEqual(["appointment-reminder", "booking-confirmation"]);

    const again = JSON.parse((await cli("send", "booking/created", data, "--id", id, "--json")).stdout);
    expect(again.events[0].created).toBe(false);
    expect(await db.select().from(jobEvents).where(eq(jobEvents.id, id))).toHaveLength(1);
  });

  it("list and show describe runs, steps and errors", async () => {
    const [sent] = await sendEvent(bookingCreated(), { jobs: [testJob] });
    await drain({ budgetMs: 5_000, jobs: [testJob] });
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.eventId, sent.id));

    const [list, show, stats] = await Promise.all([
      cli("list", "--job", "cli-test", "--status", "failed"),
      cli("show", run.id, "--json"),
      cli("stats", "--json"),
    ]);
    expect(list.stdout).toMatch(new RegExp(`${run.id}\\s+cli-test\\s+failed`));
    expect(list.stdout).toContain("boom for the CLI");

    const detail = JSON.parse(show.stdout);
    expect(detail.run).toMatchObject({
      id: run.id,
      jobId: "cli-test",
      status: "failed",
      error: { message: "boom for the CLI" },
    });
    expect(detail.event).toMatchObject({ id: sent.id, name: "booking/created" });
    expect(detail.steps.map((s: { stepId: string; status: string }) => [s.stepId, s.status])).toEqual([
      ["greet", "completed"],
      ["explode", "failed"],
    ]);
    expect(detail.steps[0].output).toEqual({ hello: "operator" });

    const figures = JSON.parse(stats.stdout);
    expect(figures.byJob).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ jobId: "cli-test", counts: expect.objectContaining({ failed: 1 }) }),
      ]),
    );
    expect(figures.last30Days).toMatchObject({ failed: expect.any(Number), steps: expect.any(Number) });
    expect(figures.last30Days.steps).toBeGreaterThanOrEqual(2);

    const retried = await cli("retry", run.id, "--json");
    expect(JSON.parse(retried.stdout).run).toMatchObject({ id: run.id, status: "queued", attempt: 0 });
    expect((await db.select().from(jobRuns).where(eq(jobRuns.id, run.id)))[0].status).toBe("queued");
  });

  it("rejects bad arguments with a clear message, exit code 2, and no change", async () => {
    const before = await db.select().from(jobEvents);
    // Argument parsing itself is covered in tests/unit/jobs-cli-args.test.ts; these go end to end.
    const cases = await Promise.all([
      cli("list", "--status", "stuck", "--json"),
      cli("send", "booking/created", JSON.stringify({ bookingId: "nope" }), "--json"),
      cli("trigger", "no-such-job", "--at", "2026-11-01T06:00:00Z"),
    ]);
    for (const result of cases) expect(result.code, result.stderr).toBe(2);
    expect(JSON.parse(cases[0].stdout).error).toMatch(/--status must be one of queued, running/);
    expect(JSON.parse(cases[1].stdout).error).toMatch(/Invalid "booking\/created" event/);
    expect(cases[2].stderr).toMatch(/No job "no-such-job"/);
    expect(await db.select().from(jobEvents)).toEqual(before);
  });
});
