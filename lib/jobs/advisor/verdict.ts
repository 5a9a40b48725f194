import type { QueueFigures } from "../postgres/advisor-figures";
import type { JobList } from "../registry";
import { INNGEST_PLANS } from "./inngest-plans";
import type { AdvisorThresholds } from "./thresholds";

export type Verdict = "stay on Postgres" | "watch" | "flip to Inngest";
type Level = "ok" | "watch" | "flip";
/** One signal: what was measured, against what, and how it weighs. */
export type Reason = { signal: string; level: Level; text: string };
export type FlowControlUse = { jobId: string; uses: ("cancelOn" | "concurrency" | "throttle" | "idempotency")[] };

export type Advice = {
  verdict: Verdict;
  reasons: Reason[];
  figures: QueueFigures & {
    failureRate: number | null;
    retryRate: number | null;
    drainsOutOfBudgetShare: number | null;
    executionsPerMonth: number;
  };
  plans: typeof INNGEST_PLANS;
  flowControl: FlowControlUse[];
  thresholds: AdvisorThresholds;
};

const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
const secs = (ms: number) => (ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`);
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function grade(value: number, limits: { watch: number; flip: number }): Level {
  return value >= limits.flip ? "flip" : value >= limits.watch ? "watch" : "ok";
}

/**
 * The judgement, from figures alone (no I/O), so every verdict can be built from fixture
 * numbers: any "flip" signal flips, else any "watch" signal watches, else stay.
 */
export function judgeQueue(figures: QueueFigures, jobs: JobList, thresholds: AdvisorThresholds): Advice {
  const finished = figures.completed + figures.failed;
  const failureRate = ratio(figures.failed, finished);
  const retryRate = ratio(figures.runsWithFailedAttempt, figures.runs);
  const budgetShare = ratio(figures.drainsOutOfBudget, figures.drains);
  const executions = figures.runs + figures.steps;
  const reasons: Reason[] = [];
  const rate = (
    signal: string,
    label: string,
    value: number | null,
    sample: number,
    limits: { watch: number; flip: number },
  ) => {
    if (value === null || sample < thresholds.minRunsForRates) {
      reasons.push({
        signal,
        level: "ok",
        text: `${label}: too few runs to judge (${sample} in ${figures.windowDays} days, needs ${thresholds.minRunsForRates})`,
      });
      return;
    }
    reasons.push({
      signal,
      level: grade(value, limits),
      text: `${label} ${pct(value)} over ${figures.windowDays} days (watch at ${pct(limits.watch)}, flip at ${pct(limits.flip)})`,
    });
  };

  rate("failureRate", "Failure rate", failureRate, finished, thresholds.failureRate);
  rate("retryRate", "Runs needing a retry", retryRate, figures.runs, thresholds.retryRate);

  if (figures.queueLagP95Ms === null) {
    reasons.push({ signal: "queueLag", level: "ok", text: "Queue lag: no runs started in the window" });
  } else {
    reasons.push({
      signal: "queueLag",
      level: grade(figures.queueLagP95Ms, thresholds.queueLagP95Ms),
      text: `Queue lag p95 (due → started) ${secs(figures.queueLagP95Ms)} over ${figures.queueLagSamples} starts (watch at ${secs(thresholds.queueLagP95Ms.watch)}, flip at ${secs(thresholds.queueLagP95Ms.flip)})`,
    });
  }

  if (budgetShare === null || figures.drains < thresholds.minDrainsForBudget) {
    reasons.push({
      signal: "drainBudget",
      level: "ok",
      text: `Drains out of budget: too few drains to judge (${figures.drains}, needs ${thresholds.minDrainsForBudget})`,
    });
  } else {
    reasons.push({
      signal: "drainBudget",
      level: grade(budgetShare, thresholds.drainsOutOfBudget),
      text: `${figures.drainsOutOfBudget} of ${figures.drains} drains (${pct(budgetShare)}) spent their whole budget (watch at ${pct(thresholds.drainsOutOfBudget.watch)}, flip at ${pct(thresholds.drainsOutOfBudget.flip)})`,
    });
  }

  if (figures.longestStep) {
    const share = figures.longestStep.durationMs / thresholds.functionLimitMs;
    reasons.push({
      signal: "longestStep",
      level: grade(share, thresholds.longestStepShare),
      text: `Longest step ${figures.longestStep.jobId} › ${figures.longestStep.stepId} took ${secs(figures.longestStep.durationMs)}, ${pct(share)} of the ${secs(thresholds.functionLimitMs)} function limit`,
    });
  }

  const { free, pro } = INNGEST_PLANS;
  reasons.push({
    signal: "volume",
    level: "ok",
    text: `${figures.estimated ? "About " : ""}${executions.toLocaleString("en-US")} executions a month (${figures.runs} runs + ${figures.steps} steps): ${pct(executions / free.executionsPerMonth)} of Inngest's free plan (${free.executionsPerMonth.toLocaleString("en-US")}), ${pct(executions / pro.executionsPerMonth)} of Pro (${pro.executionsPerMonth.toLocaleString("en-US")})${executions > free.executionsPerMonth ? "; on Inngest this needs a paid plan" : ""}`,
  });

  const flowControl = flowControlUse(jobs);
  const used = [...new Set(flowControl.flatMap((job) => job.uses))];
  reasons.push({
    signal: "flowControl",
    level: "ok",
    text: used.length
      ? `Flow control in use: ${flowControl
          .filter((job) => job.uses.length)
          .map((job) => `${job.jobId} (${job.uses.join(", ")})`)
          .join("; ")}; both drivers honour it, so it moves with the flag`
      : "No job uses flow control",
  });

  const levels = reasons.map((reason) => reason.level);
  const verdict: Verdict = levels.includes("flip")
    ? "flip to Inngest"
    : levels.includes("watch")
      ? "watch"
      : "stay on Postgres";
  return {
    verdict,
    reasons,
    figures: {
      ...figures,
      failureRate,
      retryRate,
      drainsOutOfBudgetShare: budgetShare,
      executionsPerMonth: executions,
    },
    plans: INNGEST_PLANS,
    flowControl,
    thresholds,
  };
}

function flowControlUse(jobs: JobList): FlowControlUse[] {
  return jobs.map((job) => ({
    jobId: job.options.id,
    uses: (["cancelOn", "concurrency", "throttle", "idempotency"] as const).filter(
      (option) => job.options[option] !== undefined,
    ),
  }));
}
