/**
 * Inngest Cloud's plan allowances, as published on https://www.inngest.com/pricing
 * (read 2026-11-30). An execution is one function run or one step: a run with five
 * steps uses six. Update this one constant when Inngest changes its plans.
 */
export const INNGEST_PLANS = {
  source: "https://www.inngest.com/pricing",
  checkedOn: "2026-11-30",
  free: { executionsPerMonth: 50_000, concurrentSteps: 5 },
  pro: { executionsPerMonth: 1_000_000 },
} as const;
