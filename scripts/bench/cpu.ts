import fs from "node:fs";

/** CPU time from /proc (Linux), so a bench section can say whose time a figure is: Node's or PostgreSQL's. */
const TICKS_PER_SECOND = 100;

/** utime + stime (+ reaped children's) of a process, from /proc, in seconds. */
function processCpuSeconds(pid: number, withReapedChildren: boolean): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // Fields after "(comm) ": state is [0], utime [11], stime [12], cutime [13], cstime [14].
    const own = Number(fields[11]) + Number(fields[12]);
    const reaped = withReapedChildren ? Number(fields[13]) + Number(fields[14]) : 0;
    return (own + reaped) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function treeCpuSeconds(pid: number): number {
  return processCpuSeconds(pid, true) + childrenOf(pid).reduce((sum, child) => sum + treeCpuSeconds(child), 0);
}

/** Every process of the PostgreSQL server whose data folder is `dataDir` (its postmaster and the backends). */
export function postgresCpuSeconds(dataDir: string): number {
  const postmaster = Number(fs.readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]);
  return treeCpuSeconds(postmaster);
}
