/**
 * Forward- and reverse-mode overhead against the primal on a scalar-heavy function (Rosenbrock, n = 10⁴), and
 * Cholesky throughput next to a plain JavaScript matmul loop.
 */
import { Tensor, type Value, cholesky, grad, jvp, ops } from '@natgrad/core';
import { type BenchSection, formatRatio, formatTime, lcgSpd, lcgUniform, time } from '../../../bench/harness.js';

/** Rosenbrock, vectorised: Σᵢ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)². */
export function rosenbrock(x: Value): Value {
  const head = ops.slice(x, [0, -1]);
  const tail = ops.slice(x, [1, null]);
  return ops.sum(ops.add(ops.mul(100, ops.square(ops.sub(tail, ops.square(head)))), ops.square(ops.sub(1, head))));
}

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

export default async function (): Promise<BenchSection[]> {
  const n = 10_000;
  const x = new Tensor(lcgUniform(n, 3), [n]);
  const v = new Tensor(lcgUniform(n, 5), [n]);
  const tPrimal = time(() => rosenbrock(x));
  const tJvp = time(() => jvp(rosenbrock, [x], [v]));
  const g = grad(rosenbrock);
  const tGrad = time(() => g(x));
  const tLoop = time(() => rosenbrockLoop(x.data));
  const ad: BenchSection = {
    title: 'AD overhead: Rosenbrock, n = 10⁴',
    description:
      'Vectorised Rosenbrock written with natgrad ops (slices, squares, a sum). `jvp` carries one tangent through ' +
      'dual numbers; `grad` records a tape and pulls back. Ratios are against the primal measured in the same run ' +
      '(targets: jvp ≤ 2×, grad ≤ 4×).',
    headers: ['computation', 'time', 'ratio to primal'],
    rows: [
      ['primal f(x)', formatTime(tPrimal), '1.00×'],
      ['jvp (value + directional derivative)', formatTime(tJvp), formatRatio(tJvp / tPrimal)],
      ['grad (value + gradient)', formatTime(tGrad), formatRatio(tGrad / tPrimal)],
      ['hand-written scalar loop (no AD, for scale)', formatTime(tLoop), formatRatio(tLoop / tPrimal)],
    ],
  };

  const rows: (string | number)[][] = [];
  for (const d of [64, 256, 512]) {
    const A = new Tensor(lcgSpd(d, 7), [d, d]);
    const tChol = time(() => cholesky(A), { samples: 5 });
    const tMm = time(() => plainMatmul(A.data, A.data, d), { samples: 5 });
    const cholFlops = d ** 3 / 3;
    const mmFlops = 2 * d ** 3;
    rows.push([
      d,
      formatTime(tChol),
      (cholFlops / tChol / 1e6).toFixed(2),
      formatTime(tMm),
      (mmFlops / tMm / 1e6).toFixed(2),
    ]);
  }
  const chol: BenchSection = {
    title: 'Cholesky throughput',
    description:
      '`cholesky` (default `auto` backend: WebAssembly SIMD from D = 24 up, see the dense-kernel sections) in GFLOP/s ' +
      'counting D³/3 flops, next to a plain i-k-j ' +
      'matmul triple loop in JavaScript counting 2D³ flops — what a user would get by hand.',
    headers: ['D', 'cholesky', 'cholesky GFLOP/s', 'plain matmul loop', 'matmul GFLOP/s'],
    rows,
  };
  return [ad, chol];
}
