import type { JobDefinition } from "@/lib/jobs/types";

/**
 * The registry: every job Slotline runs. Add a job by writing a file in jobs/ and
 * listing it here; both drivers read this list.
 */
export const jobs: JobDefinition[] = [];
