import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobCronLedger, jobRuns, jobSteps } from "@/lib/db/schema";
import { DEFAULT_LEASE_MS, drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { resetEnv } from "@/lib/env";
import { cronSlotAt } from "@/lib/jobs/cron";
import { bookingCreated, testClock, uuid } from "./jobs-support/clock";
import { startEventApiStandIn } from "./inngest-event-api-stand-in";
import { WORKER_CRON, workerJobs } from "./jobs-support/worker-jobs";

const root = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];

/** Spawns the worker script; resolves once it printed READY (it is listening). */
async function startWorker(mode: "fast" | "hang" | "slow", extraEnv: Record<string, string> = {}) {
  // `tsx --tsconfig tsconfig.scripts.json`, but loaded into node itself (node --import tsx)
  // so the signal reaches the worker, not a tsx wrapper process that would orphan it.
  const child = spawn(process.execPath, ["--import", "tsx", "tests/integration/jobs-support/worker-process.ts"], {
    cwd: root,
    env: { ...process.env, WORKER_STEP_MODE: mode, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const waitFor = (text: string, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const check = setInterval(() => {
        if (output.includes(text)) {
          clearInterval(check);
          resolve();
        } else if (Date.now() - started > timeoutMs || child.exitCode !== null) {
          clearInterval(check);
          reject(new Error(`worker never printed "${text}":\n${output}`));
        }
      }, 20);
    });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  await waitFor("READY");
  return { child, waitFor, exited, output: () => output };
}

const runOf = async (jobId: string) => (await db.select().from(jobRuns).where(eq(jobRuns.jobId, jobId)))[0];
const stepsOf = (runId: string) =>
  db.select().from(jobSteps).where(eq(jobSteps.runId, runId)).orderBy(asc(jobSteps.id));

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("npm run worker (a real process)", { timeout: 180_000 }, () => {
  it("picks up a new event at once through LISTEN/NOTIFY", async () => {
    const worker = await startWorker("fast");
    await sendEvent(
      { name: "booking/cancelled", data: { bookingId: uuid(), clinicId: uuid(), by: "client" } },
      { jobs: workerJobs },
    );
    // Well inside the 60 s poll interval (with room for a busy machine): the NOTIFY woke it.
    await worker.waitFor("RUN quick completed", 20_000);
    expect((await runOf("quick")).status).toBe("completed");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });

  it("a worker killed with SIGKILL mid-step has its run reclaimed and finished", async () => {
    const worker = await startWorker("hang");
    await sendEvent(bookingCreated(), { jobs: workerJobs });
    await worker.waitFor("IN_STEP_TWO");
    worker.child.kill("SIGKILL");
    await worker.exited;

    const orphan = await runOf("crashable");
    expect(orphan).toMatchObject({ status: "running", attempt: 0 });
    expect(orphan.lockedBy).toContain(String(worker.child.pid));
    // Before the lease expires nobody may take it; after, a drain does.
    expect(await drain({ budgetMs: 5_000, jobs: workerJobs })).toMatchObject({ processed: 0 });
    await testClock().advance(DEFAULT_LEASE_MS + 1_000);
    expect(await drain({ budgetMs: 5_000, jobs: workerJobs })).toMatchObject({
      processed: 1,
      completed: 1,
    });

    const run = await runOf("crashable");
    // The takeover counted an attempt; step two's checkpoint reset it (retries count per step).
    expect(run).toMatchObject({ status: "completed", attempt: 0, lockedBy: null });
    const steps = await stepsOf(run.id);
    // Step one ran once, in the killed worker; two (its retry) and three ran in this process.
    expect(
      steps.map((s) => [s.stepId, s.status, s.attempt, (s.output as { pid: number }).pid === process.pid]),
    ).toEqual([
      ["first", "completed", 0, false],
      ["second", "completed", 1, true],
      ["third", "completed", 0, true],
    ]);
  });

  it("SIGTERM lets the step in flight finish, releases the run and exits leaving nothing locked", async () => {
    const worker = await startWorker("slow");
    await sendEvent(bookingCreated(), { jobs: workerJobs });
    await worker.waitFor("IN_STEP_TWO");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain("RUN crashable released");

    const run = await runOf("crashable");
    expect(run).toMatchObject({ status: "queued", attempt: 0, lockedBy: null, leaseExpiresAt: null });
    expect((await stepsOf(run.id)).map((s) => s.stepId)).toEqual(["first", "second"]);
    expect(await drain({ budgetMs: 5_000, jobs: workerJobs })).toMatchObject({ completed: 1 });
    expect((await stepsOf(run.id)).map((s) => s.stepId)).toEqual(["first", "second", "third"]);
  });

  it("a stuck step times out, so the worker lets go of the run instead of holding it forever", async () => {
    const worker = await startWorker("hang", { WORKER_STEP_TIMEOUT_MS: "700" });
    const [sent] = await sendEvent(bookingCreated(), { jobs: workerJobs });
    await worker.waitFor("IN_STEP_TWO");
    await worker.waitFor("RUN crashable retried", 60_000);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);

    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.eventId, sent.id));
    expect(run).toMatchObject({ lockedBy: null, error: { name: "StepTimeoutError" } });
    expect(run.error?.message).toMatch(/Step "second" did not finish within its 700 ms limit/);
    const steps = await stepsOf(run.id);
    expect(steps.slice(0, 2).map((s) => [s.stepId, s.status, s.error?.name ?? null])).toEqual([
      ["first", "completed", null],
      ["second", "failed", "StepTimeoutError"],
    ]);
  });

  it("creates the runs of due cron slots itself, at start and on its poll timer, once across workers", async () => {
    const slot = cronSlotAt(WORKER_CRON, new Date())!;
    const cronRuns = () => db.select().from(jobRuns).where(eq(jobRuns.jobId, "worker-cron"));
    // A deployment whose cron ledger last scheduled an earlier slot (a fresh one would
    // start after the current slot: tests/integration/jobs-cron-ledger.test.ts).
    const ledgerBefore = { jobId: "worker-cron", lastSlot: new Date(slot.getTime() - 86_400_000) };
    await db.insert(jobCronLedger).values(ledgerBefore);
    const workers = await Promise.all(
      [1, 2].map(() => startWorker("fast", { WORKER_REGISTRY: "cron", WORKER_POLL_MS: "500" })),
    );
    await Promise.race(workers.map((worker) => worker.waitFor("RUN worker-cron completed", 60_000)));
    let runs = await cronRuns();
    expect(runs.map((run) => [run.status, run.cronSlot?.toISOString()])).toEqual([["completed", slot.toISOString()]]);

    // As if the next slot came due: the poll (not a NOTIFY, not Vercel) creates its run.
    await db.delete(jobRuns).where(eq(jobRuns.jobId, "worker-cron"));
    await db.update(jobCronLedger).set(ledgerBefore).where(eq(jobCronLedger.jobId, "worker-cron"));
    const deadline = Date.now() + 60_000;
    while ((runs = await cronRuns()).every((run) => run.status !== "completed") && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs.map((run) => [run.status, run.cronSlot?.toISOString()])).toEqual([["completed", slot.toISOString()]]);

    for (const worker of workers) worker.child.kill("SIGTERM");
    for (const worker of workers) expect(await worker.exited).toBe(0);
    expect(await cronRuns()).toHaveLength(1);
  });

  it("with JOBS_DRIVER=inngest, relays each event to Inngest as it is sent, once, with its id", async () => {
    const standIn = await startEventApiStandIn();
    const inngest = {
      JOBS_DRIVER: "inngest",
      INNGEST_DEV: "0",
      INNGEST_BASE_URL: standIn.url,
      INNGEST_EVENT_KEY: "worker-key",
    } as const;
    try {
      const worker = await startWorker("fast", inngest);
      Object.assign(process.env, inngest);
      resetEnv();
      const sent = await sendEvent(
        { name: "booking/cancelled", data: { bookingId: uuid(), clinicId: uuid(), by: "client" } },
        { jobs: workerJobs },
      );
      const deadline = Date.now() + 20_000;
      while (standIn.delivered.length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      // The NOTIFY woke the worker's relay long before its 60 s safety-net timer.
      expect(
        standIn.delivered.map((event) => event.id),
        worker.output(),
      ).toEqual([sent[0].id]);
      expect(await db.select().from(jobRuns).where(eq(jobRuns.eventId, sent[0].id))).toHaveLength(0);
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
      expect(standIn.delivered).toHaveLength(1);
    } finally {
      for (const key of Object.keys(inngest)) delete process.env[key];
      resetEnv();
      await standIn.close();
    }
  });
});
