/**
 * Month-over-month change, as shown in the summary email and on /dashboard/billing.
 * Null when there is nothing to compare against (no previous month, or it was zero).
 */
export function percentChange(current: number, previous: number | null | undefined): number | null {
  if (previous === null || previous === undefined || previous === 0) return null;
  return Math.round(((current - previous) / previous) * 1000) / 10;
}

export function formatChange(current: number, previous: number | null | undefined): string {
  if (previous === null || previous === undefined) return "no previous month";
  const change = percentChange(current, previous);
  if (change === null) return current === 0 ? "no change" : "up from zero";
  if (change === 0) return "no change";
  return `${change > 0 ? "+" : ""}${change}%`;
}

/** 0.125 -> "12.5%"; null (nothing was due) -> "n/a". */
export function formatRate(rate: number | null): string {
  return rate === null ? "n/a" : `${Math.round(rate * 1000) / 10}%`;
}
