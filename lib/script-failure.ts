import { describeDatabaseProblem } from "@/lib/db/dev-database";
import { EmbeddedDatabaseError } from "@/lib/db/embedded";
import { checkEnv, EnvError } from "@/lib/env";

/**
 * The one way every script (dev, worker, jobs, db:*, bench) reports a failure. Problems
 * of setup (a bad variable, a database nobody answers at, an embedded PostgreSQL that
 * will not start) get a short block saying what to do and no stack trace; a bad
 * environment exits 2 like any other bad input. Anything else is a bug: its stack is
 * printed and the exit code is 1.
 */
export type ScriptFailure = { exitCode: number; message: string };

/** Something around a script stops it from starting (a busy port, a database that never came up); the message says what to do. */
export class CannotStartError extends Error {
  override name = "CannotStartError";
}

export function describeFailure(error: unknown, databaseUrl = process.env.DATABASE_URL): ScriptFailure {
  if (error instanceof EnvError) return { exitCode: 2, message: error.message };
  if (error instanceof EmbeddedDatabaseError || error instanceof CannotStartError)
    return { exitCode: 1, message: error.message };
  const database = databaseUrl ? describeDatabaseProblem(error, databaseUrl) : undefined;
  if (database) return { exitCode: 1, message: database };
  return { exitCode: 1, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

/**
 * Runs a script's body: the environment is checked first, a returned number is the exit
 * code, and a thrown error is reported by describeFailure. It exits explicitly, so an
 * open handle (a job handler's timer, a pool) cannot keep the process alive.
 */
export async function runScript(main: () => Promise<number | void>): Promise<never> {
  try {
    checkEnv();
    process.exit((await main()) ?? 0);
  } catch (error) {
    const failure = describeFailure(error);
    process.stderr.write(`\n${failure.message}\n\n`);
    process.exit(failure.exitCode);
  }
}
