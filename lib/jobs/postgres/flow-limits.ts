import { onFailureJobId, type JobList } from "../registry";
import type { ConcurrencyLimit, Throttle } from "../types";
import { durationToMs } from "./duration";

/** One job's limits as slotline_claim_limited_runs reads them (drizzle/0013_flow_control_claim.sql). */
type ClaimLimits = {
  concurrency?: { limit: number; path?: string }[];
  throttle?: { limit: number; periodMs: number; path?: string };
};

/**
 * What the claim needs to know about a registry: the ids of jobs it may claim freely
 * (slotline_claim_due_runs, the fast path) and the limits of jobs with concurrency or
 * a throttle (slotline_claim_limited_runs). onFailure runs are never limited.
 */
export type ClaimScope = { jobIds: string[]; limited: Record<string, ClaimLimits> };

export function claimScope(jobs: JobList): ClaimScope {
  const jobIds: string[] = [];
  const limited: Record<string, ClaimLimits> = {};
  for (const { options } of jobs) {
    if (options.onFailure) jobIds.push(onFailureJobId(options.id));
    const limits: ClaimLimits = {};
    if (options.concurrency !== undefined) limits.concurrency = [options.concurrency].flat().map(concurrencyLimit);
    if (options.throttle) limits.throttle = throttleLimit(options.throttle);
    if (limits.concurrency || limits.throttle) limited[options.id] = limits;
    else jobIds.push(options.id);
  }
  return { jobIds, limited };
}

/** Every job id in the scope, limited or not (what counts as this registry's work). */
export function scopeJobIds(scope: ClaimScope) {
  return [...scope.jobIds, ...Object.keys(scope.limited)];
}

function concurrencyLimit(limit: ConcurrencyLimit) {
  return { limit: limit.limit, ...(limit.key ? { path: dataPath(limit.key) } : {}) };
}

function throttleLimit(throttle: Throttle) {
  return {
    limit: throttle.limit,
    periodMs: durationToMs(throttle.period),
    ...(throttle.key ? { path: dataPath(throttle.key) } : {}),
  };
}

/**
 * "event.data.clinicId" as the text[] literal PostgreSQL's #>> takes over the event's
 * data: "{clinicId}". defineJob has checked that every part is a plain identifier.
 */
function dataPath(expression: string) {
  const parts = expression.split(".");
  if (parts[0] !== "event" || parts[1] !== "data" || parts.length < 3)
    throw new Error(`The Postgres driver reads flow-control keys under event.data (got "${expression}")`);
  return `{${parts.slice(2).join(",")}}`;
}
