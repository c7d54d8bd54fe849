/**
 * Data-parallel gradients: one logistic-regression gradient (valueAndGrad of Σ softplus(f) − y·f, f = Xw + b, 16
 * features) on the main thread alone, against a gradient pool of 1 worker thread + the main thread (2 shards, the
 * data in shared memory), at batch sizes 10³ … 10⁵. The two are measured alternately, sample by sample, so that a
 * change in the machine's load hits both; the speed-up is the median of the per-sample ratios.
 */
import os from 'node:os';
import { Tensor, random } from '@natgrad/core';
import { createGradientPool, shardWorker, shareBatch } from '@natgrad/optim/parallel';
import { type BenchSection, formatRatio, formatTime } from '../../../bench/harness.js';
import { type ThreadCpu, addDelta, threadCpu, twoCoreTime } from '../../../bench/thread-cpu.js';
import logistic from './parallel-objective.js';

type P = { w: Tensor; b: Tensor };
const D = 16;
const SIZES = [1_000, 3_000, 10_000, 30_000, 100_000];

function data(n: number) {
  const [kx, ky] = random.split(random.key(n));
  const x = random.normal(kx, [n, D]);
  const y = new Tensor(random.uniform(ky, [n]).data.map((u) => (u < 0.5 ? 1 : 0)), [n]);
  return shareBatch({ x, y });
}

/** CPU time (user + system, all threads of the process) of a `process.cpuUsage` difference, in ms. */
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/** CPU ms per thread between two {@link threadCpu} snapshots. */
function cpuDelta(before: ThreadCpu, after: ThreadCpu): ThreadCpu {
  const out: ThreadCpu = new Map();
  addDelta(out, before, after);
  return out;
}

/** Thread-wise sum of CPU deltas. */
function sum(deltas: Map<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of deltas) for (const [tid, v] of d) out.set(tid, (out.get(tid) ?? 0) + v);
  return out;
}

/** Median of an array. */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function (): Promise<BenchSection[]> {
  const params: P = { w: random.normal(random.key(1), [D]), b: Tensor.from([0.1]) };
  const single = shardWorker<P>(logistic as never, { differentiate: true });
  const pool = await createGradientPool<P>({ module: new URL('./parallel-objective.ts', import.meta.url), workers: 1, differentiate: true });
  const rows: (string | number)[][] = [];
  const load = os.loadavg()[0];
  try {
    for (const n of SIZES) {
      const batch = data(n);
      const info = { index: 0, count: 1, start: 0, end: n, rows: n };
      const key = random.key(0);
      // calls per sample: ~40 ms of single-thread work (at least 2)
      const t0 = performance.now();
      single(params, batch, key, 0, info);
      const reps = Math.max(2, Math.round(40 / Math.max(performance.now() - t0, 0.01)));
      const one = async () => {
        for (let r = 0; r < reps; r++) single(params, batch, key, 0, info);
      };
      const both = async () => {
        for (let r = 0; r < reps; r++) await pool.valueAndGrad(params, batch, key, 0);
      };
      for (let w = 0; w < 3; w++) {
        await one();
        await both();
      }
      const tOne: number[] = [];
      const tPool: number[] = [];
      const ratios: number[] = [];
      const cpuRatios: number[] = [];
      const cpuOne: Map<string, number>[] = [];
      const cpuPool: Map<string, number>[] = [];
      for (let s = 0; s < 15; s++) {
        let t = performance.now();
        let c = process.cpuUsage();
        let threads = threadCpu();
        await one();
        const a = (performance.now() - t) / reps;
        const ca = cpuMs(process.cpuUsage(c));
        cpuOne.push(cpuDelta(threads, threadCpu()));
        t = performance.now();
        c = process.cpuUsage();
        threads = threadCpu();
        await both();
        const b = (performance.now() - t) / reps;
        const cb = cpuMs(process.cpuUsage(c));
        cpuPool.push(cpuDelta(threads, threadCpu()));
        tOne.push(a);
        tPool.push(b);
        ratios.push(a / b);
        cpuRatios.push(cb / ca);
      }
      rows.push([
        n.toLocaleString('en'),
        formatTime(median(tOne)),
        formatTime(median(tPool)),
        formatRatio(median(ratios)),
        `${formatRatio(Math.min(...ratios))} – ${formatRatio(Math.max(...ratios))}`,
        formatRatio(median(cpuRatios)),
        cpuOne[0].size > 0 ? formatRatio(twoCoreTime(sum(cpuOne)) / twoCoreTime(sum(cpuPool))) : 'n/a',
      ]);
    }
  } finally {
    await pool.close();
  }
  return [
    {
      title: 'Data-parallel gradient: main thread vs 1 worker + main thread',
      description:
        `One gradient of a logistic regression with ${D} features (valueAndGrad over the batch) on the main thread alone, ` +
        'and with `createGradientPool` (1 worker thread + the main thread, 2 shards, the batch in shared memory, the ' +
        'parameters copied per step, the results summed in shard order). Medians of 15 alternating samples; the ' +
        'speed-up is the median of the per-sample ratios, its range over the samples beside it. The last column is the ' +
        "pool's total CPU time (all threads) over the main thread's: the work the pool adds (1× = none), which unlike " +
        'the wall-clock speed-up does not depend on whether the second core is free. The last column estimates the ' +
        "speed-up the same work would show with both cores free, from each thread's CPU time over all samples (Linux " +
        '/proc): time on 2 cores = max(busiest thread, total / 2), for each side.',
      headers: ['batch rows', 'main thread', 'pool (1 worker + main)', 'speed-up', 'range', 'CPU time, pool / main thread', 'speed-up on 2 free cores (from thread CPU times)'],
      rows,
      notes: [`${os.cpus().length} cores; load average ${load.toFixed(2)} at the start of this section (the machine is shared).`],
    },
  ];
}
