import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";
import { findFreePort } from "@/lib/db/embedded";
import { e2eRunDir } from "../../setup/global";

/**
 * The e2e harness: a real Next.js server on a free port against the calling file's own
 * database (tests/setup/database.ts), and a real Chromium. `next build` runs once per
 * `npm test` run, however many e2e files start at once in their own processes; each
 * file then runs its own `next start`. SLOTLINE_E2E_SERVER=dev uses `next dev` instead.
 */

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = fs.existsSync(chromiumPath);
if (!hasChromium) console.log(`e2e skipped: Chromium not found at ${chromiumPath} (install it, or set CHROMIUM_PATH)`);

const mode = process.env.SLOTLINE_E2E_SERVER === "dev" ? "dev" : "start";
const nextBin = path.join(process.cwd(), "node_modules", ".bin", "next");

export type AppServer = {
  base: string;
  /** What the server printed so far, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
};

function spawnNext(args: string[], env: NodeJS.ProcessEnv, output: string[]): ChildProcess {
  // Its own process group, so stopping it also stops the workers Next forks.
  const child = spawn(nextBin, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk) => output.push(String(chunk)));
  child.stderr?.on("data", (chunk) => output.push(String(chunk)));
  return child;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the file holding a lock, or 0 while the lock is being made or just went away. */
function lockOwner(lock: string) {
  try {
    return Number(fs.readFileSync(path.join(lock, "pid"), "utf8")) || 0;
  } catch {
    return 0;
  }
}

/**
 * A lock between the e2e files of this run (separate processes): mkdir is atomic, and
 * a lock left by a process that died is taken over. `ready` ends the wait early.
 */
async function acquireLock(name: string, ready: () => boolean = () => false): Promise<(() => void) | undefined> {
  const lock = path.join(runDir(), name);
  for (;;) {
    if (ready()) return undefined;
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      return () => fs.rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = lockOwner(lock);
      if (owner && !isAlive(owner)) fs.rmSync(lock, { recursive: true, force: true });
      await sleep(250);
    }
  }
}

function runDir() {
  const dir = e2eRunDir(inject("e2eRunToken"));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

type BuildResult = { ok: boolean; output: string };

/**
 * How long an e2e file's beforeAll may take: it may wait for another file's `next build`
 * and then build itself. With both cores busy a build has taken over 240 s; this leaves
 * room for that twice over.
 */
export const APP_SERVER_SETUP_TIMEOUT_MS = 600_000;

/**
 * `next build` once per run: the first file to take the lock builds and writes the
 * marker, the others wait for the marker. Both are named by the run's token
 * (tests/setup/global.ts), so the next run builds again.
 */
async function buildOnce(env: NodeJS.ProcessEnv) {
  const marker = path.join(runDir(), "build.json");
  const release = await acquireLock("build.lock", () => fs.existsSync(marker));
  if (release) {
    try {
      if (!fs.existsSync(marker)) {
        const output: string[] = [];
        const build = spawnNext(["build"], { ...env, NODE_ENV: "production" }, output);
        const code = await new Promise<number | null>((resolve) => build.once("exit", resolve));
        const result: BuildResult = { ok: code === 0, output: output.join("").slice(-6000) };
        // Written whole, then renamed: a waiting file never reads half a marker.
        fs.writeFileSync(`${marker}.tmp`, JSON.stringify(result));
        fs.renameSync(`${marker}.tmp`, marker);
      }
    } finally {
      release();
    }
  }
  const result = JSON.parse(fs.readFileSync(marker, "utf8")) as BuildResult;
  if (!result.ok) throw new Error(`next build failed:\n${result.output}`);
}

async function waitForServer(server: ChildProcess, url: string, output: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next exited early:\n${output.join("")}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  throw new Error(`next did not answer at ${url} within ${timeoutMs} ms:\n${output.join("").slice(-4000)}`);
}

/** Starts the app on a free port against this file's DATABASE_URL; `env` adds or overrides variables. */
export async function startAppServer(options: { env?: Record<string, string> } = {}): Promise<AppServer> {
  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL,
    APP_URL: base,
    PORT: String(port),
    BETTER_AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456789",
    CRON_SECRET: "e2e-cron-secret-0123456789",
    NEXT_TELEMETRY_DISABLED: "1",
    ...options.env,
  };
  const output: string[] = [];
  let server: ChildProcess;
  let releaseDevLock: (() => void) | undefined;
  if (mode === "start") {
    await buildOnce(env);
    server = spawnNext(
      ["start", "--port", String(port), "--hostname", "127.0.0.1"],
      { ...env, NODE_ENV: "production" },
      output,
    );
  } else {
    // `next dev` allows one server per project directory: the files take turns.
    releaseDevLock = await acquireLock("dev.lock");
    server = spawnNext(
      ["dev", "--port", String(port), "--hostname", "127.0.0.1"],
      { ...env, NODE_ENV: "development" },
      output,
    );
  }
  const stop = async () => {
    if (server.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      process.kill(-server.pid, "SIGTERM");
      await exited;
    }
    releaseDevLock?.();
  };
  try {
    await waitForServer(server, `${base}/sign-in`, output, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, output: () => output.join(""), stop };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Signs in through the real sign-in form (the only way in: better-auth's HTTP sign-in
 * endpoint is disabled so its rate limit cannot be bypassed), in a new page of `context`,
 * and waits until it lands on `landsOn` (any page but /sign-in when not given).
 */
export async function signInAs(
  context: BrowserContext,
  email: string,
  password: string,
  landsOn?: string,
): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => (landsOn ? url.pathname === landsOn : !url.pathname.startsWith("/sign-in")));
  return page;
}

/** Signs in (signInAs) and returns the session cookie as a Cookie header, for plain `fetch` calls. */
export async function signInCookie(browser: Browser, base: string, email: string, password: string): Promise<string> {
  const context = await browser.newContext({ baseURL: base });
  try {
    await signInAs(context, email, password);
    const cookies = await context.cookies(base);
    if (cookies.length === 0) throw new Error(`sign-in as ${email} set no cookie`);
    return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
  } finally {
    await context.close();
  }
}
