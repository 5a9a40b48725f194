import "server-only";
import type { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { env } from "@/lib/env";
import { inngestClient } from "./client";
import { inngestFunctions } from "./functions";

type ServeHandlers = ReturnType<typeof serve>;
type Mode = "inngest" | "leftovers";
let handlers: { mode: Mode; serve: ServeHandlers } | undefined;

/**
 * What this deploy serves: everything with JOBS_DRIVER=inngest; after a flip back to
 * Postgres, while INNGEST_SIGNING_KEY is still set, only what Inngest's in-flight
 * runs need to finish (event-triggered functions, no crons); otherwise nothing.
 */
export function inngestServeMode(): Mode | "off" {
  const config = env();
  if (config.JOBS_DRIVER === "inngest") return "inngest";
  return config.INNGEST_SIGNING_KEY ? "leftovers" : "off";
}

/** Built on the first request, so `next build` and Postgres deploys never touch Inngest. */
function serveHandlers(mode: Mode): ServeHandlers {
  if (handlers?.mode !== mode) {
    handlers = {
      mode,
      serve: serve({
        client: inngestClient(),
        functions: inngestFunctions({ eventTriggersOnly: mode === "leftovers" }),
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
          error:
            "The Inngest endpoint is off: JOBS_DRIVER is postgres. Set JOBS_DRIVER=inngest (see docs/graduating-to-inngest.md).",
        },
        { status: 404 },
      );
    }
    return serveHandlers(mode)[method](request, context);
  };
}
