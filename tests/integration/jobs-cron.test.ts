import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { createCronRun, cronSlotAt } from "@/lib/jobs/cron";
import { defineJob } from "@/lib/jobs/define";
import { resetDatabaseClock, setDatabaseClock } from "@/lib/jobs/postgres/clock";
import { drain } from "@/lib/jobs/postgres/drain";
import type { EventPayload } from "@/lib/jobs/types";

const seen: EventPayload[] = [];
const monthly = defineJob(
  { id: "monthly-report", triggers: [{ cron: "TZ=Europe/London 0 6 1 * *" }] },
  async ({ event }) => {
    seen.push(event);
    return event.data.cron;
  },
);
const onEvent = defineJob({ id: "on-event", triggers: [{ event: "booking/created" }] }, () => null);
const jobs = [monthly, onEvent];

describe("cron slots", () => {
  it("finds the latest London slot at or before a time, across the clock change", () => {
    const cron = "TZ=Europe/London 0 6 1 * *";
    // BST: 06:00 London is 05:00 UTC; GMT: 06:00 UTC.
    expect(cronSlotAt(cron, new Date("2026-06-01T05:00:00Z"))?.toISOString()).toBe("2026-06-01T05:00:00.000Z");
    expect(cronSlotAt(cron, new Date("2026-06-01T04:59:59Z"))?.toISOString()).toBe("2026-05-01T05:00:00.000Z");
    expect(cronSlotAt(cron, new Date("2026-11-01T06:30:00Z"))?.toISOString()).toBe("2026-11-01T06:00:00.000Z");
    expect(cronSlotAt(cron, new Date("2026-11-20T12:00:00Z"))?.toISOString()).toBe("2026-11-01T06:00:00.000Z");
    expect(cronSlotAt("0 9 * * 1", new Date("2026-11-25T12:00:00Z"))?.toISOString()).toBe("2026-11-23T09:00:00.000Z");
  });

  it("a doubled, late or concurrent call for one slot creates one run", async () => {
    const onTime = await createCronRun("monthly-report", new Date("2026-10-01T05:00:00Z"), { jobs });
    expect(onTime).toMatchObject({ created: true, slot: new Date("2026-10-01T05:00:00Z") });
    const late = await createCronRun("monthly-report", new Date("2026-10-01T05:59:00Z"), { jobs });
    expect(late).toMatchObject({ created: false, run: { id: onTime.run.id } });
    const concurrent = await Promise.all(
      Array.from({ length: 8 }, () => createCronRun("monthly-report", new Date("2026-11-01T06:10:00Z"), { jobs })),
    );
    expect(concurrent.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(concurrent.map((r) => r.run.id)).size).toBe(1);
    const runs = await db.select().from(jobRuns).where(eq(jobRuns.jobId, "monthly-report"));
    expect(runs.map((r) => r.cronSlot?.toISOString()).sort()).toEqual([
      "2026-10-01T05:00:00.000Z",
      "2026-11-01T06:00:00.000Z",
    ]);
  });

  it("runs a cron run with Inngest's scheduled-timer event", async () => {
    seen.length = 0;
    // Its own runs for two slots (the test above leaves the same two queued).
    await db.delete(jobRuns);
    for (const at of ["2026-10-01T05:00:00Z", "2026-11-01T06:10:00Z"]) {
      expect(await createCronRun("monthly-report", new Date(at), { jobs })).toMatchObject({ created: true });
    }
    await setDatabaseClock(new Date("2026-11-01T07:00:00Z"));
    const result = await drain({ budgetMs: 30_000, jobs });
    await resetDatabaseClock();
    expect(result).toMatchObject({ completed: 2 });
    expect(seen.map((e) => [e.name, e.data, new Date(e.ts).toISOString()])).toEqual([
      ["inngest/scheduled.timer", { cron: "TZ=Europe/London 0 6 1 * *" }, "2026-10-01T05:00:00.000Z"],
      ["inngest/scheduled.timer", { cron: "TZ=Europe/London 0 6 1 * *" }, "2026-11-01T06:00:00.000Z"],
    ]);
    // A rerun of the same slot afterwards is still harmless.
    expect(await createCronRun("monthly-report", new Date("2026-11-01T06:00:00Z"), { jobs })).toMatchObject({
      created: false,
    });
  });

  it("refuses jobs that are unknown or have no cron trigger, creating nothing", async () => {
    await expect(createCronRun("on-event", new Date(), { jobs })).rejects.toThrow(/has no cron trigger/);
    await expect(createCronRun("nope", new Date(), { jobs })).rejects.toThrow(
      /No job "nope".*Known jobs: monthly-report, on-event/,
    );
    await expect(createCronRun("monthly-report", new Date("bad"), { jobs })).rejects.toThrow(/valid date/);
    const runs = await db.select().from(jobRuns).where(eq(jobRuns.jobId, "on-event"));
    expect(runs).toEqual([]);
  });
});
