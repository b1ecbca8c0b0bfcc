/** Percentiles, formatting and CPU accounting for the benchmark. */
import fs from 'node:fs';

/** Sorted copy of all samples; `missing` deliveries count as infinitely late. */
export function sortedWithMissing(samples: Float64Array[], missing = 0): Float64Array {
  const total = samples.reduce((n, s) => n + s.length, 0) + Math.max(0, missing);
  const all = new Float64Array(total);
  let offset = 0;
  for (const s of samples) {
    all.set(s, offset);
    offset += s.length;
  }
  all.fill(Infinity, offset);
  return all.sort();
}

/** Nearest-rank percentile (p in 0..100) of sorted samples. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const fmtMs = (ms: number) => (Number.isFinite(ms) ? (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)) : '∞');
export const fmtRatio = (r: number) => (Number.isFinite(r) ? r.toFixed(2) : String(r));
export const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/** Busy fraction of an event loop between two `performance.eventLoopUtilization()` readings. */
export function eluBetween(a: { idle: number; active: number }, b: { idle: number; active: number }): number {
  const active = b.active - a.active;
  const total = active + (b.idle - a.idle);
  return total > 0 ? active / total : 0;
}

/** CPU milliseconds between two `process.cpuUsage()` readings. */
export const cpuMsBetween = (a: { user: number; system: number }, b: { user: number; system: number }) => (b.user - a.user + b.system - a.system) / 1000;

const CLOCK_TICKS = 100;

/** CPU time (clock ticks) so far of a PostgreSQL postmaster and each of its backends, by pid (read from /proc). */
export function postgresCpuTicks(postmasterPid: number | undefined): Map<number, number> {
  const ticks = new Map<number, number>();
  if (!postmasterPid) return ticks;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name (which may hold spaces) start at state: ppid is the 2nd, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(entry) === postmasterPid || Number(fields[1]) === postmasterPid) ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

/**
 * CPU milliseconds PostgreSQL used between two readings: per process, so that a backend closing
 * in between (the pool drops idle connections) does not count negative; a new one counts in full.
 */
export function postgresCpuMsBetween(before: Map<number, number>, after: Map<number, number>): number {
  if (!after.size) return NaN;
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - Math.min(t, before.get(pid) ?? 0);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** The open-files limit of this process (children inherit it). */
export function openFilesLimit(): number {
  try {
    const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    return Number(line?.trim().split(/\s+/)[3]) || NaN;
  } catch {
    return NaN;
  }
}

/** The median duration (ms) of `runs` calls of `run`, after `warmups` untimed ones that warm caches and plans. */
export async function medianTime(run: () => Promise<unknown>, runs: number, warmups: number): Promise<number> {
  for (let i = 0; i < warmups; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}
