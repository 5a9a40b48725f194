import { EnvError, scriptVariable, resetEnv } from "@/lib/env";
import { migrateDatabase } from "./migrate";
import { rootCause } from "./postgres-errors";

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
    throw new EnvError([
      "DATABASE_URL: required here (the embedded PostgreSQL is for development only); set it in the project's environment variables",
    ]);
  } else {
    const { DEV_DATABASE, DEV_DATA_DIR, startEmbeddedPostgres } = await import("./embedded");
    const server = await startEmbeddedPostgres({
      dataDir: DEV_DATA_DIR,
      database: DEV_DATABASE,
      port: scriptVariable("PGPORT"),
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
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(DATABASE_URL is not a URL)";
  }
}

/** Codes that mean "nobody answered (yet)": a server down, starting up, or out of reach. */
export const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "57P03", // the database system is starting up (or shutting down)
]);

/** The error code under drizzle's "Failed query" and postgres.js wrappers. */
export function rootErrorCode(error: unknown): string | undefined {
  return (rootCause(error) as { code?: string } | undefined)?.code;
}

/**
 * What to check when the database at `url` could not be used at all: where we looked
 * (password hidden) and the likely fix. Undefined for any other error.
 */
export function describeDatabaseProblem(error: unknown, url: string): string | undefined {
  const code = rootErrorCode(error);
  const where = redactUrl(url);
  if (code && UNREACHABLE_CODES.has(code)) {
    return (
      `Cannot reach PostgreSQL at ${where} (${code}).\n` +
      "Check that the server is running and accepts connections on that host and port, and that DATABASE_URL " +
      "(shell, .env or .env.local) is right; unset DATABASE_URL to use the embedded dev database."
    );
  }
  if (code === "28P01" || code === "28000")
    return `PostgreSQL at ${where} refused the login (${code}). Check the user and password in DATABASE_URL.`;
  if (code === "3D000") return `The database named in DATABASE_URL does not exist on ${where}; create it first.`;
  return undefined;
}
