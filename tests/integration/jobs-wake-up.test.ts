import { afterEach, describe, expect, it } from "vitest";
import { sqlClient } from "@/lib/db/client";
import { defineJob } from "@/lib/jobs/define";
import { runWorker } from "@/lib/jobs/postgres/worker";
import { JOBS_CHANNEL, NAMED_EVENTS_MAX, parseWakeUp } from "@/lib/jobs/postgres/wake-up";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated, testClock } from "./jobs-support/clock";
import { waitFor } from "./jobs-support/wait";

// sendEvent's NOTIFY names a few events; an idle worker claims their runs by event
// (job_runs_job_event_key) before its ordinary claim, which walks job_runs_due_idx from
// its oldest entry, dead entries of runs claimed since the last vacuum included.

const clock = testClock();
afterEach(() => clock.reset());

describe("a notification names the events it wakes workers for", () => {
  it("names up to NAMED_EVENTS_MAX events sent together, and none past that", async () => {
    const job = defineJob({ id: "wake-names", triggers: [{ event: "booking/created" }] }, async () => {});
    const payloads: string[] = [];
    const listening = await sqlClient().listen(JOBS_CHANNEL, (payload) => payloads.push(payload));
    try {
      const few = await sendEvent([bookingCreated(), bookingCreated()], { jobs: [job] });
      const many = await sendEvent(
        Array.from({ length: NAMED_EVENTS_MAX + 1 }, () => bookingCreated()),
        { jobs: [job] },
      );
      await waitFor(() => payloads.length === 2);
      expect(payloads.map(parseWakeUp)).toEqual([
        { driver: "postgres", eventIds: few.map((event) => event.id) },
        { driver: "postgres", eventIds: [] },
      ]);
      expect(many).toHaveLength(NAMED_EVENTS_MAX + 1);
    } finally {
      await listening.unlisten();
    }
  });

  it("reads a plain or malformed payload as naming nothing", () => {
    expect(parseWakeUp("postgres")).toEqual({ driver: "postgres", eventIds: [] });
    expect(parseWakeUp("inngest")).toEqual({ driver: "inngest", eventIds: [] });
    expect(parseWakeUp('postgres:["a",2]')).toEqual({ driver: "postgres", eventIds: [] });
    expect(parseWakeUp("postgres:[")).toEqual({ driver: "postgres", eventIds: [] });
  });
});

describe("an idle worker woken by a notification", { timeout: 60_000 }, () => {
  it("starts the runs of the events it names before older due runs, then the rest", async () => {
    const started: string[] = [];
    const job = defineJob({ id: "wake-named", triggers: [{ event: "booking/created" }] }, async ({ event }) => {
      started.push(event.id);
    });
    const jobs = [job];
    // Older runs that become due while the worker sleeps, with no notification: sent an
    // hour ahead on the engine's clock (their run_at), which then goes back to now.
    await clock.advance(60 * 60_000);
    const older = await sendEvent(
      Array.from({ length: NAMED_EVENTS_MAX + 1 }, () => bookingCreated()),
      { jobs },
    );
    await clock.reset();

    const stop = new AbortController();
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const worker = runWorker({ jobs, concurrency: 1, signal: stop.signal, pollMs: 60_000, onReady: () => ready() });
    try {
      await isReady;
      // Two hours on: the older runs are due, and the worker, idle until their due time
      // an hour away, has not claimed them.
      await clock.advance(2 * 60 * 60_000);
      expect(started).toEqual([]);
      const [named] = await sendEvent(bookingCreated(), { jobs });
      await waitFor(() => started.length === older.length + 1);
      expect(started[0]).toBe(named.id);
      expect(new Set(started.slice(1))).toEqual(new Set(older.map((event) => event.id)));
    } finally {
      stop.abort();
      await worker;
    }
  });
});
