import { jobs as defaultJobs } from "@/jobs";
import type { JobDefinition } from "./types";

/**
 * Every engine entry point takes an optional job list so tests (and the bench) can run
 * their own definitions; the app uses the registry in jobs/index.ts.
 */
export type JobList = readonly JobDefinition[];

export function resolveJobs(jobs?: JobList): JobList {
  return jobs ?? defaultJobs;
}

/** onFailure handlers run as their own durable runs under this job id. */
export const ON_FAILURE_SUFFIX = ":on-failure";

export function onFailureJobId(jobId: string) {
  return `${jobId}${ON_FAILURE_SUFFIX}`;
}

export class UnknownJobError extends Error {
  override name = "UnknownJobError";
  constructor(
    public readonly jobId: string,
    known: string[],
  ) {
    super(`No job "${jobId}" in the registry. Known jobs: ${known.join(", ") || "(none)"}`);
  }
}

/** The definition for a run's job id; `<id>:on-failure` maps to the same definition. */
export function findJob(jobs: JobList, jobId: string): { job: JobDefinition; isOnFailure: boolean } {
  const isOnFailure = jobId.endsWith(ON_FAILURE_SUFFIX);
  const baseId = isOnFailure ? jobId.slice(0, -ON_FAILURE_SUFFIX.length) : jobId;
  const job = jobs.find((candidate) => candidate.options.id === baseId);
  if (!job)
    throw new UnknownJobError(
      jobId,
      jobs.map((candidate) => candidate.options.id),
    );
  return { job, isOnFailure };
}

export function cronTriggers(job: JobDefinition): string[] {
  return job.options.triggers.flatMap((trigger) => ("cron" in trigger ? [trigger.cron] : []));
}

export function cronJobs(jobs: JobList): JobDefinition[] {
  return jobs.filter((job) => cronTriggers(job).length > 0);
}
