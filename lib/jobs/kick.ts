import "server-only";
import { after } from "next/server";
import { KICK_DRAIN_BUDGET_MS, processDueWork } from "./work";

/**
 * Call after a request emitted events: their jobs run right after the response is
 * sent, instead of waiting for the next cron (daily on Vercel Hobby). If the kick
 * fails or runs out of time nothing is lost: the runs stay queued for the next drain.
 */
export function kickJobs() {
  after(async () => {
    try {
      await processDueWork({ budgetMs: KICK_DRAIN_BUDGET_MS });
    } catch (error) {
      console.error("[jobs] the after() drain failed; the runs stay queued for the next drain", error);
    }
  });
}
