import { and, eq, inArray, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobEvents, jobRuns, jobThrottleStarts } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { claimDueRuns, type ClaimedRun } from "@/lib/jobs/postgres/claim";
import { drain } from "@/lib/jobs/postgres/drain";
import { claimScope } from "@/lib/jobs/postgres/flow-limits";
import { pruneFinishedWork } from "@/lib/jobs/postgres/prune";
import { completeRuns, scheduleRetry } from "@/lib/jobs/postgres/transitions";
import { sendEvent } from "@/lib/jobs/send";
import { testClock, uuid } from "./jobs-support/clock";

const clock = testClock();
afterEach(() => clock.reset());

const created = (clinicId: string) => ({ name: "booking/created" as const, data: { bookingId: uuid(), clinicId } });
const lease = (run: ClaimedRun) => ({ runId: run.id, claimToken: run.claimToken });
const claim = (jobs: Parameters<typeof claimScope>[0], limit = 20, workerId = "flow-test") =>
  claimDueRuns({ workerId, scope: claimScope(jobs), leaseMs: 60_000, limit });
const clinicOf = (run: ClaimedRun) => run.event?.data.clinicId;

describe("concurrency, enforced by the Postgres claim", () => {
  it("runs at most `limit` runs per key at once; the next starts when one finishes", async () => {
    const job = defineJob(
      {
        id: "one-per-clinic",
        triggers: [{ event: "booking/created" }],
        concurrency: { key: "event.data.clinicId", limit: 1 },
      },
      () => "done",
    );
    const [a, b] = [uuid(), uuid()];
    await sendEvent([created(a), created(a), created(a), created(b)], { jobs: [job] });

    const first = await claim([job]);
    expect(first.map(clinicOf).sort()).toEqual([a, b].sort());
    // Clinic a's other two runs are due, but its one slot is taken.
    expect(await claim([job])).toEqual([]);

    await completeRuns([{ lease: lease(first.find((run) => clinicOf(run) === a)!), output: null }]);
    const second = await claim([job]);
    expect(second.map(clinicOf)).toEqual([a]);
    expect(await claim([job])).toEqual([]);
  });

  it("holds a job-wide limit against many claimers at once", async () => {
    const job = defineJob(
      { id: "two-at-once", triggers: [{ event: "booking/created" }], concurrency: { limit: 2 } },
      () => "done",
    );
    await sendEvent(
      Array.from({ length: 12 }, () => created(uuid())),
      { jobs: [job] },
    );
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claim([job], 5, `claimer-${i}`)));
    expect(claims.flat()).toHaveLength(2);
    const running = await db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.jobId, job.options.id), eq(jobRuns.status, "running")));
    expect(running).toHaveLength(2);
  });

  it("counts a retried run's next attempt against the limit like any other", async () => {
    const job = defineJob(
      { id: "retry-in-limit", triggers: [{ event: "booking/created" }], concurrency: { limit: 1 } },
      () => "done",
    );
    await sendEvent([created(uuid()), created(uuid())], { jobs: [job] });
    const [held] = await claim([job]);
    // The failed attempt goes back to the queue, due now: it and the other run compete for one slot.
    await scheduleRetry(lease(held), { name: "Error", message: "try again" }, 0);
    expect(await claim([job])).toHaveLength(1);
    expect(await claim([job])).toEqual([]);
  });

  it("leaves jobs without flow control to the one-statement claim, unaffected by others' limits", async () => {
    const limited = defineJob(
      { id: "limited", triggers: [{ event: "booking/created" }], concurrency: { limit: 1 } },
      () => "done",
    );
    const free = defineJob({ id: "free", triggers: [{ event: "booking/created" }] }, () => "done");
    expect(claimScope([limited, free])).toEqual({
      jobIds: ["free"],
      limited: { limited: { concurrency: [{ limit: 1 }] } },
    });
    await sendEvent([created(uuid()), created(uuid()), created(uuid())], { jobs: [limited, free] });
    const runs = await claim([limited, free]);
    expect(runs.filter((run) => run.jobId === "limited")).toHaveLength(1);
    expect(runs.filter((run) => run.jobId === "free")).toHaveLength(3);
  });
});

describe("the flow-control claim's result", () => {
  it("returns each run as the database holds it once claimed: its token, lease, attempt, error and event", async () => {
    const job = defineJob(
      {
        id: "one-each",
        triggers: [{ event: "booking/created" }],
        concurrency: { key: "event.data.clinicId", limit: 1 },
      },
      () => "done",
    );
    const sent = await sendEvent([created(uuid()), created(uuid())], { jobs: [job] });
    const expectAsStored = async (run: ClaimedRun, firstClaim: boolean) => {
      const [row] = await db.select().from(jobRuns).where(eq(jobRuns.id, run.id));
      const [event] = await db.select().from(jobEvents).where(eq(jobEvents.id, row.eventId!));
      expect(run).toEqual({
        id: row.id,
        claimToken: row.claimToken,
        jobId: "one-each",
        eventId: event.id,
        cronSlot: null,
        attempt: row.attempt,
        maxAttempts: row.maxAttempts,
        parentRunId: null,
        firstClaim,
        // The lease runs from the claim's database time.
        claimedAt: new Date(row.leaseExpiresAt!.getTime() - 60_000),
        error: row.error,
        event: { id: event.id, name: "booking/created", data: event.data, ts: event.ts },
      });
    };

    const first = await claim([job]);
    expect(first.map((run) => run.eventId).sort()).toEqual(sent.map((event) => event.id).sort());
    for (const run of first) await expectAsStored(run, true);

    await scheduleRetry(lease(first[1]), { name: "Error", message: "try again" }, 0);
    const [again] = await claim([job]);
    expect(again).toMatchObject({ id: first[1].id, error: { message: "try again" } });
    expect(again.claimToken).not.toBe(first[1].claimToken);
    await expectAsStored(again, false);
  });

  it("carries its planning settings: one generic plan per connection, and no sort (an ordered walk of the due runs)", async () => {
    const [fn] = (await db.execute(sql`
      select proconfig from pg_proc where proname = 'slotline_claim_limited_runs'
    `)) as unknown as { proconfig: string[] }[];
    expect(fn.proconfig).toEqual(expect.arrayContaining(["enable_sort=off", "plan_cache_mode=force_generic_plan"]));
  });
});

describe("throttle, enforced by the Postgres claim", () => {
  it("starts at most `limit` runs per period and schedules the rest at its pace, in queue order", async () => {
    await clock.freeze();
    const job = defineJob(
      { id: "two-a-second", triggers: [{ event: "booking/created" }], throttle: { limit: 2, period: "1s" } },
      () => "done",
    );
    await sendEvent(
      Array.from({ length: 5 }, () => created(uuid())),
      { jobs: [job] },
    );
    const queueOrder = (await db.select().from(jobRuns).where(eq(jobRuns.jobId, job.options.id)))
      .sort((x, y) => x.runAt.getTime() - y.runAt.getTime() || x.id.localeCompare(y.id))
      .map((run) => run.id);

    const start = await clock.now();
    const first = await claim([job]);
    expect(first.map((run) => run.id)).toEqual(queueOrder.slice(0, 2));
    // The other three wait for the window to free (1 s after the first start), then one per 500 ms.
    const waiting = await db
      .select()
      .from(jobRuns)
      .where(inArray(jobRuns.id, queueOrder.slice(2)));
    const offsets = new Map(waiting.map((run) => [run.id, run.runAt.getTime() - start.getTime()]));
    expect(queueOrder.slice(2).map((id) => offsets.get(id))).toEqual([1_000, 1_500, 2_000]);
    expect(await claim([job])).toEqual([]);

    await clock.advance(1_000);
    expect((await claim([job])).map((run) => run.id)).toEqual([queueOrder[2]]);
    await clock.advance(500);
    expect((await claim([job])).map((run) => run.id)).toEqual([queueOrder[3]]);
    expect(await claim([job])).toEqual([]);
  });

  it("throttles per key, and only first starts: a retry is not held back", async () => {
    await clock.freeze();
    const job = defineJob(
      {
        id: "one-a-minute-per-clinic",
        triggers: [{ event: "booking/created" }],
        throttle: { limit: 1, period: "1m", key: "event.data.clinicId" },
      },
      () => "done",
    );
    const [a, b] = [uuid(), uuid()];
    await sendEvent([created(a), created(a), created(b)], { jobs: [job] });
    const first = await claim([job]);
    expect(first.map(clinicOf).sort()).toEqual([a, b].sort());
    expect(await claim([job])).toEqual([]);

    await scheduleRetry(lease(first[0]), { name: "Error", message: "try again" }, 0);
    expect((await claim([job])).map((run) => run.id)).toEqual([first[0].id]);
  });

  it("lets a drain wait out the throttle within its budget instead of ending early", async () => {
    const job = defineJob(
      { id: "paced", triggers: [{ event: "booking/created" }], throttle: { limit: 2, period: "1s" } },
      async ({ step }) => {
        await step.run("start", () => "started");
      },
    );
    await sendEvent(
      Array.from({ length: 5 }, () => created(uuid())),
      { jobs: [job] },
    );
    const result = await drain({ budgetMs: 60_000, concurrency: 3, jobs: [job] });
    expect(result).toMatchObject({ completed: 5, remaining: 0 });
    // Never more than two starts (first claims, on the database's clock) within a second.
    const runs = await db.select({ startedAt: jobRuns.startedAt }).from(jobRuns).where(eq(jobRuns.jobId, "paced"));
    const starts = runs.map((run) => run.startedAt!.getTime()).sort((x, y) => x - y);
    expect(starts).toHaveLength(5);
    for (let i = 2; i < starts.length; i++) expect(starts[i] - starts[i - 2]).toBeGreaterThanOrEqual(1_000);
  });
});

describe("retention of the throttle's record", () => {
  it("drops run starts older than Inngest's longest period (7 days) and keeps recent ones", async () => {
    const days = (n: number) => new Date(Date.now() - n * 86_400_000);
    await db.insert(jobThrottleStarts).values([
      { jobId: "closed-clinic", throttleKey: "gone", startedAt: days(8) },
      { jobId: "open-clinic", throttleKey: "here", startedAt: days(1) },
    ]);
    await pruneFinishedWork();
    const left = await db.select({ jobId: jobThrottleStarts.jobId }).from(jobThrottleStarts);
    expect(left.map((row) => row.jobId)).toContain("open-clinic");
    expect(left.map((row) => row.jobId)).not.toContain("closed-clinic");
  });
});
