/**
 * Forward- and reverse-mode overhead against the primal on a scalar-heavy function (Rosenbrock, n = 10⁴), before
 * (an older tree, `NATGRAD_BASELINE`) and after, interleaved in one run; and Cholesky throughput next to a plain
 * JavaScript matmul loop.
 */
import * as current from '@natgrad/core';
import { Tensor, type Value, cholesky } from '@natgrad/core';
import { type CoreModule, baselineCore } from '../../../bench/baseline.js';
import { type BenchSection, formatRatio, formatTime, lcgSpd, lcgUniform, time } from '../../../bench/harness.js';
import { type Sampler, type Stats, interleave, loadNow, local, pairedRatio } from '../../../bench/interleave.js';

/** Rosenbrock, vectorised with the ops of `core`: Σᵢ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)². */
export function rosenbrockOf(core: CoreModule): (x: Value) => Value {
  const { ops } = core;
  return (x) => {
    const head = ops.slice(x, [0, -1]);
    const tail = ops.slice(x, [1, null]);
    return ops.sum(ops.add(ops.mul(100, ops.square(ops.sub(tail, ops.square(head)))), ops.square(ops.sub(1, head))));
  };
}

/** Rosenbrock with the current ops. */
export const rosenbrock = rosenbrockOf(current);

/** The same function as a plain loop over a Float64Array: the floor any array library is measured against. */
function rosenbrockLoop(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    s += 100 * a * a + b * b;
  }
  return s;
}

/** The textbook triple loop (i-k-j order) a user would write by hand. */
function plainMatmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  return c;
}

/** primal, jvp and grad samplers of Rosenbrock in one tree, on the same inputs. */
function rosenbrockSamplers(core: CoreModule, prefix: string, xs: Float64Array, vs: Float64Array): Record<string, Sampler> {
  const f = rosenbrockOf(core);
  const x = new core.Tensor(xs.slice(), [xs.length]), v = new core.Tensor(vs.slice(), [vs.length]);
  const g = core.grad(f);
  const value = (f(x) as { item(): number }).item();
  if (!(Math.abs(value - rosenbrockLoop(xs)) <= 1e-9 * Math.abs(value))) throw new Error(`ad bench: ${prefix} Rosenbrock disagrees with the loop`);
  return {
    [`${prefix}primal`]: local(() => f(x)),
    [`${prefix}jvp`]: local(() => core.jvp(f, [x], [v])),
    [`${prefix}grad`]: local(() => g(x)),
  };
}

async function rosenbrockSection(): Promise<BenchSection> {
  const n = 10_000;
  const xs = lcgUniform(n, 3), vs = lcgUniform(n, 5);
  const base = await baselineCore();
  const load = loadNow();
  const samplers: Record<string, Sampler> = {
    ...rosenbrockSamplers(current, '', xs, vs),
    ...(base.core ? rosenbrockSamplers(base.core, 'old.', xs, vs) : {}),
    loop: local(() => rosenbrockLoop(xs)),
  };
  const r = await interleave(samplers, { rounds: 15, batchMs: 30 });
  const cell = (prefix: string, what: string): [string, string] => {
    const s: Stats | undefined = r[`${prefix}${what}`];
    if (s === undefined) return ['—', '—'];
    return [formatTime(s.median), what === 'primal' ? '1.00×' : formatRatio(pairedRatio(s, r[`${prefix}primal`]))];
  };
  const rows = (['primal', 'jvp', 'grad'] as const).map((what) => {
    const label = { primal: 'primal f(x)', jvp: 'jvp (value + directional derivative)', grad: 'grad (value + gradient)' }[what];
    return [label, ...cell('old.', what), ...cell('', what)];
  });
  rows.push(['hand-written scalar loop (no AD, for scale)', '', '', formatTime(r.loop.median), formatRatio(pairedRatio(r.loop, r.primal))]);
  return {
    title: 'AD overhead: Rosenbrock, n = 10⁴, before and after',
    description:
      'Vectorised Rosenbrock written with natgrad ops (slices, squares, a sum). `jvp` carries one tangent through ' +
      'dual numbers; `grad` records a tape and pulls back. Ratios are against the primal of the same tree, paired ' +
      'by round (targets: jvp ≤ 2×, grad ≤ 3×). **Before** is an older tree loaded into the same process and ' +
      'interleaved with the current one, so both see the same load.',
    headers: ['computation', `before (${base.label})`, 'before: ratio to primal', 'after', 'after: ratio to primal'],
    rows,
    notes: [
      `CPU time per call, median of 15 interleaved rounds of ≈ 30 ms; load average ${load} at the start. ` +
        (base.core ? base.note : `**Before skipped**: ${base.note}.`),
      'Forward mode takes a first-order fast path where nothing else is traced: each elementwise op computes its ' +
        'primal and its tangent in one loop (`Primitive.jvpFused`), bit-identical to the kernel plus the rule.',
    ],
  };
}

function choleskySection(): BenchSection {
  const rows: (string | number)[][] = [];
  for (const d of [64, 256, 512]) {
    const A = new Tensor(lcgSpd(d, 7), [d, d]);
    const tChol = time(() => cholesky(A), { samples: 5 });
    const tMm = time(() => plainMatmul(A.data, A.data, d), { samples: 5 });
    const cholFlops = d ** 3 / 3;
    const mmFlops = 2 * d ** 3;
    rows.push([d, formatTime(tChol), (cholFlops / tChol / 1e6).toFixed(2), formatTime(tMm), (mmFlops / tMm / 1e6).toFixed(2)]);
  }
  return {
    title: 'Cholesky throughput',
    description:
      '`cholesky` (default `auto` backend: WebAssembly SIMD from D = 24 up, see the dense-kernel sections) in GFLOP/s ' +
      'counting D³/3 flops, next to a plain i-k-j ' +
      'matmul triple loop in JavaScript counting 2D³ flops — what a user would get by hand.',
    headers: ['D', 'cholesky', 'cholesky GFLOP/s', 'plain matmul loop', 'matmul GFLOP/s'],
    rows,
  };
}

export default async function (): Promise<BenchSection[]> {
  return [await rosenbrockSection(), choleskySection()];
}
