import { inArray } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { adviseOnQueue } from "../advisor/advise";
import { createCronRun } from "../cron";
import { cancelRun, replayRun, retryRun } from "../postgres/control";
import { listRuns, showRun } from "../postgres/inspect";
import { jobStats } from "../postgres/stats";
import { relayPendingEvents } from "../relay";
import { sendEvent } from "../send";
import { processDueWork } from "../work";
import type { EventInput } from "../types";
import type { CliCommand } from "./args";
import { UsageError } from "./args";

/** Runs one parsed command; the result is what `--json` prints. */
export async function runCommand(command: CliCommand): Promise<unknown> {
  switch (command.command) {
    case "send": {
      const events = await sendEvent({ name: command.eventName, data: command.data, id: command.id } as EventInput);
      // In Inngest mode the event is relayed before the CLI exits, not at the next drain.
      const outbox = await relayPendingEvents();
      const runs = await db
        .select({ id: jobRuns.id, jobId: jobRuns.jobId, status: jobRuns.status })
        .from(jobRuns)
        .where(
          inArray(
            jobRuns.eventId,
            events.map((event) => event.id),
          ),
        );
      return { events, runs, outbox };
    }
    case "drain": {
      // The same work as the cron route: the outbox (relay or adoption), missed cron slots, then the drain.
      const { drained, outbox, cronRuns, pruned } = await processDueWork({ budgetMs: command.budgetMs });
      return { ...drained, outbox, cronRuns, pruned };
    }
    case "list":
      return { runs: await listRuns({ status: command.status, jobId: command.job, limit: command.limit }) };
    case "show": {
      const detail = await showRun(command.runId);
      if (!detail) throw new UsageError(`No run ${command.runId}`);
      return detail;
    }
    case "retry":
      return { run: await retryRun(command.runId) };
    case "replay":
      return { run: await replayRun(command.runId) };
    case "cancel":
      return { run: await cancelRun(command.runId) };
    case "trigger": {
      const { run, slot, created } = await createCronRun(command.jobId, command.at ?? new Date());
      return { run, slot, created };
    }
    case "stats":
      return jobStats();
    case "advise":
      return adviseOnQueue();
  }
}
