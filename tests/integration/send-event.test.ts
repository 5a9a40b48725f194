import { randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobEvents, jobRuns } from "@/lib/db/schema";
import { defineJob } from "@/lib/jobs/define";
import { EventValidationError, sendEvent } from "@/lib/jobs/send";
import type { EventInput } from "@/lib/jobs/types";

// Two test jobs on one event: sendEvent must create one run for each.
const jobs = [
  defineJob({ id: "first-listener", triggers: [{ event: "booking/created" }] }, async () => "one"),
  defineJob({ id: "second-listener", triggers: [{ event: "booking/created" }] }, async () => "two"),
];
const created = () => ({ name: "booking/created" as const, data: { bookingId: randomUUID(), clinicId: randomUUID() } });
const rowCounts = async () => ({
  events: (await db.select({ n: count() }).from(jobEvents))[0].n,
  runs: (await db.select({ n: count() }).from(jobRuns))[0].n,
});

describe("sendEvent, the one ingress", () => {
  it("stores the event and one run per subscribed job, in one transaction", async () => {
    const [sent] = await sendEvent(created(), { jobs });
    expect(sent).toMatchObject({ name: "booking/created", created: true });
    const runs = await db.select().from(jobRuns).where(eq(jobRuns.eventId, sent.id));
    expect(runs.map((run) => run.jobId).sort()).toEqual(["first-listener", "second-listener"]);
  });

  it("creates nothing new for an event id it has seen", async () => {
    const event = { ...created(), id: `dedupe-${randomUUID()}` };
    await sendEvent(event, { jobs });
    const before = await rowCounts();
    const [again] = await sendEvent(event, { jobs });
    expect(again).toMatchObject({ id: event.id, created: false });
    expect(await rowCounts()).toEqual(before);
  });

  it("throws the zod message at the caller for a bad payload, and writes nothing, not even the good events of the batch", async () => {
    const before = await rowCounts();
    const bad = { name: "booking/created", data: { bookingId: "nope", clinicId: randomUUID() } } as EventInput;
    const error = await sendEvent([created(), bad], { jobs }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as Error).message).toMatch(/Invalid "booking\/created" event: .*bookingId/s);
    await expect(sendEvent({ name: "booking/exploded", data: {} } as unknown as EventInput, { jobs })).rejects.toThrow(
      /unknown event "booking\/exploded"/,
    );
    expect(await rowCounts()).toEqual(before);
  });

  it("commits with the caller's transaction or not at all", async () => {
    const event = created();
    const before = await rowCounts();
    await expect(
      db.transaction(async (tx) => {
        await sendEvent(event, { tx, jobs });
        throw new Error("the booking failed after the event was written");
      }),
    ).rejects.toThrow(/booking failed/);
    expect(await rowCounts()).toEqual(before);
  });
});
