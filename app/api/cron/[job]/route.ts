import { isAuthorizedCronRequest, unauthorizedCronResponse } from "@/lib/jobs/cron-auth";
import { runCronJob } from "@/lib/jobs/work";

// Keep in step with vercel.json; the drain budget (lib/jobs/work.ts) stays below it.
export const maxDuration = 60;
export const dynamic = "force-dynamic";

/** Vercel Cron for one cron job: creates the run of the slot due now (deduplicated), then drains. */
export async function GET(request: Request, context: { params: Promise<{ job: string }> }) {
  if (!isAuthorizedCronRequest(request)) return unauthorizedCronResponse();
  const { job } = await context.params;
  const result = await runCronJob(job);
  return Response.json(result.body, { status: result.status });
}
