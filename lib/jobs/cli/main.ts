import { closeDb } from "@/lib/db/client";
import { EventValidationError } from "../send";
import { NotACronJobError } from "../cron";
import { RunActionError } from "../run-ledger";
import { UnknownJobError } from "../registry";
import { parseArgs, USAGE, UsageError } from "./args";
import { runCommand } from "./commands";
import { openDevDatabase, type OpenDatabase } from "@/lib/db/dev-database";
import { checkEnv } from "@/lib/env";
import { describeFailure } from "@/lib/script-failure";
import { formatResult } from "./format";

/** Errors caused by what the operator typed: exit 2, and nothing was changed. */
const isInputError = (error: unknown) =>
  error instanceof UsageError ||
  error instanceof EventValidationError ||
  error instanceof RunActionError ||
  error instanceof UnknownJobError ||
  error instanceof NotACronJobError;

/**
 * `npm run jobs -- ...`. stdout carries only the result (one JSON document with
 * --json); logs, including those of job handlers during `drain`, go to stderr.
 */
export async function main(argv: string[]): Promise<number> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  for (const level of ["log", "info", "debug"] as const) console[level] = console.error;
  const json = argv.includes("--json");
  const fail = (code: number, message: string) => {
    if (json) out(JSON.stringify({ error: message }));
    process.stderr.write(`${message}\n`);
    return code;
  };

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(2, `${error.message}\n\n${USAGE}`);
    throw error;
  }
  if (!parsed.command) {
    out(USAGE);
    return 0;
  }

  let database: OpenDatabase;
  try {
    checkEnv();
    database = await openDevDatabase({ migrate: true });
  } catch (error) {
    const failure = describeFailure(error);
    return fail(failure.exitCode, failure.message);
  }
  try {
    const result = await runCommand(parsed.command);
    out(json ? JSON.stringify(result, null, 2) : formatResult(parsed.command, result));
    return 0;
  } catch (error) {
    if (isInputError(error)) return fail(2, (error as Error).message);
    const failure = describeFailure(error, database.url);
    return fail(failure.exitCode, failure.message);
  } finally {
    await closeDb();
    await database.stop();
  }
}
