import { defineJob } from "@/lib/jobs/define";

/**
 * Jobs shared by the worker test and the worker process it spawns. WORKER_STEP_MODE
 * makes the second step hang (for SIGKILL) or run slowly (for SIGTERM) in the child;
 * in the test process it finishes at once.
 */
export const stepTwoMode = () => process.env.WORKER_STEP_MODE ?? "fast";

export const crashableJob = defineJob(
  { id: "crashable", triggers: [{ event: "booking/created" }], retries: 3 },
  async ({ step, runId }) => {
    const first = await step.run("first", () => ({ pid: process.pid }));
    await step.run("second", async () => {
      process.stdout.write(`IN_STEP_TWO ${runId}\n`);
      if (stepTwoMode() === "hang") await new Promise(() => {});
      if (stepTwoMode() === "slow") await new Promise((resolve) => setTimeout(resolve, 1_500));
      return { pid: process.pid };
    });
    await step.run("third", () => ({ pid: process.pid }));
    return first;
  },
);

export const quickJob = defineJob({ id: "quick", triggers: [{ event: "booking/cancelled" }] }, async ({ step }) =>
  step.run("only", () => ({ pid: process.pid })),
);

export const workerJobs = [crashableJob, quickJob];

/** A registry with a cron job (WORKER_REGISTRY=cron): the worker creates its slot's run itself. */
export const WORKER_CRON = "TZ=Europe/London 0 6 1 * *";
export const cronWorkerJobs = [
  defineJob({ id: "worker-cron", triggers: [{ cron: WORKER_CRON }] }, async ({ step }) =>
    step.run("report", () => ({ pid: process.pid })),
  ),
];
