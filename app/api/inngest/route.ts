import { withBodyLimit } from "@/lib/http/route-body-limit";
import { inngestEndpoint } from "@/lib/jobs/inngest/serve";

// Vercel's own request limit (4.5 MB); larger run state Inngest loads through its API instead.
const INNGEST_BODY_LIMIT = 4.5 * 1024 * 1024;

// SDK v4 checkpoints by default: one call runs step after step, reporting each result to
// Inngest as it finishes, until about 10 s have gone by (DefaultMaxRuntime.serve); then it
// hands back and Inngest calls again for the rest. A call may run several steps, but one
// step never spans two calls: every single step must finish within maxDuration
// (FUNCTION_MAX_DURATION_S, lib/jobs/function-limit.ts).
export const maxDuration = 300;
export const dynamic = "force-dynamic";

/**
 * Inngest's endpoint: GET introspection, PUT sync (registers the functions at APP_URL/api/inngest,
 * whatever the request's Host), POST runs steps. 404 unless JOBS_DRIVER=inngest (or in-flight leftovers).
 */
export const GET = inngestEndpoint("GET");
export const POST = withBodyLimit(INNGEST_BODY_LIMIT, inngestEndpoint("POST"));
export const PUT = withBodyLimit(INNGEST_BODY_LIMIT, inngestEndpoint("PUT"));
