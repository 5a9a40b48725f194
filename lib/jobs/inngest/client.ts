import "server-only";
import { Inngest } from "inngest";
import { env, inngestDevServer } from "@/lib/env";

/**
 * The Inngest client for `JOBS_DRIVER=inngest`. Its settings come from the validated
 * env: INNGEST_DEV=1 talks to the local dev server (`npx inngest-cli@latest dev`),
 * INNGEST_DEV=<url> to a dev server at that URL (as the SDK itself reads it: dev
 * mode, and that URL for events and syncs), otherwise Inngest Cloud with INNGEST_EVENT_KEY (sending) and INNGEST_SIGNING_KEY
 * (verifying calls to /api/inngest). INNGEST_BASE_URL points it at a self-hosted
 * Inngest, or at a stand-in in tests.
 */
export function createInngestClient(overrides: { baseUrl?: string; eventKey?: string; isDev?: boolean } = {}) {
  const config = env();
  const devServer = inngestDevServer(config.INNGEST_DEV);
  return new Inngest({
    id: "slotline",
    isDev: overrides.isDev ?? (devServer === undefined ? undefined : devServer !== false),
    eventKey: overrides.eventKey ?? config.INNGEST_EVENT_KEY,
    signingKey: config.INNGEST_SIGNING_KEY,
    baseUrl: overrides.baseUrl ?? config.INNGEST_BASE_URL ?? (devServer instanceof URL ? devServer.origin : undefined),
  });
}

export type SlotlineInngest = ReturnType<typeof createInngestClient>;

let client: SlotlineInngest | undefined;

/** One client per process, made on first use so scripts and tests can set env first. */
export function inngestClient(): SlotlineInngest {
  client ??= createInngestClient();
  return client;
}

/** Forgets the client; tests that change INNGEST_* variables call it after resetEnv(). */
export function resetInngestClient() {
  client = undefined;
}
