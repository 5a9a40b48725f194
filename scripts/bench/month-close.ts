import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createElement } from "react";
import { sql } from "drizzle-orm";
import { computeMonthlySummary } from "@/lib/billing/summary";
import { db } from "@/lib/db/client";
import { writeToOutbox } from "@/lib/email/outbox";
import { renderEmail } from "@/lib/email/render";
import { BillingSummaryEmail } from "@/lib/email/templates/billing-summary";
import { cronSlotAt, createCronRun } from "@/lib/jobs/cron";
import { postgresCpuSeconds, treeCpuSeconds } from "./cpu";
import { printTable } from "./report";
import { buildMonthCloseFixture } from "./month-close-fixture";

/** The NODE_ENVs the bench can start the worker with (`--node-env`). */
export const WORKER_NODE_ENVS = ["production", "development"] as const;
type WorkerNodeEnv = (typeof WORKER_NODE_ENVS)[number];

/**
 * The environment the worker runs in. In production, as a deployment runs it (README,
 * "Self-hosting"): NODE_ENV=production and the variables production requires, so React
 * renders the emails with its production build. `--node-env development` runs it as
 * `npm run worker` runs on a laptop, where React's development build costs the worker about
 * 40 to 60% more CPU.
 */
function workerEnvironment(nodeEnv: WorkerNodeEnv) {
  if (nodeEnv === "development") return { NODE_ENV: nodeEnv };
  return {
    NODE_ENV: nodeEnv,
    APP_URL: "https://bench.slotline.example",
    CRON_SECRET: randomBytes(24).toString("hex"),
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
  };
}

/**
 * `npm run bench -- month-close [--clinics N] [--node-env production|development]`: the 1st of
 * the month for N clinics (default 10,000, 200 bookings each). Builds the fixture, starts
 * `npm run worker` with its defaults (4 lanes; outbox email: RESEND_API_KEY unset) and
 * NODE_ENV=production unless told otherwise, triggers billing-summary-monthly
 * and times it until every summary is stored and every owner's email written. Then says
 * where the time went: CPU of the worker and of PostgreSQL, the statements that took
 * the most SQL time (pg_stat_statements), and the billing parts timed one by one.
 */
export async function benchMonthClose(
  server: { url: string; dataDir: string },
  clinics: number,
  nodeEnv: WorkerNodeEnv,
) {
  const slot = cronSlotAt("TZ=Europe/London 0 6 1 * *", new Date())!;
  const period = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit" })
    .format(new Date(slot.getTime() - 86_400_000))
    .slice(0, 7);
  console.log(`Month close: ${clinics} clinics, ${clinics * 200} bookings in ${period}, slot ${slot.toISOString()}`);
  console.log(`worker: npm run worker, its defaults, NODE_ENV=${nodeEnv}`);
  let started = performance.now();
  await buildMonthCloseFixture({ clinics, perClinic: 200, monthStart: `${period}-01`, log: console.log });
  console.log(`fixture built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

  await db.execute(sql`create extension if not exists pg_stat_statements`);
  const worker = spawn("npm", ["run", "-s", "worker"], {
    env: { ...process.env, DATABASE_URL: server.url, RESEND_API_KEY: "", ...workerEnvironment(nodeEnv) },
    stdio: ["ignore", "pipe", "inherit"],
    // Its own process group: npm, tsx and node all get the SIGTERM below.
    detached: true,
  });
  worker.stdout.resume();
  await new Promise<void>((resolve, reject) => {
    worker.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
    worker.once("exit", (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
  });
  await db.execute(sql`select pg_stat_statements_reset()`);
  const cpuBefore = { worker: treeCpuSeconds(worker.pid!), postgres: postgresCpuSeconds(server.dataDir) };

  started = performance.now();
  await createCronRun("billing-summary-monthly", slot);
  for (;;) {
    const [done] = (await db.execute(sql`
      select (select count(*) from billing_summaries where period = ${period})::int as summaries,
             (select count(*) from email_outbox where idempotency_key like 'billing-summary:%')::int as emails
    `)) as unknown as { summaries: number; emails: number }[];
    if (done.summaries >= clinics && done.emails >= clinics) break;
    // Each look counts both tables (a few ms of PostgreSQL's time, which the run needs):
    // once a second, then every 100 ms for the last 5%, so the end is timed to 0.1 s.
    const close = done.summaries >= clinics && done.emails >= clinics * 0.95;
    await new Promise((resolve) => setTimeout(resolve, close ? 100 : 1000));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = {
    worker: treeCpuSeconds(worker.pid!) - cpuBefore.worker,
    postgres: postgresCpuSeconds(server.dataDir) - cpuBefore.postgres,
  };
  const exited = new Promise((resolve) => worker.once("exit", resolve));
  process.kill(-worker.pid!, "SIGTERM");
  await exited;

  console.log(
    `every summary stored and every owner emailed in ${seconds.toFixed(1)} s: ${((seconds * 1000) / clinics).toFixed(2)} ms per clinic`,
  );
  console.log(
    `CPU: worker (Node) ${cpu.worker.toFixed(1)} s = ${((cpu.worker * 1000) / clinics).toFixed(2)} ms per clinic, ` +
      `PostgreSQL ${cpu.postgres.toFixed(1)} s = ${((cpu.postgres * 1000) / clinics).toFixed(2)} ms per clinic ` +
      `(together ${((cpu.worker + cpu.postgres) / seconds).toFixed(2)} cores busy on average)\n`,
  );
  await printTopStatements();
  await timeBillingParts(period);
}

async function printTopStatements() {
  const rows = (await db.execute(sql`
    select calls::int, total_exec_time::float8 as total_ms, mean_exec_time::float8 as mean_ms,
           100 * total_exec_time / sum(total_exec_time) over () as share,
           regexp_replace(query, '\\s+', ' ', 'g') as query
    from pg_stat_statements
    where query not like '%pg_stat_statements%'
    order by total_exec_time desc limit 10
  `)) as unknown as { calls: number; total_ms: number; mean_ms: number; share: number; query: string }[];
  console.log("SQL time by statement (pg_stat_statements, server side):");
  printTable(
    ["calls", "total ms", "mean ms", "share", "statement"],
    rows.map((row) => [
      String(row.calls),
      row.total_ms.toFixed(0),
      row.mean_ms.toFixed(3),
      `${row.share.toFixed(1)}%`,
      row.query.slice(0, 90),
    ]),
  );
  console.log("");
}

/** The billing parts of one clinic's run, each timed alone over 200 clinics. */
async function timeBillingParts(period: string) {
  const sample = (await db.execute(sql`
    select s.clinic_id, s.id, c.name from billing_summaries s join clinics c on c.id = s.clinic_id
    where s.period = ${period} order by s.clinic_id limit 200
  `)) as unknown as { clinic_id: string; id: string; name: string }[];
  const timings = { compute: 0, render: 0, outbox: 0 };
  for (const [index, row] of sample.entries()) {
    let at = performance.now();
    const summary = await computeMonthlySummary(row.clinic_id, period);
    timings.compute += performance.now() - at;
    at = performance.now();
    const { html, text } = await renderEmail(
      createElement(BillingSummaryEmail, {
        ownerName: "Owner",
        clinicName: row.name,
        summary,
        dashboardUrl: "http://localhost:3000/dashboard/billing",
      }),
    );
    timings.render += performance.now() - at;
    at = performance.now();
    await writeToOutbox({ to: "o@bench.example", subject: "s", html, text, idempotencyKey: `bench-parts:${index}` });
    timings.outbox += performance.now() - at;
  }
  await db.execute(sql`delete from email_outbox where idempotency_key like 'bench-parts:%'`);
  const per = (ms: number) => (ms / sample.length).toFixed(2);
  // This process's React build follows its own NODE_ENV (unset under `npm run bench`: development), not the worker's.
  console.log(
    `Billing parts, one clinic at a time (mean over ${sample.length} clinics, wall clock in this process, ` +
      `NODE_ENV=${process.env.NODE_ENV ?? "unset"}):`,
  );
  printTable(
    ["part", "ms"],
    [
      ["computeMonthlySummary (one statement)", per(timings.compute)],
      ["render the email (HTML + text)", per(timings.render)],
      ["write it to email_outbox", per(timings.outbox)],
    ],
    1,
  );
}
