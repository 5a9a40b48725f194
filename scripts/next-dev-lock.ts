import fs from "node:fs";
import path from "node:path";

export type RunningNextDev = { pid: number; appUrl: string };

/**
 * Next.js 16 runs one `next dev` per folder: the running one holds `.next/dev/lock`,
 * which records its pid and URL, and a second one exits with "Another next dev server
 * is already running" whatever its port. Reading the lock first lets `npm run dev` say
 * so before it starts anything. A lock left by a process that is gone is ignored.
 */
export function runningNextDev(projectDir = process.cwd()): RunningNextDev | undefined {
  let info: { pid?: unknown; appUrl?: unknown };
  try {
    info = JSON.parse(fs.readFileSync(path.join(projectDir, ".next", "dev", "lock"), "utf8"));
  } catch {
    return undefined;
  }
  if (typeof info.pid !== "number" || typeof info.appUrl !== "string") return undefined;
  return isNextProcess(info.pid) ? { pid: info.pid, appUrl: info.appUrl } : undefined;
}

function isNextProcess(pid: number) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // The pid may have been reused since; on Linux, check it still is a Next.js server.
  try {
    return /next/.test(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return true;
  }
}
