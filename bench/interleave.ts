/**
 * Interleaved comparisons for a shared, loaded machine: every contender is measured in short batches, round after
 * round, in a rotating order, so all of them see the same load; each reports the median of its rounds (and the
 * spread). Contenders may live outside the process (a Python peer answering over a pipe), so sampling is async.
 *
 * Clock: CPU time of the process (`process.cpuUsage`) when `clock` is `'cpu'` (the default), which does not count
 * time the scheduler gives to other processes; wall time otherwise. Both sides of a comparison use the same clock.
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';

/** Measures one batch of about `batchMs` and returns milliseconds per call. */
export type Sampler = (batchMs: number) => number | Promise<number>;

/** Which clock a local sampler reads. */
export type Clock = 'cpu' | 'wall';

/** Per-contender result: median and quartiles of the per-round times, ms per call. */
export interface Stats {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  /** The time of each round, in round order (for ratios paired by round). */
  readonly byRound: readonly number[];
}

/** Options of {@link interleave}. */
export interface InterleaveOptions {
  /** Rounds (each contender once per round). Default 9. */
  rounds?: number;
  /** Target length of one batch, ms. Default 30. */
  batchMs?: number;
}

function now(clock: Clock): number {
  if (clock === 'wall') return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * A sampler for a local function: calibrates the number of calls per batch on first use (after a warm-up of
 * `warmupMs`), then times whole batches on `clock`.
 */
export function local(fn: () => unknown, clock: Clock = 'cpu', warmupMs = 150): Sampler {
  let reps = 0, settle = false;
  let sink: unknown;
  return (batchMs) => {
    if (reps === 0) {
      const t0 = performance.now();
      let calls = 0;
      while (performance.now() - t0 < warmupMs || calls < 2) {
        sink = fn();
        calls++;
      }
      const per = (performance.now() - t0) / calls;
      reps = Math.max(1, Math.round(batchMs / Math.max(per, 1e-6)));
      settle = per >= SETTLE_FROM_MS;
    }
    if (settle) settleHeap();
    const start = now(clock);
    for (let r = 0; r < reps; r++) sink = fn();
    const elapsed = now(clock) - start;
    keep(sink);
    return elapsed / reps;
  };
}

/**
 * A full garbage collection before each batch of calls of a millisecond or more, so that a batch pays for the
 * collections its own allocations cause and not for the garbage the previous contender left (in an interleaved run of
 * allocation-heavy calls the debt otherwise moves to whichever sampler runs next: one run measured a JVP slower than
 * the whole call containing it). Not for shorter calls: after a full collection V8 resizes its young generation, which
 * moves microsecond timings by more than the debt does.
 */
const SETTLE_FROM_MS = 1;

const collect: (() => void) | undefined = (() => {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
})();

function settleHeap(): void {
  collect?.();
}

let kept: unknown;
function keep(x: unknown): void {
  kept = x;
}
/** The last value a local sampler produced (so nothing is optimised away). */
export function lastKept(): unknown {
  return kept;
}

function quantile(sorted: number[], p: number): number {
  const i = (sorted.length - 1) * p, lo = Math.floor(i), hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** Measures every sampler once per round, rotating the order, and returns their statistics by name. */
export async function interleave(samplers: Record<string, Sampler>, options: InterleaveOptions = {}): Promise<Record<string, Stats>> {
  const { rounds = 9, batchMs = 30 } = options;
  const names = Object.keys(samplers);
  const times: Record<string, number[]> = {};
  for (const n of names) times[n] = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const n = names[(i + r) % names.length];
      times[n].push(await samplers[n](batchMs));
    }
  }
  const out: Record<string, Stats> = {};
  for (const n of names) {
    const s = [...times[n]].sort((a, b) => a - b);
    out[n] = { median: quantile(s, 0.5), q1: quantile(s, 0.25), q3: quantile(s, 0.75), byRound: times[n] };
  }
  return out;
}

/**
 * The median over rounds of a's time / b's time in the same round: both were measured within one round, under
 * nearly the same load, so this is steadier than the ratio of the medians when the load drifts.
 */
export function pairedRatio(a: Stats, b: Stats): number {
  const r = a.byRound.map((t, i) => t / b.byRound[i]).sort((x, y) => x - y);
  return quantile(r, 0.5);
}

/** The 1-minute load average, for the notes of a section. */
export function loadNow(): string {
  return os.loadavg()[0].toFixed(2);
}
