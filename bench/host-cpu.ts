// The host CPU time of this process's descendants (the browser the bench started), from Linux's /proc.
import { readdirSync, readFileSync } from "node:fs";

/** Linux's clock ticks per second for the times in /proc/<pid>/stat (USER_HZ). */
const CLOCK_TICKS_PER_S = 100;

interface ProcessTimes {
  parent: number;
  cpuSeconds: number;
}

function processTimes(pid: string): ProcessTimes | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // NOTE: after the command name in parentheses, which may hold spaces: state, ppid, ... utime, stime.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { parent: Number(fields[1]), cpuSeconds: ticks / CLOCK_TICKS_PER_S };
  } catch {
    return undefined; // it ended meanwhile
  }
}

/** User and system CPU seconds of every live descendant of `root` (this process by default). */
export function descendantsCpuSeconds(root = process.pid): number {
  const all = new Map<number, ProcessTimes>();
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    const times = processTimes(pid);
    if (times) all.set(Number(pid), times);
  }
  const isDescendant = (pid: number): boolean => {
    for (let at = all.get(pid)?.parent; at !== undefined && at > 0; at = all.get(at)?.parent)
      if (at === root) return true;
    return false;
  };
  let seconds = 0;
  for (const [pid, times] of all) if (isDescendant(pid)) seconds += times.cpuSeconds;
  return seconds;
}
