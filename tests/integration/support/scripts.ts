import { execFile, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../../..");

/**
 * A script run as its npm script runs it (tsx with tsconfig.scripts.json), loaded into
 * node itself so signals reach the script and not a wrapper process.
 */
const scriptArgs = (script: string, args: string[]) => ["--import", "tsx", `scripts/${script}.ts`, ...args];
const scriptEnv = (env: Record<string, string | undefined>) => ({
  ...process.env,
  TSX_TSCONFIG_PATH: "tsconfig.scripts.json",
  ...env,
});

export type Finished = { code: number; stdout: string; stderr: string };

/** Runs a script to its end. */
export function runScriptToEnd(script: string, args: string[], env: Record<string, string | undefined> = {}) {
  return new Promise<Finished>((resolve) => {
    execFile(
      process.execPath,
      scriptArgs(script, args),
      { cwd: root, env: scriptEnv(env), timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

export type RunningScript = {
  child: ChildProcess;
  output: () => string;
  /** Resolves once the output (stdout and stderr) matches, rejects if the script exits first. */
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<void>;
  exited: Promise<number | null>;
};

/** Starts a long-running script (dev, worker) and collects what it prints. */
export function startScript(script: string, args: string[], env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, scriptArgs(script, args), { cwd: root, env: scriptEnv(env) });
  let output = "";
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(output)) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms; output so far:\n${output}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      void exited.then((code) => {
        if (!listeners.has(check)) return;
        done();
        reject(new Error(`the script exited (${code}) before printing ${pattern}; output:\n${output}`));
      });
      check();
    });
  return { child, output: () => output, waitFor, exited } satisfies RunningScript;
}
