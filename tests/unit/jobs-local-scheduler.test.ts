import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { startLocalScheduler } from "@/lib/jobs/local-scheduler";
import { readVercelConfig } from "@/lib/jobs/vercel-crons";

const received: { path: string; authorization?: string }[] = [];
const server = http.createServer((request, response) => {
  received.push({ path: request.url ?? "", authorization: request.headers.authorization });
  response.setHeader("content-type", "application/json");
  response.end(JSON.stringify({ drained: { processed: 0 } }));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("local dev scheduler", () => {
  it("drains on an interval and fires vercel.json paths with the bearer secret", { timeout: 60_000 }, async () => {
    const logs: string[] = [];
    const scheduler = startLocalScheduler({
      baseUrl,
      cronSecret: "dev-secret-for-test",
      drainIntervalMs: 50,
      log: (m) => logs.push(m),
    });
    try {
      // Two drains on the interval, however busy the machine is.
      const until = performance.now() + 30_000;
      while (received.filter((r) => r.path === "/api/cron/drain").length < 2) {
        if (performance.now() > until) throw new Error("the scheduler did not drain twice within 30 s");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const cron of readVercelConfig().crons ?? []) await scheduler.fire(cron.path);
    } finally {
      await scheduler.stop();
    }
    const drains = received.filter((r) => r.path === "/api/cron/drain");
    expect(drains.length).toBeGreaterThanOrEqual(2);
    expect(new Set(received.map((r) => r.authorization))).toEqual(new Set(["Bearer dev-secret-for-test"]));
    expect(received.map((r) => r.path)).toEqual(
      expect.arrayContaining((readVercelConfig().crons ?? []).map((c) => c.path)),
    );
    expect(logs[0]).toMatch(/\/api\/cron\/drain \(30 4 \* \* \* UTC\)/);

    // Stopped means stopped: stop() waited for the request in flight, and nothing new
    // arrives over ten more intervals.
    const count = received.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.length).toBe(count);
  });
});
