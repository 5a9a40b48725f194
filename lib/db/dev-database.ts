import { resetEnv } from "@/lib/env";
import { migrateDatabase } from "./migrate";

export type OpenDatabase = {
  url: string;
  /** "embedded" when this process started (or reused) the dev PostgreSQL under .data/. */
  source: "DATABASE_URL" | "embedded";
  /** Stops the embedded server if this process started it; a reused or external one is left alone. */
  stop: () => Promise<void>;
};

/**
 * The database the scripts work on: DATABASE_URL when set, otherwise the embedded dev
 * PostgreSQL in .data/ (started, or reused when another `npm run dev` runs it).
 * Sets DATABASE_URL for this process and its children either way.
 *
 * `migrate`: apply the committed migrations first (the CLI and the worker do).
 * `ownSignals`: the caller handles SIGTERM/SIGINT and stops the database itself, last
 * (the worker needs it while it shuts down gracefully); see lib/db/embedded.ts.
 */
export async function openDevDatabase(
  options: { migrate?: boolean; ownSignals?: boolean } = {},
): Promise<OpenDatabase> {
  let database: OpenDatabase;
  if (process.env.DATABASE_URL) {
    database = { url: process.env.DATABASE_URL, source: "DATABASE_URL", stop: async () => {} };
  } else if (process.env.VERCEL || process.env.NODE_ENV === "production") {
    // A deploy (Vercel runs `npm run db:migrate` in its build) must never fall back to a
    // throw-away local database and report success.
    throw new Error(
      "DATABASE_URL is required here: the embedded PostgreSQL is for development only. Set it in the project's environment variables.",
    );
  } else {
    const { DEV_DATABASE, DEV_DATA_DIR, startEmbeddedPostgres } = await import("./embedded");
    const server = await startEmbeddedPostgres({
      dataDir: DEV_DATA_DIR,
      database: DEV_DATABASE,
      port: Number(process.env.PGPORT ?? 54329),
      ownSignals: options.ownSignals,
    });
    if (!server.reused)
      process.stderr.write(`Started the embedded dev PostgreSQL on port ${server.port} (${server.dataDir}).\n`);
    process.env.DATABASE_URL = server.url;
    resetEnv();
    database = { url: server.url, source: "embedded", stop: server.reused ? async () => {} : server.stop };
  }
  if (options.migrate) await migrateDatabase(database.url);
  return database;
}

/** The URL without its password, for printing. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

/** A one-line reason for a failed database step, digging under drizzle's "Failed query" wrapper. */
export function explainDatabaseError(error: unknown, url: string): string {
  let root = error;
  while (root instanceof Error && root.cause) root = root.cause;
  const code = (root as { code?: string }).code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT") {
    return `Cannot reach PostgreSQL at ${redactUrl(url)} (${code}). Is it running? Check DATABASE_URL, or unset it to use the embedded database.`;
  }
  if (code === "28P01") return `PostgreSQL at ${redactUrl(url)} refused the password in DATABASE_URL.`;
  if (code === "3D000")
    return `The database named in DATABASE_URL does not exist on ${redactUrl(url)}; create it first.`;
  return root instanceof Error ? root.message : String(root);
}
