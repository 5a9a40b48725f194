import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, db } from "@/lib/db/client";
import { findFreePort, makeTempDataDir, startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { emailOutbox } from "@/lib/db/schema";
import { insertBookingWithEvent } from "@/lib/booking/create-booking";
import { resetEnv } from "@/lib/env";
import { createClinic } from "../fixtures/clinic";
import { startScript, type RunningScript } from "./support/scripts";

/**
 * `npm run worker` started before its database (a container, a host coming back up):
 * it waits, one log line per attempt, then runs jobs once PostgreSQL is there.
 */
let worker: RunningScript | undefined;
let late: EmbeddedDatabase | undefined;
afterAll(async () => {
  worker?.child.kill("SIGTERM");
  await worker?.exited;
  await closeDb();
  await late?.stop();
});

describe("npm run worker before PostgreSQL is up", { timeout: 240_000 }, () => {
  it("waits for the database, then processes a job", async () => {
    const port = await findFreePort();
    // The server's own "postgres" database: it exists the moment the server accepts
    // connections, so the worker never meets a half-made server whose database is yet
    // to be created (which is a configuration error it rightly does not wait on).
    const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    worker = startScript("worker", ["--concurrency", "2"], { DATABASE_URL: url });
    await worker.waitFor(
      /not accepting connections \(ECONNREFUSED\); retrying in [\d.]+ s, giving up after 120 s/,
      60_000,
    );

    late = await startEmbeddedPostgres({
      dataDir: makeTempDataDir("slotline-late-"),
      port,
      database: "postgres",
      persistent: false,
    });
    await worker.waitFor(/listening on slotline_jobs/, 120_000);
    expect(worker.output()).toContain(`PostgreSQL at postgres://postgres:***@127.0.0.1:${port}/postgres is up`);
    // Run by the tests (NODE_ENV=test), it says a deployment wants NODE_ENV=production.
    await worker.waitFor(/NODE_ENV is not production: set it when deployed/, 60_000);

    // The worker migrated the database; a booking made now gets its confirmation from it.
    process.env.DATABASE_URL = url;
    resetEnv();
    await closeDb();
    const { clinic, practitioners, service } = await createClinic();
    const start = new Date(Date.now() + 10 * 24 * 3_600_000);
    start.setUTCHours(10, 0, 0, 0);
    const booking = await db.transaction((tx) =>
      insertBookingWithEvent(tx, {
        clinic,
        service,
        practitionerId: practitioners[0].id,
        start,
        client: { name: "Wendy Waits", email: "wendy@example.com", phone: undefined },
      }),
    );
    await worker.waitFor(/booking-confirmation \S+ completed/, 60_000);
    const emails = await db.select().from(emailOutbox).where(eq(emailOutbox.recipient, "wendy@example.com"));
    expect(emails.map((email) => email.idempotencyKey)).toContain(`booking-confirmation:${booking.id}`);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });
});
