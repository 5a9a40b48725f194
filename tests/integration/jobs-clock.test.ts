import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { claimDueRuns, reclaimExpiredLeases } from "@/lib/jobs/postgres/claim";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated } from "./jobs-support/clock";

// Due times, leases and claims use the database's clock only: a laptop whose clock is
// a minute fast running `npm run jobs -- drain` must not take runs live workers hold,
// nor wake sleeping runs early.

const runOf = async (eventId: string) => (await db.select().from(jobRuns).where(eq(jobRuns.eventId, eventId)))[0];
const fastClient = () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + 60_000);
};

afterEach(() => {
  vi.useRealTimers();
});

describe("one clock: the database's", () => {
  it("a client whose clock is 60 s fast takes no live lease", async () => {
    let ran = 0;
    const job = defineJob({ id: "held-live", triggers: [{ event: "booking/created" }] }, () => ++ran);
    const [sent] = await sendEvent(bookingCreated(), { jobs: [job] });
    const [held] = await claimDueRuns({ workerId: "live-worker", scope: ["held-live"], leaseMs: 30_000 });

    fastClient();
    expect(await reclaimExpiredLeases()).toBe(0);
    expect(await drain({ budgetMs: 30_000, jobs: [job] })).toMatchObject({ processed: 0 });
    vi.useRealTimers();

    expect(ran).toBe(0);
    expect(await runOf(sent.id)).toMatchObject({
      status: "running",
      lockedBy: "live-worker",
      claimToken: held.claimToken,
    });
  });

  it("a client whose clock is 60 s fast wakes no run early", async () => {
    const woke: string[] = [];
    const job = defineJob({ id: "naps-30s", triggers: [{ event: "booking/created" }] }, async ({ step, event }) => {
      await step.sleep("nap", "30s");
      woke.push(event.id);
    });
    const [sent] = await sendEvent(bookingCreated(), { jobs: [job] });
    expect(await drain({ budgetMs: 30_000, jobs: [job] })).toMatchObject({ sleeping: 1 });

    fastClient();
    expect(await drain({ budgetMs: 30_000, jobs: [job] })).toMatchObject({ processed: 0 });
    vi.useRealTimers();

    expect(woke).toEqual([]);
    expect(await runOf(sent.id)).toMatchObject({ status: "sleeping" });
  });
});
