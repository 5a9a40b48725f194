import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { jobCronLedger, jobRuns } from "@/lib/db/schema";
import { resetEnv } from "@/lib/env";
import { bookingCreated } from "./jobs-support/clock";

// The routes read the registry; give them test jobs instead of the product's.
vi.mock("@/jobs", async () => {
  const { defineJob } = await import("@/lib/jobs/define");
  return {
    jobs: [
      defineJob({ id: "monthly-report", triggers: [{ cron: "TZ=Europe/London 0 6 1 * *" }] }, async ({ step }) =>
        step.run("report", () => "sent"),
      ),
      defineJob({ id: "on-event", triggers: [{ event: "booking/created" }] }, () => "handled"),
    ],
  };
});

const { GET: drainRoute } = await import("@/app/api/cron/drain/route");
const { GET: jobRoute } = await import("@/app/api/cron/[job]/route");
const { sendEvent } = await import("@/lib/jobs/send");

const SECRET = "route-test-secret-0123456789";
const request = (path: string, authorization?: string) =>
  new Request(`http://localhost${path}`, { headers: authorization ? { authorization } : {} });
const params = (job: string) => ({ params: Promise.resolve({ job }) });

beforeEach(() => {
  process.env.CRON_SECRET = SECRET;
  resetEnv();
});
afterEach(() => {
  delete process.env.CRON_SECRET;
  delete process.env.JOBS_DRIVER;
  resetEnv();
});

describe("cron routes", () => {
  it("reject a missing or wrong secret with 401 and change nothing", async () => {
    await sendEvent(bookingCreated());
    for (const auth of [undefined, "Bearer wrong", `Bearer ${SECRET}x`, SECRET, `bearer ${SECRET}`]) {
      expect((await drainRoute(request("/api/cron/drain", auth))).status).toBe(401);
      expect((await jobRoute(request("/api/cron/monthly-report", auth), params("monthly-report"))).status).toBe(401);
    }
    const runs = await db.select().from(jobRuns);
    expect(runs.map((r) => [r.jobId, r.status])).toEqual([["on-event", "queued"]]);
  });

  it("drain runs due work with the right secret, creating the run of a cron slot that has none", async () => {
    // Its own queued event run, and no run yet for monthly-report's slot, in a deployment
    // whose cron ledger last scheduled the month before (a fresh one would start after it).
    await db.delete(jobRuns);
    await db.insert(jobCronLedger).values({ jobId: "monthly-report", lastSlot: new Date("2020-01-01T06:00:00Z") });
    await sendEvent(bookingCreated());
    const response = await drainRoute(request("/api/cron/drain", `Bearer ${SECRET}`));
    expect(response.status).toBe(200);
    // The queued event's run, and monthly-report's latest slot (its cron call never came).
    expect(await response.json()).toMatchObject({
      cronRuns: [{ jobId: "monthly-report" }],
      drained: { completed: 2, remaining: 0 },
    });
  });

  it("a job route creates the slot's run once, and 404s for ids that are not cron jobs", async () => {
    // The drain above made it and recorded its slot; this is a deployment that never saw the slot.
    await db.delete(jobRuns).where(eq(jobRuns.jobId, "monthly-report"));
    await db.delete(jobCronLedger);
    const first = await jobRoute(request("/api/cron/monthly-report", `Bearer ${SECRET}`), params("monthly-report"));
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(body).toMatchObject({ job: "monthly-report", created: true, drained: { completed: 1 } });
    const again = await jobRoute(request("/api/cron/monthly-report", `Bearer ${SECRET}`), params("monthly-report"));
    expect(await again.json()).toMatchObject({ created: false, runId: body.runId });

    expect((await jobRoute(request("/api/cron/on-event", `Bearer ${SECRET}`), params("on-event"))).status).toBe(404);
    expect((await jobRoute(request("/api/cron/nope", `Bearer ${SECRET}`), params("nope"))).status).toBe(404);
    expect(await db.select().from(jobRuns).where(eq(jobRuns.jobId, "monthly-report"))).toHaveLength(1);
  });

  it("with JOBS_DRIVER=inngest a job route creates nothing, but drain still empties Postgres leftovers", async () => {
    await db.delete(jobRuns).where(eq(jobRuns.jobId, "monthly-report"));
    await sendEvent(bookingCreated()); // queued while still on the Postgres driver
    process.env.JOBS_DRIVER = "inngest";
    resetEnv();

    const cron = await jobRoute(request("/api/cron/monthly-report", `Bearer ${SECRET}`), params("monthly-report"));
    expect(cron.status).toBe(200);
    expect(await cron.json()).toMatchObject({ note: expect.stringContaining("Inngest runs this cron") });
    expect(await db.select().from(jobRuns).where(eq(jobRuns.jobId, "monthly-report"))).toEqual([]);

    const drained = await drainRoute(request("/api/cron/drain", `Bearer ${SECRET}`));
    expect(await drained.json()).toMatchObject({ drained: { completed: 1, remaining: 0 } });
  });
});
