// CPU time and memory of a process from /proc (Linux): utime + stime in clock
// ticks (USER_HZ, 100 on Linux), of a process tree too; the peak resident set
// (VmHWM) and samples of the current one (VmRSS).
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name, or undefined if the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields after it start past the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) the process has used so far, or undefined if it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND : undefined;
}

/**
 * CPU seconds of a process and all its descendants: its own and those of the
 * children it reaped (cutime + cstime), plus every live descendant's. A child
 * that ends between two readings moves from the second term to the first with
 * its whole time, so the difference of two readings is the tree's CPU between
 * them. For servers that fork workers: PostgreSQL's backends.
 */
export function treeCpuSeconds(pid: number): number | undefined {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))?.[1]);
    if (Number.isFinite(ppid)) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const own = (p: number) => {
    const fields = statFields(p);
    // utime, stime, cutime, cstime: fields 14–17.
    return fields
      ? (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND
      : undefined;
  };
  const root = own(pid);
  if (root === undefined) return undefined;
  let total = root;
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length > 0) {
    const child = stack.pop()!;
    total += own(child) ?? 0;
    stack.push(...(children.get(child) ?? []));
  }
  return total;
}

function statusKb(pid: number, field: string): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident memory in MiB (VmHWM). */
export const peakRssMiB = (pid: number) => {
  const kb = statusKb(pid, 'VmHWM');
  return kb === undefined ? undefined : kb / 1024;
};

/** Current resident memory in MiB (VmRSS). */
export const rssMiB = (pid: number) => {
  const kb = statusKb(pid, 'VmRSS');
  return kb === undefined ? undefined : kb / 1024;
};

/** CPU seconds of several processes at once, by name; the groups named in `trees` with their descendants. */
export function cpuSnapshot(
  pids: Record<string, number[]>,
  trees: ReadonlySet<string> = new Set(),
): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [name, list] of Object.entries(pids))
    result[name] = list.reduce((sum, pid) => sum + ((trees.has(name) ? treeCpuSeconds(pid) : cpuSeconds(pid)) ?? 0), 0);
  return result;
}

/** Samples the resident memory (VmRSS) of processes at an interval: the most each had, and how many samples. */
export function sampleRss(pids: number[], intervalMs = 250) {
  const max = pids.map(() => 0);
  let samples = 0;
  const take = () => {
    samples++;
    pids.forEach((pid, i) => {
      max[i] = Math.max(max[i]!, rssMiB(pid) ?? 0);
    });
  };
  const startMiB = pids.map((pid) => Math.round((rssMiB(pid) ?? 0) * 10) / 10);
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { startMiB, maxMiB: max.map((value) => Math.round(value * 10) / 10), samples, intervalMs };
    },
  };
}

/** The machine, for the report. */
export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  return {
    cpuModel: model,
    cores,
    memoryGiB: Math.round((memKb / 1024 / 1024) * 10) / 10,
    node: process.version,
    loadavgAtStart: loadavg,
  };
}

export function loadavg(): number[] {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}
