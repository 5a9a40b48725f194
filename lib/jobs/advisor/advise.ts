import "server-only";
import { activeDriver } from "../driver";
import { resolveJobs, type JobList } from "../registry";
import { ADVISOR_THRESHOLDS, type AdvisorThresholds } from "./thresholds";
import { judgeQueue, type Advice } from "./verdict";

/** `npm run jobs -- advise` and the panel on /admin/jobs: stay on Postgres, watch, or flip to Inngest. */
export async function adviseOnQueue(options: { jobs?: JobList; thresholds?: AdvisorThresholds } = {}): Promise<Advice> {
  return judgeQueue(
    await activeDriver().runs.figures(),
    resolveJobs(options.jobs),
    options.thresholds ?? ADVISOR_THRESHOLDS,
  );
}
