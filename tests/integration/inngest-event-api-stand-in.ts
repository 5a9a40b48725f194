import http from "node:http";
import type { AddressInfo } from "node:net";

export type DeliveredEvent = { id: string; name: string; data: Record<string, unknown>; ts: number };

/**
 * A local HTTP server standing in for Inngest's event API (POST /e/<event key>) and
 * its sync endpoint (POST /fn/register). It records every event it accepts, without
 * deduplicating, so a test can tell "delivered once" from "delivered twice and
 * dropped by Inngest". `fail()` makes it answer 500 until `recover()`; `reject(id)`
 * makes it refuse, with a 400, every request that carries that event (as Inngest
 * refuses a batch holding an event that is too large), accepting nothing from it.
 */
export async function startEventApiStandIn() {
  const delivered: DeliveredEvent[] = [];
  const registrations: unknown[] = [];
  const keys = new Set<string>();
  let failing: false | { status: number; remaining: number } = false;
  const rejecting = new Map<string, number>();
  let delayMs = 0;
  let requests = 0;
  let probe: (() => Promise<void>) | undefined;

  const server = http.createServer(async (request, response) => {
    requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    await probe?.();
    const reply = (status: number, payload: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(payload));
    };
    if (failing && failing.remaining > 0) {
      failing.remaining--;
      return reply(failing.status, { error: "stand-in outage", status: failing.status });
    }
    const url = new URL(request.url ?? "/", "http://stand-in");
    const eventPath = /^\/e\/([^/]+)$/.exec(url.pathname);
    if (request.method === "POST" && eventPath) {
      keys.add(decodeURIComponent(eventPath[1]));
      const events = JSON.parse(body) as DeliveredEvent[];
      const refused = events.find((event) => rejecting.has(event.id));
      if (refused)
        return reply(rejecting.get(refused.id)!, {
          error: `event ${refused.id} is too large`,
          status: rejecting.get(refused.id),
        });
      delivered.push(...events);
      return reply(200, { ids: events.map((event) => event.id), status: 200 });
    }
    if (request.method === "POST" && url.pathname === "/fn/register") {
      registrations.push(JSON.parse(body));
      return reply(200, { ok: true, modified: true });
    }
    return reply(404, { error: `stand-in has no ${request.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    delivered,
    registrations,
    keys,
    get requests() {
      return requests;
    },
    /** Answers `status` to the next `count` requests (all of them by default). */
    fail(status = 500, count = Number.POSITIVE_INFINITY) {
      failing = { status, remaining: count };
    },
    recover() {
      failing = false;
    },
    /** Refuses every request carrying event `id` with `status`, until reset(). */
    reject(id: string, status = 400) {
      rejecting.set(id, status);
    },
    slowDown(ms: number) {
      delayMs = ms;
    },
    /** Runs `check` while handling each request, before answering (until reset()). */
    whileHandling(check: () => Promise<void>) {
      probe = check;
    },
    /** How many times each id was delivered. */
    countsById() {
      const counts = new Map<string, number>();
      for (const event of delivered) counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
      return counts;
    },
    reset() {
      delivered.length = 0;
      registrations.length = 0;
      failing = false;
      rejecting.clear();
      delayMs = 0;
      probe = undefined;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type EventApiStandIn = Awaited<ReturnType<typeof startEventApiStandIn>>;
