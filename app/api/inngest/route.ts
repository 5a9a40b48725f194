import { withBodyLimit } from "@/lib/http/route-body-limit";
import { inngestEndpoint } from "@/lib/jobs/inngest/serve";

// Vercel's own request limit (4.5 MB); larger run state Inngest loads through its API instead.
const INNGEST_BODY_LIMIT = 4.5 * 1024 * 1024;

// Inngest calls this route once per step; a step's work must fit in one invocation.
export const maxDuration = 60;
export const dynamic = "force-dynamic";

/** Inngest's endpoint: GET introspection, PUT sync, POST run a step. 404 unless JOBS_DRIVER=inngest. */
export const GET = inngestEndpoint("GET");
export const POST = withBodyLimit(INNGEST_BODY_LIMIT, inngestEndpoint("POST"));
export const PUT = withBodyLimit(INNGEST_BODY_LIMIT, inngestEndpoint("PUT"));
