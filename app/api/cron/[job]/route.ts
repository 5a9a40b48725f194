import { isAuthorizedCronRequest, unauthorizedCronResponse } from "@/lib/jobs/cron-auth";
import { runCronJob } from "@/lib/jobs/work";

// FUNCTION_MAX_DURATION_S (lib/jobs/function-limit.ts), as in vercel.json; the drain budget stays below it.
export const maxDuration = 300;
export const dynamic = "force-dynamic";

/** Vercel Cron for one cron job: creates the run of the slot due now (deduplicated), then drains. */
export async function GET(request: Request, context: { params: Promise<{ job: string }> }) {
  if (!isAuthorizedCronRequest(request)) return unauthorizedCronResponse();
  const { job } = await context.params;
  const result = await runCronJob(job);
  return Response.json(result.body, { status: result.status });
}
