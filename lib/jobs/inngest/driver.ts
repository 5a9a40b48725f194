import "server-only";
import type { JobsDriver } from "../driver";
import { postgresRunLedger } from "../postgres/driver";
import { relayEventsToInngest } from "./relay";

/**
 * JOBS_DRIVER=inngest: events still commit with the sender's transaction (the outbox),
 * then the relay sends them to Inngest with their ids, and Inngest runs the same job
 * code through /api/inngest. Inngest owns the crons. Postgres runs started before the
 * flip keep draining, and are what `npm run jobs` and /admin/jobs show; Inngest's own
 * runs are in its dashboard.
 */
export const inngestDriver: JobsDriver = {
  name: "inngest",
  subscriptions: () => [],
  startRuns: async () => [],
  createDueCronRuns: async () => [],
  async runCronSlot() {
    return { owned: false, note: "JOBS_DRIVER=inngest: Inngest runs this cron; no Postgres run was created" };
  },
  async deliverOutbox(options) {
    return {
      driver: "inngest",
      ...(await relayEventsToInngest({ client: options.client, budgetMs: options.budgetMs })),
    };
  },
  inngestEndpoint: "all",
  runs: postgresRunLedger,
  dashboardUrl: "https://app.inngest.com",
};
