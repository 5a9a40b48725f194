import { afterEach, describe, expect, it } from "vitest";
import { sqlClient } from "@/lib/db/client";
import { defineJob } from "@/lib/jobs/define";
import { DEEP_PREFETCH_PER_LANE } from "@/lib/jobs/postgres/feed";
import { NOTIFIED_EVENTS_MAX } from "@/lib/jobs/postgres/notified-events";
import { JOBS_CHANNEL, runWorker } from "@/lib/jobs/postgres/worker";
import { sendEvent } from "@/lib/jobs/send";
import { claimBatches } from "./jobs-support/claim-batches";
import { bookingCreated, uuid } from "./jobs-support/clock";
import { waitFor } from "./jobs-support/wait";

let stopWorker: () => Promise<void> = async () => {};
afterEach(() => stopWorker());

/**
 * A worker with one lane whose first run waits for `releaseFirst`, and every payload on
 * slotline_jobs as the worker heard it: the test's listener is registered after the
 * worker's own on the same connection, so it hears each payload after the worker did.
 */
async function oneLaneWorker(jobId: string) {
  const started: string[] = [];
  let releaseFirst!: () => void;
  const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
  const job = defineJob({ id: jobId, triggers: [{ event: "booking/created" }] }, async ({ event }) => {
    started.push(event.id);
    if (started.length === 1) await firstHeld;
  });
  const jobs = [job];
  const controller = new AbortController();
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const worker = runWorker({ jobs, concurrency: 1, pollMs: 60_000, signal: controller.signal, onReady: () => ready() });
  await isReady;
  const payloads: string[] = [];
  const listener = await sqlClient().listen(JOBS_CHANNEL, (payload) => payloads.push(payload));
  stopWorker = async () => {
    releaseFirst();
    await listener.unlisten();
    controller.abort();
    await worker;
    stopWorker = async () => {};
  };
  const first = bookingCreated(uuid());
  await sendEvent(first, { jobs });
  await waitFor(() => started.length === 1);
  expect(started).toEqual([first.id]);
  return { jobs, started, payloads, releaseFirst };
}

describe("a worker woken by sendEvent", () => {
  it("claims the runs of the events the NOTIFY named, by key, before older runs it was not told of", async () => {
    const { jobs, started, payloads, releaseFirst } = await oneLaneWorker("notified-first");
    // The one lane is busy. More events than one NOTIFY names: their runs are due, older
    // than the next one's, and unnamed.
    const unnamed = Array.from({ length: NOTIFIED_EVENTS_MAX + 1 }, () => uuid());
    await sendEvent(unnamed.map(bookingCreated), { jobs });
    const named = uuid();
    await sendEvent(bookingCreated(named), { jobs });
    await waitFor(() => payloads.some((payload) => payload.includes(named)));
    expect(payloads).toContain("postgres");
    expect(payloads.filter((payload) => unnamed.some((id) => payload.includes(id)))).toEqual([]);

    releaseFirst();
    await waitFor(() => started.length === unnamed.length + 2);
    // In run_at order the unnamed runs would come first.
    expect(started[1]).toBe(named);
    expect(new Set(started.slice(2))).toEqual(new Set(unnamed));
  });

  it("claims no more of the named runs than its lanes want; the rest come with later claims", async () => {
    const { jobs, started, payloads, releaseFirst } = await oneLaneWorker("notified-batches");
    // The one lane is busy: three NOTIFYs name more events than the lane and its prefetch want.
    const eventIds: string[] = [];
    for (let send = 0; send < 3; send++) {
      const events = await sendEvent(
        Array.from({ length: NOTIFIED_EVENTS_MAX }, () => bookingCreated()),
        { jobs },
      );
      eventIds.push(...events.map((event) => event.id));
    }
    await waitFor(() => payloads.filter((payload) => payload.startsWith("postgres:")).length === 4);
    expect(eventIds.length).toBeGreaterThan(1 + DEEP_PREFETCH_PER_LANE);

    releaseFirst();
    await waitFor(() => started.length === eventIds.length + 1);
    // The claim of the named runs took what the lane and its prefetch wanted, not all 48.
    expect((await claimBatches(eventIds))[0]).toBe(1 + DEEP_PREFETCH_PER_LANE);
    expect(new Set(started.slice(1))).toEqual(new Set(eventIds));
  });
});
