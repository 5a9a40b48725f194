import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { findFreePort } from "@/lib/db/embedded";
import { clinics } from "@/lib/db/schema";
import { runScriptToEnd } from "./support/scripts";

/**
 * Every script fails the same way on a bad setup: one short block that names what is
 * wrong and how to fix it, no stack trace, exit 2 for a bad variable, and nothing done.
 */
const SCRIPTS: [script: string, args: string[]][] = [
  ["dev", []],
  ["worker", []],
  ["jobs", ["list"]],
  ["migrate", []],
  ["seed", []],
  ["studio", []],
  ["bench", []],
];
const STACK_LINE = /^\s+at /m;

describe("a bad environment, for every script", { timeout: 180_000 }, () => {
  it.each(SCRIPTS)("%s names each bad variable, exits 2 and changes nothing", async (script, args) => {
    const before = await db.select({ n: count() }).from(clinics);
    const run = await runScriptToEnd(script, args, { JOBS_DRIVER: "foo", PGPORT: "not-a-port", PORT: "3100" });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain("Invalid environment:");
    expect(run.stderr).toContain("JOBS_DRIVER: must be postgres or inngest");
    expect(run.stderr).toContain('PGPORT: must be a whole number from 1 to 65535, got "not-a-port"');
    expect(run.stderr).toMatch(/Fix or unset these in your shell, \.env or \.env\.local/);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stdout + run.stderr).not.toMatch(/Started the embedded|Slotline is running|listening/);
    expect(await db.select({ n: count() }).from(clinics)).toEqual(before);
  });
});

describe("an unreachable database", { timeout: 180_000 }, () => {
  // dev's case is in dev-second-server.test.ts: that file runs `next dev` in this folder,
  // and a dev server running there is (rightly) reported before the database.
  it.each([
    ["worker", []],
    ["jobs", ["list"]],
    ["migrate", []],
    ["seed", []],
  ] as [string, string[]][])("%s says where it looked and what to check, without a stack", async (script, args) => {
    const closedPort = await findFreePort();
    const url = `postgres://slotline:hunter2-secret@127.0.0.1:${closedPort}/slotline`;
    const run = await runScriptToEnd(script, args, {
      DATABASE_URL: url,
      WORKER_DATABASE_WAIT_SECONDS: "0",
      PORT: String(await findFreePort()),
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`Cannot reach PostgreSQL at postgres://slotline:***@127.0.0.1:${closedPort}/slotline`);
    expect(run.stderr).toMatch(/Check that the server is running .* and that DATABASE_URL/);
    expect(run.stdout + run.stderr).not.toContain("hunter2-secret");
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});
