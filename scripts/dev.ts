import "./load-env";
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { closeDb } from "@/lib/db/client";
import { explainDatabaseError, openDevDatabase, redactUrl, type OpenDatabase } from "@/lib/db/dev-database";
import { migrateDatabase } from "@/lib/db/migrate";
import { DEMO, seedDemo } from "@/lib/db/seed";
import { cronSecret, resetEnv } from "@/lib/env";
import { startLocalScheduler } from "@/lib/jobs/local-scheduler";

/**
 * `npm run dev`: the database (embedded unless DATABASE_URL is set), migrations, the
 * demo clinic on first start, then `next dev`. Ctrl-C stops everything it started.
 */

async function assertPortFree(port: number) {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
  if (!free) {
    throw new Error(
      `Port ${port} is already in use (another \`npm run dev\`?). Stop that process, or start on another port: PORT=3001 npm run dev`,
    );
  }
}

export type DevServer = { database: OpenDatabase; next: ChildProcess; appUrl: string; stop: () => Promise<void> };

export async function startDev(options: { port?: number } = {}): Promise<DevServer> {
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  await assertPortFree(port);
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
    throw new Error(`Preparing the database failed: ${explainDatabaseError(error, database.url)}`);
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
      scheduler?.stop();
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
  dev.next.once("exit", async (code) => {
    await dev.stop();
    process.exit(code ?? 0);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    // Our errors (busy port, embedded database, migration) already say what to do.
    console.error(error instanceof Error ? `\n${error.message}\n` : error);
    process.exit(1);
  });
}
