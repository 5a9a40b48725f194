import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jobEvents, jobRuns } from "@/lib/db/schema";
import { startEventApiStandIn, type EventApiStandIn } from "./inngest-event-api-stand-in";

const root = path.resolve(import.meta.dirname, "../..");
let standIn: EventApiStandIn;

/** `npm run jobs -- ...` in Inngest mode, as its own process, pointed at the stand-in. */
function cli(...args: string[]) {
  const env = {
    ...process.env,
    TSX_TSCONFIG_PATH: "tsconfig.scripts.json",
    JOBS_DRIVER: "inngest",
    INNGEST_DEV: "0",
    INNGEST_BASE_URL: standIn.url,
    INNGEST_EVENT_KEY: "cli-key",
  };
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/jobs.ts", ...args],
      { cwd: root, env },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  standIn = await startEventApiStandIn();
});
afterAll(async () => {
  await standIn.close();
});

describe("npm run jobs -- send with JOBS_DRIVER=inngest", { timeout: 60_000 }, () => {
  it("relays the event to Inngest, with its id, before the process exits", async () => {
    const id = `cli-${randomUUID()}`;
    const data = { bookingId: randomUUID(), clinicId: randomUUID() };
    const result = await cli("send", "booking/created", JSON.stringify(data), "--id", id, "--json");
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.events).toEqual([{ id, name: "booking/created", created: true }]);
    expect(body.runs).toEqual([]);
    expect(body.outbox).toEqual({ driver: "inngest", relayed: 1, failed: 0 });

    expect(standIn.delivered).toEqual([expect.objectContaining({ id, name: "booking/created", data })]);
    const [row] = await db.select().from(jobEvents).where(eq(jobEvents.id, id));
    expect(row.relayedAt).toBeInstanceOf(Date);
    expect(await db.select().from(jobRuns).where(eq(jobRuns.eventId, id))).toHaveLength(0);
  });

  it("with Inngest down, says the event waits and keeps it for the next drain", async () => {
    standIn.fail(503);
    const id = `cli-${randomUUID()}`;
    const result = await cli(
      "send",
      "booking/created",
      JSON.stringify({ bookingId: randomUUID(), clinicId: randomUUID() }),
      "--id",
      id,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/did not take 1 event\(s\) yet/);
    const [row] = await db.select().from(jobEvents).where(eq(jobEvents.id, id));
    expect(row).toMatchObject({ relayedAt: null, relayAttempts: 1 });
    // The stand-in's 503 answer, as the Inngest SDK reports it.
    expect(row.relayError).toBe("Inngest API Error: 503 stand-in outage");
  });
});
