import { isAuthorizedCronRequest, unauthorizedCronResponse } from "@/lib/jobs/cron-auth";
import { processDueWork } from "@/lib/jobs/work";

// FUNCTION_MAX_DURATION_S (lib/jobs/function-limit.ts), as in vercel.json; the drain budget stays below it.
export const maxDuration = 300;
export const dynamic = "force-dynamic";

/** Vercel Cron: runs every due Postgres run (also leftovers after a flip to Inngest). */
export async function GET(request: Request) {
  if (!isAuthorizedCronRequest(request)) return unauthorizedCronResponse();
  return Response.json(await processDueWork());
}
