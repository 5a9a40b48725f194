import { isAuthorizedCronRequest, unauthorizedCronResponse } from "@/lib/jobs/cron-auth";
import { processDueWork } from "@/lib/jobs/work";

// Keep in step with vercel.json; the drain budget (lib/jobs/work.ts) stays below it.
export const maxDuration = 60;
export const dynamic = "force-dynamic";

/** Vercel Cron: runs every due Postgres run (also leftovers after a flip to Inngest). */
export async function GET(request: Request) {
  if (!isAuthorizedCronRequest(request)) return unauthorizedCronResponse();
  return Response.json(await processDueWork());
}
