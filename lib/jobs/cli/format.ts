import type { JobRun } from "@/lib/db/schema";
import type { Advice } from "../advisor/verdict";
import type { CreatedCronRun } from "../cron";
import type { DrainResult } from "../postgres/drain";
import { DUE_COUNT_CAP } from "../postgres/due-count";
import type { PruneResult } from "../postgres/prune";
import type { OutboxResult } from "../driver";
import type { RunDetail } from "../postgres/inspect";
import type { JobStats } from "../postgres/stats";
import type { CliCommand } from "./args";

/** Human-readable output; `--json` prints the raw result instead. */
const iso = (date: Date | string | null | undefined) =>
  date ? new Date(date).toISOString().replace(".000Z", "Z") : "-";
const json = (value: unknown) => JSON.stringify(value);

function table(rows: string[][]) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const runLine = (run: JobRun) => [
  run.id,
  run.jobId,
  run.status,
  String(run.attempt),
  iso(run.runAt),
  iso(run.createdAt),
  run.error ? run.error.message.slice(0, 60) : "",
];
const runTable = (runs: JobRun[]) =>
  runs.length
    ? table([["RUN", "JOB", "STATUS", "ATTEMPT", "RUN AT", "CREATED", "ERROR"], ...runs.map(runLine)])
    : "No runs.";

function formatRun(detail: RunDetail) {
  const { run, event, steps, children } = detail;
  const lines = [
    `Run      ${run.id}`,
    `Job      ${run.jobId}`,
    `Status   ${run.status} (attempt ${run.attempt} of ${run.maxAttempts})`,
    `Run at   ${iso(run.runAt)}   created ${iso(run.createdAt)}   finished ${iso(run.finishedAt)}`,
    event ? `Event    ${event.name} ${event.id} ${json(event.data)}` : `Cron     slot ${iso(run.cronSlot)}`,
  ];
  if (run.cancelReason) lines.push(`Why      ${run.cancelReason}`);
  if (run.parentRunId) lines.push(`Parent   ${run.parentRunId}`);
  if (run.lockedBy) lines.push(`Locked   by ${run.lockedBy} until ${iso(run.leaseExpiresAt)}`);
  if (run.error)
    lines.push(
      `Error    ${run.error.name}: ${run.error.message}`,
      ...(run.error.stack ? [run.error.stack.split("\n").slice(1, 4).join("\n")] : []),
    );
  if (run.output !== null && run.output !== undefined) lines.push(`Output   ${json(run.output)}`);
  lines.push("", "Steps:");
  if (steps.length === 0) lines.push("  (none yet)");
  for (const step of steps) {
    const timing =
      step.durationMs === null ? (step.wakeAt ? `until ${iso(step.wakeAt)}` : "") : `${step.durationMs} ms`;
    const detailText = step.error
      ? `error ${json(step.error && (step.error as { message: string }).message)}`
      : `output ${json(step.output)}`;
    lines.push(
      `  #${step.attempt} ${step.stepId.padEnd(24)} ${step.op.padEnd(9)} ${step.status.padEnd(9)} ${iso(step.startedAt)} ${timing.padEnd(10)} ${detailText}`,
    );
  }
  for (const child of children) lines.push(`Child    ${child.id} ${child.jobId} ${child.status}`);
  return lines.join("\n");
}

function formatStats(stats: JobStats) {
  const statuses = ["queued", "running", "sleeping", "completed", "failed", "cancelled"] as const;
  const rows = stats.byJob.map((job) => [
    job.jobId,
    ...statuses.map((status) => String(job.counts[status])),
    String(job.total),
  ]);
  const last = stats.last30Days;
  return [
    rows.length ? table([["JOB", ...statuses.map((s) => s.toUpperCase()), "TOTAL"], ...rows]) : "No runs yet.",
    "",
    `Oldest due run waiting: ${stats.oldestDueRunAgeMs === null ? "none" : `${Math.round(stats.oldestDueRunAgeMs / 1000)} s`}`,
    `Last 30 days: ${last.runs} runs, ${last.steps} steps, ${last.completed} completed, ${last.failed} failed` +
      ` (failure rate ${last.failureRate === null ? "n/a" : `${(last.failureRate * 100).toFixed(1)}%`})`,
    `Inngest would count about ${last.inngestExecutions} executions (runs + steps) for these 30 days.`,
    ...(stats.estimated ? [`Counts above ${stats.exactUpTo} are estimated from a sample of the table.`] : []),
  ].join("\n");
}

export function formatResult(command: CliCommand, result: unknown): string {
  switch (command.command) {
    case "send": {
      const { events, runs, outbox } = result as {
        events: { id: string; name: string; created: boolean }[];
        runs: JobRun[];
        outbox: OutboxResult;
      };
      const head = events
        .map(
          (event) => `Event ${event.name} ${event.id} ${event.created ? "sent" : "already sent before (nothing new)"}`,
        )
        .join("\n");
      const relay = outbox.driver === "inngest" ? `\n${formatRelay(outbox)}` : "";
      return `${head}\n${runs.length ? table([["RUN", "JOB", "STATUS"], ...runs.map((run) => [run.id, run.jobId, run.status])]) : "No job is subscribed to it (or the Inngest driver will run it)."}${relay}`;
    }
    case "drain": {
      const r = result as DrainResult & {
        outbox: OutboxResult;
        cronRuns: CreatedCronRun[];
        pruned: PruneResult | null;
      };
      const outbox =
        r.outbox.driver === "inngest"
          ? `${formatRelay(r.outbox)}\n`
          : r.outbox.adopted
            ? `Adopted ${r.outbox.adopted} unrelayed Inngest event(s) as Postgres runs.\n`
            : "";
      const cron = r.cronRuns
        .map((run) => `Created the missed cron run ${run.runId} for ${run.jobId} slot ${iso(run.slot)}.\n`)
        .join("");
      const pruned =
        r.pruned && r.pruned.runs + r.pruned.events + r.pruned.emails > 0
          ? `\nPruned ${r.pruned.runs} finished run(s), ${r.pruned.events} event(s) and ${r.pruned.emails} email key(s) past retention.`
          : "";
      return `${outbox}${cron}processed ${r.processed}: completed ${r.completed}, retried ${r.retried}, failed ${r.failed}, sleeping ${r.sleeping}, released ${r.released}, cancelled ${r.cancelled}; remaining ${r.remaining}${r.remaining >= DUE_COUNT_CAP ? "+" : ""}${pruned}`;
    }
    case "list":
      return runTable((result as { runs: JobRun[] }).runs);
    case "show":
      return formatRun(result as RunDetail);
    case "retry":
    case "replay":
    case "cancel": {
      const { run } = result as { run: JobRun };
      return `${command.command === "replay" ? "New run" : "Run"} ${run.id} (${run.jobId}) is now ${run.status}.`;
    }
    case "trigger": {
      const { run, slot, created } = result as { run: JobRun; slot: Date; created: boolean };
      return created
        ? `Created run ${run.id} for ${run.jobId} slot ${iso(slot)}.`
        : `Slot ${iso(slot)} of ${run.jobId} already has run ${run.id} (${run.status}); nothing new.`;
    }
    case "stats":
      return formatStats(result as JobStats);
    case "advise":
      return formatAdvice(result as Advice);
  }
}

const MARK = { ok: "  ", watch: "! ", flip: "!!" } as const;

function formatAdvice(advice: Advice) {
  return [
    `Verdict: ${advice.verdict}`,
    "",
    ...advice.reasons.map((reason) => `${MARK[reason.level]} ${reason.text}`),
    "",
    `Thresholds: lib/jobs/advisor/thresholds.ts (docs/graduating-to-inngest.md). Plans: ${advice.plans.source}, read ${advice.plans.checkedOn}.`,
  ].join("\n");
}

/** The relay's part of `send` in Inngest mode: a failure is not an error, the event waits. */
function formatRelay(outbox: Extract<OutboxResult, { driver: "inngest" }>) {
  const lines = [`Relayed ${outbox.relayed} event(s) to Inngest.`];
  const waiting = outbox.failed - (outbox.rejected ?? 0);
  if (outbox.rejected) {
    lines.push(
      `Inngest rejected ${outbox.rejected} event(s) (${outbox.error}); see relay_error in job_events. After 10 attempts an event is parked.`,
    );
  }
  if (waiting > 0)
    lines.push(
      `Inngest did not take ${waiting} event(s) yet (${outbox.error}); they stay in job_events and the next drain retries.`,
    );
  return lines.join("\n");
}
