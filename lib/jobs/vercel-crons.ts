import fs from "node:fs";
import path from "node:path";
import { Cron } from "croner";
import { scheduleOf } from "./cron-schedule";
import { cronJobs, cronTriggers, type JobList } from "./registry";

/**
 * vercel.json mirrors the cron triggers of jobs/ in UTC (Vercel Cron has no time
 * zones). These checks keep the two in step; tests/unit/jobs-vercel-crons.test.ts
 * runs them against the real files, and the local dev scheduler reads the same list.
 */
export type VercelCron = { path: string; schedule: string };
export type VercelConfig = {
  crons?: VercelCron[];
  functions?: Record<string, { maxDuration?: number }>;
  buildCommand?: string;
};

export const DRAIN_PATH = "/api/cron/drain";
export const cronPath = (jobId: string) => `/api/cron/${jobId}`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function readVercelConfig(file = path.join(process.cwd(), "vercel.json")): VercelConfig {
  return JSON.parse(fs.readFileSync(file, "utf8")) as VercelConfig;
}

const utc = (schedule: string) => new Cron(schedule, { timezone: "UTC", paused: true });

/**
 * Every problem that would make the deployed crons differ from the job definitions:
 * an unknown path, a cron job with no entry, a schedule that fires more often than
 * daily (Vercel Hobby refuses to deploy it), or a slot in the next `months` that the
 * UTC schedule does not fire for within an hour after it (in both GMT and BST).
 */
export function vercelCronProblems(
  config: VercelConfig,
  jobs: JobList,
  options: { from?: Date; months?: number } = {},
): string[] {
  const problems: string[] = [];
  const crons = config.crons ?? [];
  const from = options.from ?? new Date();
  const until = new Date(from.getTime() + (options.months ?? 24) * 31 * DAY);
  const known = new Set([DRAIN_PATH, ...cronJobs(jobs).map((job) => cronPath(job.options.id))]);

  for (const cron of crons) {
    if (!known.has(cron.path))
      problems.push(`vercel.json cron ${cron.path} matches no cron job in jobs/ (nor the drain)`);
    let schedule: Cron;
    try {
      schedule = utc(cron.schedule);
    } catch (error) {
      problems.push(
        `vercel.json cron ${cron.path} has an invalid schedule "${cron.schedule}": ${(error as Error).message}`,
      );
      continue;
    }
    const fires = schedule.nextRuns(60, from);
    const tooSoon = fires.findIndex((fire, i) => i > 0 && fire.getTime() - fires[i - 1].getTime() < DAY);
    if (tooSoon > 0)
      problems.push(
        `vercel.json cron ${cron.path} ("${cron.schedule}") fires more than once a day; Vercel Hobby refuses that`,
      );
  }
  if (!crons.some((cron) => cron.path === DRAIN_PATH)) problems.push(`vercel.json has no ${DRAIN_PATH} cron`);

  for (const job of cronJobs(jobs)) {
    const entries = crons.filter((cron) => cron.path === cronPath(job.options.id));
    if (entries.length === 0) {
      problems.push(`job ${job.options.id} has cron triggers but vercel.json has no ${cronPath(job.options.id)} entry`);
      continue;
    }
    for (const expression of cronTriggers(job)) {
      for (const slot of scheduleOf(expression).nextRuns(1_000, from)) {
        if (slot > until) break;
        const fires = entries.map(
          (entry) =>
            utc(entry.schedule)
              .nextRun(new Date(slot.getTime() - 1))
              ?.getTime() ?? Infinity,
        );
        const lag = Math.min(...fires) - slot.getTime();
        if (lag > HOUR) {
          problems.push(
            `job ${job.options.id} slot ${slot.toISOString()} ("${expression}"): vercel.json fires ${Number.isFinite(lag) ? `${Math.round(lag / 60_000)} min after` : "never after"} it; it must fire within an hour`,
          );
          break;
        }
      }
    }
  }
  return problems;
}
