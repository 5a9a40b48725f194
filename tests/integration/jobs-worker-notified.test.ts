import { describe, expect, it } from "vitest";
import { sqlClient } from "@/lib/db/client";
import { defineJob } from "@/lib/jobs/define";
import { NOTIFIED_EVENTS_MAX } from "@/lib/jobs/postgres/notified-events";
import { JOBS_CHANNEL, runWorker } from "@/lib/jobs/postgres/worker";
import { sendEvent } from "@/lib/jobs/send";
import { bookingCreated, uuid } from "./jobs-support/clock";
import { waitFor } from "./jobs-support/wait";

describe("a worker woken by sendEvent", () => {
  it("claims the runs of the events the NOTIFY named, by key, before older runs it was not told of", async () => {
    const started: string[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const job = defineJob({ id: "notified-first", triggers: [{ event: "booking/created" }] }, async ({ event }) => {
      started.push(event.id);
      if (started.length === 1) await firstHeld;
    });
    const jobs = [job];
    const controller = new AbortController();
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const worker = runWorker({
      jobs,
      concurrency: 1,
      pollMs: 60_000,
      signal: controller.signal,
      onReady: () => ready(),
    });
    await isReady;
    // Registered after the worker's own listener on the same connection, so it hears each
    // payload after the worker did.
    const payloads: string[] = [];
    const listener = await sqlClient().listen(JOBS_CHANNEL, (payload) => payloads.push(payload));
    try {
      const first = bookingCreated(uuid());
      await sendEvent(first, { jobs });
      await waitFor(() => started.length === 1);
      expect(started).toEqual([first.id]);

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
    } finally {
      releaseFirst();
      await listener.unlisten();
      controller.abort();
      await worker;
    }
  });
});
