import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET, POST, PUT } from "@/app/api/inngest/route";
import { jobs } from "@/jobs";
import { resetEnv } from "@/lib/env";
import { resetInngestClient } from "@/lib/jobs/inngest/client";
import { resetInngestServe } from "@/lib/jobs/inngest/serve";
import type { JobOptions, Trigger } from "@/lib/jobs/types";
import { startEventApiStandIn, type EventApiStandIn } from "./inngest-event-api-stand-in";

// Email jobs are throttled only when Resend is configured (lib/email/throttle.ts), and read
// it as they load: set before the imports above run, so the throttle is there to reach Inngest.
vi.hoisted(() => {
  process.env.RESEND_API_KEY = "re_inngest_serve_test";
});

const ENDPOINT = "http://localhost:3000/api/inngest";
const KEYS = [
  "JOBS_DRIVER",
  "INNGEST_DEV",
  "INNGEST_SIGNING_KEY",
  "INNGEST_EVENT_KEY",
  "INNGEST_BASE_URL",
  "APP_URL",
] as const;
let standIn: EventApiStandIn;

function configure(values: Partial<Record<(typeof KEYS)[number], string>>) {
  for (const key of KEYS) delete process.env[key];
  Object.assign(process.env, values);
  resetEnv();
  resetInngestClient();
  resetInngestServe();
}

type FunctionConfig = {
  id: string;
  name: string;
  triggers: { event?: string; cron?: string }[];
  steps: Record<string, { retries?: { attempts: number }; runtime: { url: string } }>;
  cancel?: { event: string; if?: string }[];
  concurrency?: unknown;
  throttle?: unknown;
  idempotency?: string;
};

/** What Inngest must be told about a job's flow control (cancelOn's match becomes Inngest's `if`). */
function flowControlOf(job: (typeof jobs)[number]) {
  const { cancelOn, concurrency, throttle, idempotency } = job.options as JobOptions<readonly Trigger[]>;
  return {
    cancel: cancelOn?.map((cancel) => ({
      event: cancel.event,
      if: `event.${cancel.match} == async.${cancel.match}`,
    })),
    concurrency,
    throttle,
    idempotency,
  };
}

beforeAll(async () => {
  standIn = await startEventApiStandIn();
});
afterAll(async () => {
  delete process.env.RESEND_API_KEY;
  configure({});
  await standIn.close();
});
beforeEach(() => standIn.reset());

describe("/api/inngest", () => {
  it("does not exist while JOBS_DRIVER is postgres", async () => {
    configure({ JOBS_DRIVER: "postgres" });
    for (const handler of [GET, POST, PUT]) {
      const response = await handler(new NextRequest(ENDPOINT, { method: "POST", body: "{}" }), {});
      expect(response.status).toBe(404);
      expect((await response.json()).error).toMatch(/JOBS_DRIVER/);
    }
  });

  it("in dev mode, introspection counts every job and a sync lists each with its triggers and retries", async () => {
    configure({ JOBS_DRIVER: "inngest", INNGEST_DEV: "1" });
    const introspection = await GET(new NextRequest(ENDPOINT), {});
    expect(introspection.status).toBe(200);
    const body = await introspection.json();
    expect(body).toMatchObject({
      mode: "dev",
      function_count: jobs.length + jobs.filter((job) => job.options.onFailure).length,
    });

    // An in-band sync is what the dev server and Inngest Cloud use to learn the functions.
    const sync = await PUT(
      new NextRequest(ENDPOINT, {
        method: "PUT",
        headers: { "x-inngest-sync-kind": "in_band", "content-type": "application/json" },
        body: JSON.stringify({ url: ENDPOINT }),
      }),
      {},
    );
    expect(sync.status).toBe(200);
    const { functions, app_id } = (await sync.json()) as { functions: FunctionConfig[]; app_id: string };
    expect(app_id).toBe("slotline");
    for (const job of jobs) {
      const fn = functions.find((candidate) => candidate.id === `slotline-${job.options.id}`);
      expect(fn, `function for ${job.options.id}`).toBeDefined();
      expect(fn!.name).toBe(job.options.name ?? job.options.id);
      expect(fn!.triggers).toEqual(
        job.options.triggers.map((trigger) => ("event" in trigger ? { event: trigger.event } : { cron: trigger.cron })),
      );
      expect(Object.values(fn!.steps)[0].retries?.attempts).toBe(job.options.retries ?? 4);
      const { cancel, concurrency, throttle, idempotency } = fn!;
      expect({ cancel, concurrency, throttle, idempotency }, `flow control of ${job.options.id}`).toEqual(
        flowControlOf(job),
      );
    }
    // The flow control the jobs in jobs/ rely on reaches Inngest.
    const byId = (id: string) => functions.find((fn) => fn.id === `slotline-${id}`)!;
    expect(byId("appointment-reminder").cancel).toEqual([
      { event: "booking/cancelled", if: "event.data.bookingId == async.data.bookingId" },
      { event: "booking/rescheduled", if: "event.data.bookingId == async.data.bookingId" },
    ]);
    expect(byId("billing-summary").concurrency).toEqual({ key: "event.data.clinicId", limit: 1 });
    expect(byId("booking-cancellation").idempotency).toBe("event.data.bookingId");
    for (const id of ["booking-confirmation", "appointment-reminder", "booking-cancellation", "billing-summary"]) {
      expect(byId(id).throttle, id).toEqual({ limit: 2, period: "1s" });
    }
    // The cron keeps its time zone on Inngest.
    expect(functions.find((fn) => fn.id === "slotline-billing-summary-monthly")!.triggers).toEqual([
      { cron: "TZ=Europe/London 0 6 1 * *" },
    ]);
  });

  it("an out-of-band sync (PUT) registers the functions with Inngest", async () => {
    configure({ JOBS_DRIVER: "inngest", INNGEST_DEV: "1", INNGEST_BASE_URL: standIn.url });
    const response = await PUT(new NextRequest(ENDPOINT, { method: "PUT" }), {});
    expect(response.status).toBe(200);
    expect(standIn.registrations).toHaveLength(1);
    const registration = standIn.registrations[0] as { url: string; appName: string; functions: FunctionConfig[] };
    expect(registration.appName).toBe("slotline");
    expect(registration.url).toBe(ENDPOINT);
    expect(registration.functions.map((fn) => fn.id).sort()).toEqual(
      jobs.map((job) => `slotline-${job.options.id}`).sort(),
    );
    for (const job of jobs) {
      const { cancel, concurrency, throttle, idempotency } = registration.functions.find(
        (fn) => fn.id === `slotline-${job.options.id}`,
      )!;
      expect({ cancel, concurrency, throttle, idempotency }, job.options.id).toEqual(flowControlOf(job));
    }
  });

  it("registers the functions at APP_URL, never at the address a request's Host header claims", async () => {
    configure({
      JOBS_DRIVER: "inngest",
      INNGEST_DEV: "1",
      INNGEST_BASE_URL: standIn.url,
      APP_URL: "https://book.example.com",
    });
    const forged = "http://attacker.example/api/inngest";
    const outOfBand = await PUT(new NextRequest(forged, { method: "PUT", headers: { host: "attacker.example" } }), {});
    expect(outOfBand.status).toBe(200);
    const registration = standIn.registrations[0] as { url: string; functions: FunctionConfig[] };
    expect(registration.url).toBe("https://book.example.com/api/inngest");
    const stepUrls = registration.functions.flatMap((fn) => Object.values(fn.steps).map((step) => step.runtime.url));
    expect(stepUrls.length).toBeGreaterThan(0);
    for (const url of stepUrls) expect(url).toMatch(/^https:\/\/book\.example\.com\/api\/inngest\?/);

    // An in-band sync names the URL in its body; that is overridden the same way.
    const inBand = await PUT(
      new NextRequest(forged, {
        method: "PUT",
        headers: { host: "attacker.example", "x-inngest-sync-kind": "in_band", "content-type": "application/json" },
        body: JSON.stringify({ url: forged }),
      }),
      {},
    );
    expect(((await inBand.json()) as { url: string }).url).toBe("https://book.example.com/api/inngest");
  });

  it("after a flip back to postgres, still serves Inngest's in-flight runs while its signing key is set, minus the crons", async () => {
    configure({ JOBS_DRIVER: "postgres", INNGEST_SIGNING_KEY: `signkey-prod-${"cd".repeat(32)}` });
    expect((await GET(new NextRequest(ENDPOINT), {})).status).toBe(401); // served, and signature-checked

    configure({ JOBS_DRIVER: "postgres", INNGEST_DEV: "1", INNGEST_SIGNING_KEY: `signkey-prod-${"cd".repeat(32)}` });
    const sync = await PUT(
      new NextRequest(ENDPOINT, {
        method: "PUT",
        headers: { "x-inngest-sync-kind": "in_band", "content-type": "application/json" },
        body: JSON.stringify({ url: ENDPOINT }),
      }),
      {},
    );
    const { functions } = (await sync.json()) as { functions: FunctionConfig[] };
    const eventJobs = jobs.filter((job) => job.options.triggers.some((trigger) => "event" in trigger));
    expect(functions.map((fn) => fn.id).sort()).toEqual(eventJobs.map((job) => `slotline-${job.options.id}`).sort());
    expect(functions.flatMap((fn) => fn.triggers).some((trigger) => "cron" in trigger)).toBe(false);
  });

  it("in cloud mode rejects calls that Inngest did not sign", async () => {
    configure({
      JOBS_DRIVER: "inngest",
      INNGEST_DEV: "0",
      INNGEST_SIGNING_KEY: `signkey-prod-${"ab".repeat(32)}`,
      INNGEST_EVENT_KEY: "event-key",
    });
    const run = await POST(
      new NextRequest(`${ENDPOINT}?fnId=slotline-booking-confirmation&stepId=step`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-inngest-signature": "t=1&s=forged" },
        body: JSON.stringify({
          event: { name: "booking/created", data: {} },
          events: [],
          steps: {},
          ctx: { run_id: "r", attempt: 0 },
        }),
      }),
      {},
    );
    expect(run.status).toBe(401);
    const introspection = await GET(new NextRequest(ENDPOINT), {});
    expect(introspection.status).toBe(401);
  });

  it("in cloud mode an unsigned sync can only make the app re-register itself, at APP_URL, with Inngest", async () => {
    configure({
      JOBS_DRIVER: "inngest",
      INNGEST_DEV: "0",
      INNGEST_SIGNING_KEY: `signkey-prod-${"ab".repeat(32)}`,
      INNGEST_EVENT_KEY: "event-key",
      INNGEST_BASE_URL: standIn.url,
      APP_URL: "https://book.example.com",
    });
    const forged = "http://attacker.example/api/inngest";
    // Out of band: the SDK registers with Inngest's API (here the stand-in), not with the caller.
    const outOfBand = await PUT(new NextRequest(forged, { method: "PUT", headers: { host: "attacker.example" } }), {});
    expect(outOfBand.status).toBe(200);
    expect(JSON.stringify(await outOfBand.json())).not.toContain("slotline-booking");
    expect((standIn.registrations[0] as { url: string }).url).toBe("https://book.example.com/api/inngest");

    // In band (the answer would carry the function configs): refused without Inngest's signature.
    const inBand = await PUT(
      new NextRequest(forged, {
        method: "PUT",
        headers: { "x-inngest-sync-kind": "in_band", "content-type": "application/json" },
        body: JSON.stringify({ url: forged }),
      }),
      {},
    );
    expect(inBand.status).toBe(401);
    expect(standIn.registrations).toHaveLength(1);
  });
});
