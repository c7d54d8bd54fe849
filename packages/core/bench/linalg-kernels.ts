/**
 * Quick timings of the linear-algebra kernels (development aid, not a test): `npx tsx packages/core/bench/linalg-kernels.ts [n...]`.
 * Imports the kernels directly, so it runs without the rest of the package.
 */
import { choleskyInverseKernel, choleskyKernel } from '../src/linalg/kernels/cholesky.js';
import { luFactor } from '../src/linalg/kernels/lu.js';
import { triangularSolveKernel } from '../src/linalg/kernels/triangular.js';

/** A random SPD matrix `B Bᵀ + n I`, row-major. */
export function randomSpd(n: number, seed = 1): Float64Array {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
  const b = Float64Array.from({ length: n * n }, rand);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += b[i * n + k] * b[j * n + k];
      a[i * n + j] = a[j * n + i] = acc + (i === j ? n : 0);
    }
  }
  return a;
}

/** Best-of-`reps` wall time in seconds of `fn`, after one warm-up run; repeats until ≥ 0.2 s per sample. */
export function time(fn: () => void, reps = 5): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    let iters = 0;
    const t0 = performance.now();
    let t1 = t0;
    do {
      fn();
      iters++;
      t1 = performance.now();
    } while (t1 - t0 < 200);
    best = Math.min(best, (t1 - t0) / 1000 / iters);
  }
  return best;
}

function main(sizes: number[]): void {
  for (const n of sizes) {
    const a = randomSpd(n);
    const l = new Float64Array(n * n);
    const tChol = time(() => {
      l.fill(0);
      if (choleskyKernel(a, 0, l, 0, n) >= 0) throw new Error('not PD');
    });
    const out = new Float64Array(n * n), scratch = new Float64Array(n * n);
    const tInv = time(() => {
      out.fill(0);
      choleskyInverseKernel(l, 0, out, 0, scratch, n);
    });
    const x = new Float64Array(n * n);
    const tTrsm = time(() => triangularSolveKernel(l, 0, a, 0, x, 0, n, n, true, false));
    const lu = new Float64Array(n * n), perm = new Int32Array(n);
    const tLu = time(() => {
      lu.set(a);
      luFactor(lu, perm, n);
    });
    const g = (flops: number, t: number) => (flops / t / 1e9).toFixed(2);
    console.log(
      `n=${n}: cholesky ${(tChol * 1e3).toFixed(2)} ms (${g(n ** 3 / 3, tChol)} GFLOP/s); ` +
        `choleskyInverse ${(tInv * 1e3).toFixed(2)} ms (${g((2 * n ** 3) / 3, tInv)}); ` +
        `trsm n×n ${(tTrsm * 1e3).toFixed(2)} ms (${g(n ** 3, tTrsm)}); lu ${(tLu * 1e3).toFixed(2)} ms (${g((2 * n ** 3) / 3, tLu)})`,
    );
  }
}

if (process.argv[1]?.endsWith('linalg-kernels.ts')) {
  const sizes = process.argv.slice(2).map(Number);
  main(sizes.length > 0 ? sizes : [64, 256, 512]);
}
