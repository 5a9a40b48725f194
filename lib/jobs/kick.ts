import "server-only";
import { after } from "next/server";
import type { JobList } from "./registry";
import { FUNCTION_MAX_DURATION_S } from "./function-limit";
import { KICK_DRAIN_BUDGET_MS, processDueWork } from "./work";

/**
 * The `maxDuration` (seconds) every route segment that kicks exports: the function limit of
 * the cron routes (Vercel's default and Hobby's ceiling with Fluid compute). The kick starts
 * steps for KICK_DRAIN_BUDGET_MS only, so a backlog never keeps a request's function busy,
 * but a step already running gets the rest of the function's time, as it would in the cron
 * drain, instead of failing an attempt after a few seconds. tests/unit/jobs-kick-max-duration.test.ts
 * checks every page, layout and route that can kick.
 */
export const KICK_MAX_DURATION_S = FUNCTION_MAX_DURATION_S;
/** Kept free of the kick: the request before it, and recording a timeout after it. */
const KICK_REQUEST_ROOM_MS = 20_000;
/** How long past the kick's budget a step in flight may run before it times out (270 s). */
export const KICK_STEP_GRACE_MS = KICK_MAX_DURATION_S * 1000 - KICK_DRAIN_BUDGET_MS - KICK_REQUEST_ROOM_MS;
export const KICK_TOTAL_MS = KICK_DRAIN_BUDGET_MS + KICK_STEP_GRACE_MS;

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
      await runKick({ eventIds: options.eventIds });
    } catch (error) {
      console.error("[jobs] the after() drain failed; the runs stay queued for the next drain", error);
    }
  });
}

/** The kick's drain itself (`budgetMs` and `jobs` for tests). */
export function runKick(options: { eventIds?: string[]; budgetMs?: number; jobs?: JobList } = {}) {
  return processDueWork({
    budgetMs: options.budgetMs ?? KICK_DRAIN_BUDGET_MS,
    stepGraceMs: KICK_STEP_GRACE_MS,
    firstEventIds: options.eventIds,
    jobs: options.jobs,
  });
}
