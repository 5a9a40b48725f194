import "./load-env";
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { closeDb } from "@/lib/db/client";
import { openDevDatabase, redactUrl, type OpenDatabase } from "@/lib/db/dev-database";
import { migrateDatabase } from "@/lib/db/migrate";
import { DEMO, seedDemo } from "@/lib/demo/seed";
import { cronSecret, scriptVariable, resetEnv } from "@/lib/env";
import { startLocalScheduler } from "@/lib/jobs/local-scheduler";
import { CannotStartError, runScript } from "@/lib/script-failure";
import { runningNextDev } from "./next-dev-lock";

/**
 * `npm run dev`: the database (embedded unless DATABASE_URL is set), migrations, the
 * demo clinic on first start, then `next dev`. Ctrl-C stops everything it started.
 */

/** The first free port above `port`, to suggest instead of a busy one. */
async function nextFreePort(port: number) {
  for (let candidate = port + 1; candidate < port + 100; candidate++) if (await isPortFree(candidate)) return candidate;
  return port + 1;
}

function isPortFree(port: number) {
  return new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/**
 * Refuses to start what cannot work, with advice that does: Next.js allows one
 * `next dev` per folder (on any port), so a second `npm run dev` here is pointed at the
 * running one; a port taken by anything else gets a free port to use instead.
 */
async function assertCanStart(port: number) {
  const running = runningNextDev();
  if (running) {
    throw new CannotStartError(
      `A Next.js dev server for this folder is already running at ${running.appUrl} (pid ${running.pid}).\n` +
        "Next.js runs one `next dev` per folder, so a second `npm run dev` here cannot start, on this port or another.\n" +
        `Use the running one at ${running.appUrl}, stop it (Ctrl-C in its terminal, or kill ${running.pid}), ` +
        "or start a second copy from another clone of the repository with its own ports (PORT=3001 PGPORT=54330 npm run dev).",
    );
  }
  if (!(await isPortFree(port))) {
    const free = await nextFreePort(port);
    throw new CannotStartError(
      `Port ${port} is already in use by another program. Stop it, or start on a free port: PORT=${free} npm run dev`,
    );
  }
}

export type DevServer = { database: OpenDatabase; next: ChildProcess; appUrl: string; stop: () => Promise<void> };

export async function startDev(options: { port?: number } = {}): Promise<DevServer> {
  const port = options.port ?? scriptVariable("PORT");
  await assertCanStart(port);
  const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
  process.env.APP_URL = appUrl;
  resetEnv();

  const database = await openDevDatabase();
  console.log(
    `Database: ${redactUrl(database.url)}${database.source === "embedded" ? " (embedded PostgreSQL, data in .data/)" : ""}`,
  );
  try {
    await migrateDatabase(database.url);
    const { created } = await seedDemo();
    if (created) console.log(`Seeded the demo clinic "${DEMO.clinicName}".`);
  } catch (error) {
    await closeDb();
    await database.stop();
    throw error;
  }

  const nextBin = path.join(process.cwd(), "node_modules", ".bin", "next");
  const next = spawn(nextBin, ["dev", "--port", String(port)], {
    stdio: ["inherit", "pipe", "inherit"],
    env: { ...process.env, DATABASE_URL: database.url, APP_URL: appUrl },
  });
  let announced = false;
  // Vercel Cron's stand-in: fires the vercel.json crons and drains due jobs once Next is up.
  let scheduler: ReturnType<typeof startLocalScheduler> | undefined;
  next.stdout?.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && /ready/i.test(chunk.toString())) {
      announced = true;
      scheduler ??= startLocalScheduler({ baseUrl: appUrl, cronSecret: cronSecret() });
      console.log(
        `\n  Slotline is running at ${appUrl}\n` +
          `  Demo login:    ${DEMO.email} / ${DEMO.password}  (${appUrl}/sign-in)\n` +
          `  Booking page:  ${appUrl}/book/${DEMO.slug}\n`,
      );
    }
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      void scheduler?.stop();
      if (next.exitCode === null) {
        next.kill("SIGTERM");
        await new Promise((resolve) => next.once("exit", resolve));
      }
      await closeDb();
      // Ctrl-C reaches the embedded PostgreSQL too (same process group) and it may
      // already be gone; do not wait forever for an exit that has happened.
      await Promise.race([database.stop(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    })());
  return { database, next, appUrl, stop };
}

async function main() {
  const dev = await startDev();
  const shutdown = async () => {
    await dev.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  const code = await new Promise<number | null>((resolve) => dev.next.once("exit", resolve));
  await dev.stop();
  return code ?? 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runScript(main);
