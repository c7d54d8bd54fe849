/**
 * The training stream's cost: (1) its overhead over a bare loop of `update` calls on the same tiny problem, for
 * several yield policies; (2) heap use over a run of 10⁵ tiny steps, which must stay flat (snapshots are not retained
 * by the stream, only by whoever keeps them).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { Tensor, ops, random } from '@natgrad/core';
import { lastValueFrom, tap } from 'rxjs';
import { type OptimiserState, type Rule, type YieldPolicy, defineRule, nonNegative, setup, train, update } from '@natgrad/optim';
import { type BenchSection, formatRatio, formatTime } from '../../../bench/harness.js';

type P = { w: Tensor };

/** Plain gradient descent written as a per-tensor rule: the cheapest possible update. */
const sgd: Rule = defineRule({
  name: 'BenchSGD',
  hyperparams: (lr = 0.01) => ({ lr }),
  check: { lr: nonNegative },
  init: () => ({}),
  apply: (s, _p, g, h) => [s, ops.mul(g, h.lr) as Tensor],
})();

/** A tiny stochastic quadratic with a hand-written gradient (no AD): Σ (w − 3 − 0.1 ε)², ε ~ N(0, I). */
function objective(p: P, key: random.Key): { loss: number; grad: P } {
  const eps = random.normal(key, p.w.shape);
  const r = ops.sub(ops.sub(p.w, 3), ops.mul(eps, 0.1)) as Tensor;
  return { loss: (ops.sum(ops.square(r)) as Tensor).item(), grad: { w: ops.mul(r, 2) as Tensor } };
}

const params = (): P => ({ w: Tensor.from([0, 1, -2, 0.5]) });

/** The baseline: what a user would write without the stream. */
function bareLoop(steps: number): P {
  let opt: OptimiserState = setup(sgd, params());
  let p = params();
  const base = random.key(0);
  for (let t = 0; t < steps; t++) {
    const { grad } = objective(p, random.foldIn(base, t));
    [opt, p] = update(opt, p, grad) as [OptimiserState, P];
  }
  return p;
}

function stream(steps: number, yieldEvery?: YieldPolicy) {
  return train({ objective, params: params(), optimiser: sgd, steps, seed: 0, differentiate: false, yieldEvery });
}

/** Median wall time of `fn` over `samples` runs after `warmup` runs, in ms. */
async function timeAsync(fn: () => unknown, samples = 7, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  out.sort((a, b) => a - b);
  return out[Math.floor(out.length / 2)];
}

/** `global.gc` when node runs with --expose-gc; otherwise exposes it through V8 flags (works on Node ≥ 20). */
function getGc(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

export default async function (): Promise<BenchSection[]> {
  const n = 20_000;
  const tBare = await timeAsync(() => bareLoop(n), 5, 1);
  // [label, yield policy, steps per run (fewer where each yield costs a timer tick), samples]
  const variants: [string, YieldPolicy, number, number][] = [
    ['never yields (`yieldEvery: Infinity`): the per-step cost of the snapshots', Infinity, n, 5],
    ['default: yields after 10 ms of work (`{ ms: 10 }`)', { ms: 10 }, n, 5],
    ['yields after 50 ms of work (`{ ms: 50 }`)', { ms: 50 }, n, 5],
    ['yields every 10 steps (`yieldEvery: 10`)', 10, 2000, 3],
  ];
  const rows: (string | number)[][] = [['bare loop: objective + `foldIn` + `update`', formatTime(tBare / n), '1.00×']];
  for (const [label, y, steps, samples] of variants) {
    const t = (await timeAsync(() => lastValueFrom(stream(steps, y)), samples, 1)) / steps;
    rows.push([`\`train\` on asyncScheduler, ${label}`, formatTime(t), formatRatio(t / (tBare / n))]);
  }
  const overhead: BenchSection = {
    title: 'Training stream overhead: tiny steps',
    description:
      `${n.toLocaleString('en')} steps (2 000 for the last row) of SGD on a 4-parameter stochastic quadratic with a hand-written gradient (about the cheapest step ` +
      'there is, so the overhead is as large as it gets). Each `train` step adds the gradient norm, structural ' +
      'sharing against the previous snapshot, an immer-frozen `TrainState`, and the scheduling. Time per step and ' +
      'ratio to the bare loop (median of several runs).',
    headers: ['loop', 'time per step', 'ratio to bare loop'],
    rows,
    notes: [
      'A yield on asyncScheduler is a macrotask driven by a 0-delay interval timer, which Node rounds up to 1 ms. ' +
        'Yielding every 10 tiny steps therefore waits about 1 ms per 80 µs of work; with a time budget the timer is ' +
        'already due when a slice ends, so a yield costs one turn of the event loop, and timers and I/O still run ' +
        'at least every 10 ms. Hence the default `{ ms: 10 }`.',
    ],
  };

  const gc = getGc();
  const total = 100_000;
  const every = 20_000;
  const samples: [number, number, number][] = []; // step, heap used (after gc), wall time
  const measure = (step: number, t: number) => {
    gc?.();
    samples.push([step, process.memoryUsage().heapUsed, t]);
  };
  measure(0, 0);
  const t0 = performance.now();
  await lastValueFrom(
    stream(total).pipe(
      tap((s) => {
        if (s.step % every === 0) measure(s.step, performance.now() - t0);
      }),
    ),
  );
  const base = samples[0][1];
  const memory: BenchSection = {
    title: 'Training stream memory: 10⁵ tiny steps',
    description:
      `One run of ${total.toLocaleString('en')} steps of the same problem (default yield policy), with heap used ` +
      `measured ${gc ? 'after a forced garbage collection' : 'without a forced garbage collection (gc unavailable)'} ` +
      'at the start and every 20 000 steps. Flat means the stream keeps no history.',
    headers: ['step', 'heap used', 'change since start', 'elapsed'],
    rows: samples.map(([step, heap, t]) => [
      step.toLocaleString('en'),
      mib(heap),
      `${heap >= base ? '+' : '−'}${mib(Math.abs(heap - base))}`,
      formatTime(t),
    ]),
    notes: [
      `${(total / (samples[samples.length - 1][2] / 1000)).toFixed(0)} steps/s end to end. gc: ` +
        `${(globalThis as { gc?: unknown }).gc ? 'node --expose-gc' : gc ? 'exposed at run time via v8.setFlagsFromString' : 'unavailable'}.`,
    ],
  };
  return [overhead, memory];
}
