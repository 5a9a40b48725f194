import { FUNCTION_MAX_DURATION_S } from "../function-limit";

/**
 * When `npm run jobs -- advise` and /admin/jobs say "watch" or "flip to Inngest".
 * Edit these to suit your deployment; docs/graduating-to-inngest.md explains each.
 * Rates are fractions (0.05 = 5 %), times are milliseconds.
 */
export type AdvisorThresholds = {
  /** Fewer finished runs than this in 30 days: rates are shown but not judged. */
  minRunsForRates: number;
  failureRate: { watch: number; flip: number };
  /** Share of runs that needed at least one retry. */
  retryRate: { watch: number; flip: number };
  /** 95th percentile of the wait from due (created, or a sleep's wake time) to started. */
  queueLagP95Ms: { watch: number; flip: number };
  /** Fewer drains than this in 30 days: the budget share is shown but not judged. */
  minDrainsForBudget: number;
  /** Share of drains that used their whole time budget (work was left for the next one). */
  drainsOutOfBudget: { watch: number; flip: number };
  /** The longest step, as a share of the function limit below. */
  longestStepShare: { watch: number; flip: number };
  /** What one invocation may take: the cron and Inngest routes' maxDuration (FUNCTION_MAX_DURATION_S). */
  functionLimitMs: number;
};

export const ADVISOR_THRESHOLDS: AdvisorThresholds = {
  minRunsForRates: 50,
  failureRate: { watch: 0.01, flip: 0.05 },
  retryRate: { watch: 0.05, flip: 0.2 },
  queueLagP95Ms: { watch: 2 * 60_000, flip: 15 * 60_000 },
  minDrainsForBudget: 20,
  drainsOutOfBudget: { watch: 0.05, flip: 0.25 },
  longestStepShare: { watch: 0.5, flip: 0.8 },
  functionLimitMs: FUNCTION_MAX_DURATION_S * 1000,
};
