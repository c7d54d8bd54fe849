/**
 * CPU time per thread of this process (Linux /proc), for benchmarks of work spread over worker threads on a shared
 * machine: the wall-clock speed-up there depends on whether the second core is free, the threads' CPU times do not.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** CPU ms by thread id. */
export type ThreadCpu = Map<string, number>;

/**
 * CPU time of each thread of this process so far, in ms, from /proc/self/task/<tid>/stat (utime + stime, in clock
 * ticks of 10 ms: only totals over many steps are meaningful). Empty where /proc is missing.
 */
export function threadCpu(): ThreadCpu {
  const out: ThreadCpu = new Map();
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "
      out.set(tid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // utime, stime (fields 14, 15)
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** CPU ms per thread between two snapshots, added to `into`. */
export function addDelta(into: ThreadCpu, before: ThreadCpu, after: ThreadCpu): void {
  for (const [tid, v] of after) into.set(tid, (into.get(tid) ?? 0) + v - (before.get(tid) ?? 0));
}

/**
 * The wall time the work would take on two free cores: the busiest thread's CPU time, or half the total (V8's helper
 * threads — GC, compilation — need cores too), whichever is larger.
 */
export function twoCoreTime(cpu: ThreadCpu): number {
  let total = 0;
  let busiest = 0;
  for (const v of cpu.values()) {
    total += v;
    busiest = Math.max(busiest, v);
  }
  return Math.max(busiest, total / 2);
}
