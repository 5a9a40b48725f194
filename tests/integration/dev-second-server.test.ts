import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePort } from "@/lib/db/embedded";
import { runningNextDev } from "@/scripts/next-dev-lock";
import { root, runScriptToEnd, startScript, type RunningScript } from "./support/scripts";

/**
 * Next.js runs one `next dev` per folder, on any port. A second `npm run dev` must say
 * so and point at the running one, never suggest a port that then fails with Next's
 * "Another next dev server is already running"; a port busy with anything else gets a
 * free port to use instead. Runs `next dev` for real, in this checkout.
 */
let first: RunningScript | undefined;
afterAll(async () => {
  first?.child.kill("SIGINT");
  await first?.exited;
});

describe("npm run dev when something is already running", { timeout: 300_000 }, () => {
  // Here rather than with the other scripts' unreachable-database checks
  // (scripts-bad-environment.test.ts): this file's own `next dev` would be reported first.
  it.skipIf(runningNextDev(root))("an unreachable database: says where it looked and what to check", async () => {
    const closedPort = await findFreePort();
    const run = await runScriptToEnd("dev", [], {
      DATABASE_URL: `postgres://slotline:hunter2-secret@127.0.0.1:${closedPort}/slotline`,
      PORT: String(await findFreePort()),
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`Cannot reach PostgreSQL at postgres://slotline:***@127.0.0.1:${closedPort}/slotline`);
    expect(run.stderr).toMatch(/Check that the server is running .* and that DATABASE_URL/);
    expect(run.stdout + run.stderr).not.toContain("hunter2-secret");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it.skipIf(runningNextDev(root))("a port taken by another program: suggests a free port", async () => {
    const blocker = net.createServer();
    const busy = await findFreePort();
    await new Promise<void>((resolve) => blocker.listen(busy, resolve));
    try {
      const run = await runScriptToEnd("dev", [], { PORT: String(busy) });
      expect(run.code, run.stderr).toBe(1);
      const suggested = Number(run.stderr.match(/PORT=(\d+) npm run dev/)?.[1]);
      expect(run.stderr).toContain(`Port ${busy} is already in use by another program.`);
      expect(suggested).toBeGreaterThan(busy);
      // The suggestion is a port nothing listens on.
      const probe = net.createServer();
      await new Promise<void>((resolve, reject) => probe.once("error", reject).listen(suggested, resolve));
      probe.close();
    } finally {
      blocker.close();
    }
  });

  it("a second npm run dev in the same folder, on the same or another port: one next dev per folder", async () => {
    let running = runningNextDev(root);
    if (!running) {
      first = startScript("dev", [], { PORT: String(await findFreePort()) });
      await first.waitFor(/Slotline is running at/, 240_000);
      // Next writes its lock while it sets up the bundler, just after it says "Ready".
      const deadline = Date.now() + 60_000;
      while (!(running = runningNextDev(root)) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(running?.appUrl).toMatch(/^http:\/\/localhost:\d+$/);
    const runningPort = new URL(running!.appUrl).port;

    for (const port of [runningPort, String(await findFreePort())]) {
      const second = await runScriptToEnd("dev", [], { PORT: port });
      expect(second.code, second.stderr).toBe(1);
      expect(second.stderr).toContain(`A Next.js dev server for this folder is already running at ${running!.appUrl}`);
      expect(second.stderr).toContain("Next.js runs one `next dev` per folder");
      expect(second.stderr).toContain(`Use the running one at ${running!.appUrl}, stop it`);
      expect(second.stdout + second.stderr).not.toMatch(/Slotline is running|Another next dev server/);
    }
    // The refused second start left the first server alone.
    expect(runningNextDev(root)).toEqual(running);
  });
});
