import { resetEnv } from "@/lib/env";
import { DEV_DATABASE, DEV_DATA_DIR, startEmbeddedPostgres } from "./embedded";

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
 */
export async function openDevDatabase(): Promise<OpenDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, source: "DATABASE_URL", stop: async () => {} };
  const server = await startEmbeddedPostgres({ dataDir: DEV_DATA_DIR, database: DEV_DATABASE, port: Number(process.env.PGPORT ?? 54329) });
  process.env.DATABASE_URL = server.url;
  resetEnv();
  return { url: server.url, source: "embedded", stop: server.reused ? async () => {} : server.stop };
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
  if (code === "3D000") return `The database named in DATABASE_URL does not exist on ${redactUrl(url)}; create it first.`;
  return root instanceof Error ? root.message : String(root);
}
