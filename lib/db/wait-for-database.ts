import postgres from "postgres";
import { redactUrl, rootErrorCode, UNREACHABLE_CODES } from "./dev-database";

/**
 * Waits until PostgreSQL at `url` answers a query, for services that start before their
 * database (a container, a host rebooting): retries with doubling delays (0.5 s up to
 * 10 s) while the server refuses connections or is still starting up (57P03), logging
 * one line per wait. After `maxWaitMs` it gives up and throws the last error; any other
 * error (a wrong password, a missing database) is thrown at once, as waiting cannot fix it.
 */
export async function waitForDatabase(
  url: string,
  options: { maxWaitMs: number; log: (line: string) => void; setting: string },
): Promise<void> {
  const started = Date.now();
  const limit = `${Math.round(options.maxWaitMs / 1000)} s`;
  for (let attempt = 0; ; attempt++) {
    const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} });
    try {
      await sql`select 1`;
      if (attempt > 0) options.log(`PostgreSQL at ${redactUrl(url)} is up`);
      return;
    } catch (error) {
      const code = rootErrorCode(error);
      if (!code || !UNREACHABLE_CODES.has(code)) throw error;
      const waited = Date.now() - started;
      if (waited >= options.maxWaitMs) {
        options.log(`gave up waiting for PostgreSQL at ${redactUrl(url)} after ${limit} (${options.setting})`);
        throw error;
      }
      const delay = Math.min(500 * 2 ** attempt, 10_000, options.maxWaitMs - waited);
      options.log(
        `PostgreSQL at ${redactUrl(url)} is not accepting connections (${code}); ` +
          `retrying in ${(delay / 1000).toFixed(1)} s, giving up after ${limit} (${options.setting})`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
}
