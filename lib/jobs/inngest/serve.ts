import "server-only";
import type { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { env } from "@/lib/env";
import { activeDriver } from "../driver";
import { inngestClient } from "./client";
import { inngestFunctions } from "./functions";

type ServeHandlers = ReturnType<typeof serve>;
type Mode = "inngest" | "leftovers";
let handlers: { mode: Mode; serve: ServeHandlers } | undefined;

/**
 * What this deploy serves: everything when Inngest is the driver; after a flip away
 * from it, while INNGEST_SIGNING_KEY is still set, only what Inngest's in-flight runs
 * need to finish (event-triggered functions, no crons); otherwise nothing.
 */
function inngestServeMode(): Mode | "off" {
  if (activeDriver().inngestEndpoint === "all") return "inngest";
  return env().INNGEST_SIGNING_KEY ? "leftovers" : "off";
}

/** The path of app/api/inngest/route.ts. */
export const INNGEST_SERVE_PATH = "/api/inngest";

/**
 * Built on the first request, so `next build` and Postgres deploys never touch Inngest.
 * The URL Inngest is told to call comes from APP_URL (serveOrigin, servePath), never
 * from the request: otherwise a sync request with a forged Host header would register
 * the functions at the forger's address.
 */
function serveHandlers(mode: Mode): ServeHandlers {
  if (handlers?.mode !== mode) {
    handlers = {
      mode,
      serve: serve({
        client: inngestClient(),
        functions: inngestFunctions({ eventTriggersOnly: mode === "leftovers" }),
        serveOrigin: new URL(env().APP_URL).origin,
        servePath: INNGEST_SERVE_PATH,
      }),
    };
  }
  return handlers.serve;
}

/** Forgets the built handlers; tests that switch INNGEST_* settings call it. */
export function resetInngestServe() {
  handlers = undefined;
}

/**
 * One method of /api/inngest. A Postgres deploy without Inngest keys answers 404 with
 * a message, exposing nothing Inngest-shaped. Otherwise `serve` checks Inngest's
 * request signature with INNGEST_SIGNING_KEY (except against the local dev server)
 * before running or listing anything.
 */
export function inngestEndpoint(method: "GET" | "POST" | "PUT") {
  return async (request: NextRequest, context: unknown): Promise<Response> => {
    const mode = inngestServeMode();
    if (mode === "off") {
      return Response.json(
        {
          error: `The Inngest endpoint is off: JOBS_DRIVER is ${activeDriver().name}. Set JOBS_DRIVER=inngest (see docs/graduating-to-inngest.md).`,
        },
        { status: 404 },
      );
    }
    return serveHandlers(mode)[method](request, context);
  };
}
