import { inArray } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { jobRuns } from "@/lib/db/schema";
import { adviseOnQueue } from "../advisor/advise";
import { createCronRun } from "../cron";
import { activeDriver } from "../driver";
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
      const outbox = await activeDriver().deliverOutbox({});
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
      return {
        runs: await activeDriver().runs.list({ status: command.status, jobId: command.job, limit: command.limit }),
      };
    case "show": {
      const detail = await activeDriver().runs.show(command.runId);
      if (!detail) throw new UsageError(`No run ${command.runId}`);
      return detail;
    }
    case "retry":
      return { run: await activeDriver().runs.retry(command.runId) };
    case "replay":
      return { run: await activeDriver().runs.replay(command.runId) };
    case "cancel":
      return { run: await activeDriver().runs.cancel(command.runId) };
    case "trigger": {
      const { run, slot, created } = await createCronRun(command.jobId, command.at ?? new Date());
      return { run, slot, created };
    }
    case "stats":
      return activeDriver().runs.stats();
    case "advise":
      return adviseOnQueue();
  }
}
