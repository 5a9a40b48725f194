import "server-only";
import { after } from "next/server";
import { STEP_TIMEOUT_GRACE_MS } from "./postgres/drain";
import { KICK_DRAIN_BUDGET_MS, processDueWork } from "./work";

/**
 * The `maxDuration` (seconds) every route segment that kicks exports: the request itself,
 * then the kick's drain budget, then the grace a step in flight gets before it times out,
 * with room to record that. A test checks every page, layout and route that can kick.
 */
export const KICK_MAX_DURATION_S = 30;
export const KICK_TOTAL_MS = KICK_DRAIN_BUDGET_MS + STEP_TIMEOUT_GRACE_MS;

/**
 * Call after a request emitted events: their jobs run right after the response is sent,
 * instead of waiting for the next cron (daily on Vercel Hobby). The runs of `eventIds`
 * (the events this request sent) are claimed before any other due work, so a burst of
 * requests cannot push a request's own confirmation past its time limit. If the kick
 * fails or runs out of time nothing is lost: its runs stay due (a run caught by the budget
 * is released to `queued`) and the next drain of any kind picks them up.
 */
export function kickJobs(options: { eventIds?: string[] } = {}) {
  after(async () => {
    try {
      await processDueWork({ budgetMs: KICK_DRAIN_BUDGET_MS, firstEventIds: options.eventIds });
    } catch (error) {
      console.error("[jobs] the after() drain failed; the runs stay queued for the next drain", error);
    }
  });
}
