import { inngestEndpoint } from "@/lib/jobs/inngest/serve";

// Inngest calls this route once per step; a step's work must fit in one invocation.
export const maxDuration = 60;
export const dynamic = "force-dynamic";

/** Inngest's endpoint: GET introspection, PUT sync, POST run a step. 404 unless JOBS_DRIVER=inngest. */
export const GET = inngestEndpoint("GET");
export const POST = inngestEndpoint("POST");
export const PUT = inngestEndpoint("PUT");
