import { z } from "zod";
import { excerpt, identifier } from "@/lib/clinic/form-fields";
import { RUN_STATUSES } from "../run-ledger";

/** Bad arguments: the CLI prints the message and usage, exits 2, and changes nothing. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const USAGE = `Usage: npm run jobs -- <command> [--json]

  send <event-name> '<json-data>' [--id <event-id>]   emit an event, print the runs it created
  drain [--budget-ms N]                               run what is due now
  list [--status ${RUN_STATUSES.join("|")}] [--job ID] [--limit N]
  show <run-id>                                       a run, its event and its step timeline
  retry <run-id> | replay <run-id> | cancel <run-id>
  trigger <job-id> [--at <iso-time>]                  create a cron job's run for the slot due then
  stats                                               counts, queue age, failure rate, 30-day volume
  advise                                              stay on Postgres, watch, or flip to Inngest, with reasons

Add --json for one JSON document on stdout. Uses DATABASE_URL, else the embedded dev database.`;

const uuid = z.uuid({ message: "must be a run id (UUID)" });
const positiveInt = (name: string) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .positive(`${name} must be positive`);
const runCommand = <T extends string>(name: T) => z.object({ command: z.literal(name), runId: uuid });

const commands = z.discriminatedUnion("command", [
  z.object({
    command: z.literal("send"),
    eventName: identifier("the event name", 100, "send needs an event name, e.g. booking/created"),
    data: z
      .string({ message: 'send needs the event data as JSON, e.g. \'{"bookingId":"..."}\'' })
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as Record<string, unknown>;
        } catch (error) {
          ctx.addIssue({ code: "custom", message: `event data is not valid JSON: ${(error as Error).message}` });
          return z.NEVER;
        }
      }),
    id: identifier("--id").optional(),
  }),
  z.object({ command: z.literal("drain"), budgetMs: positiveInt("--budget-ms").default(50_000) }),
  z.object({
    command: z.literal("list"),
    status: z.enum(RUN_STATUSES, { message: `--status must be one of ${RUN_STATUSES.join(", ")}` }).optional(),
    job: identifier("--job", 100).optional(),
    limit: positiveInt("--limit").max(1_000, "--limit must be at most 1000").default(50),
  }),
  runCommand("show"),
  runCommand("retry"),
  runCommand("replay"),
  runCommand("cancel"),
  z.object({
    command: z.literal("trigger"),
    jobId: identifier("the job id", 100, "trigger needs a job id, e.g. billing-summary-monthly"),
    at: z.iso
      .datetime({ offset: true, message: "--at must be an ISO time such as 2026-11-01T06:00:00Z" })
      .transform((value) => new Date(value))
      .optional(),
  }),
  z.object({ command: z.literal("stats") }),
  z.object({ command: z.literal("advise") }),
]);

export type CliCommand = z.infer<typeof commands>;

/** Which positionals and flags each command takes, in order. */
const shapes: Record<string, { positionals: string[]; flags: Record<string, string> }> = {
  send: { positionals: ["eventName", "data"], flags: { "--id": "id" } },
  drain: { positionals: [], flags: { "--budget-ms": "budgetMs" } },
  list: { positionals: [], flags: { "--status": "status", "--job": "job", "--limit": "limit" } },
  show: { positionals: ["runId"], flags: {} },
  retry: { positionals: ["runId"], flags: {} },
  replay: { positionals: ["runId"], flags: {} },
  cancel: { positionals: ["runId"], flags: {} },
  trigger: { positionals: ["jobId"], flags: { "--at": "at" } },
  stats: { positionals: [], flags: {} },
  advise: { positionals: [], flags: {} },
};

export function parseArgs(argv: string[]): { json: boolean; help: boolean; command?: CliCommand } {
  const json = argv.includes("--json");
  const help = argv.includes("--help") || argv.includes("-h");
  const rest = argv.filter((arg) => arg !== "--json" && arg !== "--help" && arg !== "-h");
  if (rest.length === 0) {
    if (help) return { json, help };
    throw new UsageError("No command given.");
  }
  const [name, ...args] = rest;
  const shape = shapes[name];
  if (!shape) throw new UsageError(`Unknown command "${excerpt(name)}".`);

  const raw: Record<string, unknown> = { command: name };
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith("--")) {
      const [flag, inline] = arg.split(/=(.*)/s, 2);
      const key = shape.flags[flag];
      if (!key) throw new UsageError(`"${name}" does not take ${excerpt(flag)}.`);
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value.`);
      raw[key] = value;
    } else positionals.push(arg);
  }
  if (positionals.length > shape.positionals.length)
    throw new UsageError(
      `"${name}" got unexpected argument(s): ${excerpt(positionals.slice(shape.positionals.length).join(" "))}`,
    );
  shape.positionals.forEach((key, index) => {
    if (positionals[index] !== undefined) raw[key] = positionals[index];
  });

  const parsed = commands.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || name}: ${issue.message}`).join("\n"),
    );
  return { json, help, command: parsed.data };
}
