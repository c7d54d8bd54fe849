/**
 * The cost of `train`'s data sources per step, on a minibatch problem whose step is cheap (linear least squares with
 * a hand-written gradient, B = 256 rows of D = 16 from N = 50 000): a bare loop that shuffles and gathers by hand,
 * against `train` reading `columns`, prebuilt batches from an array, an async generator and an Observable, and an
 * async objective. All ratios are to the bare loop measured in the same run.
 */
import { Tensor, ops, random } from '@natgrad/core';
import { type Observable, from, lastValueFrom } from 'rxjs';
import { Descent, type OptimiserState, columns, setup, train, update } from '@natgrad/optim';
import { type BenchSection, formatRatio, formatTime } from '../../../bench/harness.js';

type P = { w: Tensor };
type B = { readonly x: Tensor; readonly y: Tensor };
const N = 50_000, D = 16, BATCH = 256, STEPS = 600;

const x = random.normal(random.key(1), [N, D]);
const y = ops.add(ops.matmul(x, random.normal(random.key(2), [D])), random.normal(random.key(3), [N], { std: 0.1 })) as Tensor;
const params = (): P => ({ w: Tensor.zeros([D]) });
const optimiser = Descent(0.05);

/** Mean squared error of a batch and its gradient 2Xᵀr/B, by hand (no AD: the step is as cheap as it gets). */
function lossAndGrad(p: P, b: B): { loss: number; grad: P } {
  const r = ops.sub(ops.matmul(b.x, p.w), b.y) as Tensor;
  const n = b.y.shape[0];
  return { loss: (ops.sum(ops.square(r)) as Tensor).item() / n, grad: { w: ops.mul(ops.matmul(r, b.x), 2 / n) as Tensor } };
}

/** The baseline: what a user would write without `train` — a permutation per epoch, rows gathered with `take`. */
function bareLoop(steps: number): P {
  let opt: OptimiserState = setup(optimiser, params());
  let p = params();
  const perEpoch = Math.ceil(N / BATCH);
  let order = new Int32Array(0);
  for (let t = 0; t < steps; t++) {
    const epoch = Math.floor(t / perEpoch), i = t % perEpoch;
    if (i === 0) order = Int32Array.from(random.permutation(random.foldIn(random.key(0), epoch), N));
    const rows = order.subarray(i * BATCH, Math.min(N, (i + 1) * BATCH));
    const b = { x: ops.take(x, rows, 0) as Tensor, y: ops.take(y, rows, 0) as Tensor };
    [opt, p] = update(opt, p, lossAndGrad(p, b).grad) as [OptimiserState, P];
  }
  return p;
}

const source = columns({ x, y }, { batchSize: BATCH });
const prebuilt: B[] = Array.from({ length: STEPS }, (_, t) => source.batch(Math.floor(t / source.batchesPerEpoch), t % source.batchesPerEpoch));
async function* asyncBatches() {
  yield* prebuilt;
}

const run = (data: B[] | AsyncIterable<B> | Observable<B> | typeof source, o: { async?: boolean; yieldEvery?: number } = {}) =>
  lastValueFrom(
    train<P, B>({
      data,
      objective: o.async ? (p, _k, _s, b) => Promise.resolve(lossAndGrad(p, b)) : (p, _k, _s, b) => lossAndGrad(p, b),
      params: params(),
      optimiser,
      steps: STEPS,
      differentiate: false,
      ...(o.yieldEvery === undefined ? {} : { yieldEvery: o.yieldEvery }),
    }),
  );

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

export default async function (): Promise<BenchSection[]> {
  const tBare = (await timeAsync(() => bareLoop(STEPS))) / STEPS;
  const gather = (await timeAsync(() => {
    for (let t = 0; t < STEPS; t++) source.batch(Math.floor(t / source.batchesPerEpoch), t % source.batchesPerEpoch);
  })) / STEPS;
  const variants: [string, () => unknown][] = [
    ['`train` + `columns` (default yield policy)', () => run(source)],
    ['`train` + `columns`, `yieldEvery: Infinity`', () => run(source, { yieldEvery: Infinity })],
    ['`train` + an array of prebuilt batches (no gather)', () => run(prebuilt)],
    ['`train` + an async generator of prebuilt batches', () => run(asyncBatches())],
    ['`train` + `from(prebuilt)` (an Observable)', () => run(from(prebuilt))],
    ['`train` + `columns` + an async objective (a resolved Promise)', () => run(source, { async: true })],
  ];
  const rows: (string | number)[][] = [
    ['bare loop: permutation per epoch, `take` rows, gradient, `update`', formatTime(tBare), '1.00×'],
    ['(of which: `columns.batch` alone, the gather)', formatTime(gather), formatRatio(gather / tBare)],
  ];
  for (const [label, f] of variants) {
    const t = (await timeAsync(f, 5, 1)) / STEPS;
    rows.push([label, formatTime(t), formatRatio(t / tBare)]);
  }
  return [
    {
      title: 'Training data sources: cost per step',
      description:
        `${STEPS} steps of SGD on least squares with a hand-written gradient, minibatches of ${BATCH} rows of ${D} ` +
        `features from ${N.toLocaleString('en')} (a cheap step, so the overhead shows). Time per step (median of several runs) and ratio to ` +
        'the bare loop in the same run.',
      headers: ['loop', 'time per step', 'ratio to bare loop'],
      rows,
      notes: [
        'An async source or objective costs a few microtask turns per step (a Promise per batch or per result); ' +
          'the slice then goes on without a timer, so it stays well below a macrotask per step.',
      ],
    },
  ];
}
