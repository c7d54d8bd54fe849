/**
 * The triangle-only blocked kernels against the dense kernels on full operands: a product of two triangular matrices
 * (every side, triangle and transpose) and the lower triangle of a right solve with Lᵀ, below and above the panel
 * cut-over, on both backends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dense, setBackend } from '@natgrad/core';
import { lowerOfRightSolveTransposed, trmmTriangular } from '../src/linalg/kernels/triangle-blocks.js';
import { rng } from './util/check.js';

function random(n: number, next: () => number, keep: (i: number, j: number) => boolean, diag = 0): Float64Array {
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (keep(i, j)) x[i * n + j] = next() - 0.5 + (i === j ? diag : 0);
  return x;
}

function expectNear(got: Float64Array, want: Float64Array, n: number, only: (i: number, j: number) => boolean): void {
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (!only(i, j)) continue;
      const err = Math.abs(got[i * n + j] - want[i * n + j]);
      if (!(err <= 1e-12 * scale)) expect([i, j, got[i * n + j]]).toEqual([i, j, want[i * n + j]]);
    }
  }
}

afterAll(() => setBackend('auto'));

describe.each(['js', 'wasm'] as const)('triangle-only blocked kernels (%s backend)', (backend) => {
  it.each([5, 128, 129, 200])('trmmTriangular equals trmm on the full triangular B (n = %i)', (n) => {
    setBackend(backend);
    const next = rng(n);
    for (const right of [false, true]) {
      for (const lowerA of [true, false]) {
        for (const transA of [false, true]) {
          const upper = lowerA === transA;
          const a = random(n, next, () => true, 3);
          const b = random(n, next, (i, j) => (upper ? j >= i : j <= i));
          const want = b.slice();
          dense.trmm(right, lowerA, transA, false, n, n, a, 0, n, want, 0, n);
          const got = b.slice();
          trmmTriangular(right, lowerA, transA, n, a, 0, n, got, 0, n);
          expectNear(got, want, n, () => true);
        }
      }
    }
  });

  it.each([5, 128, 129, 300])('lowerOfRightSolveTransposed equals the lower triangle of the full solve (n = %i)', (n) => {
    setBackend(backend);
    const next = rng(n + 1);
    const l = random(n, next, (i, j) => j <= i, 4);
    const b = random(n, next, () => true);
    const want = b.slice();
    expect(dense.trsm(true, true, true, false, n, n, l, 0, n, want, 0, n)).toBe(-1);
    const got = b.slice();
    expect(lowerOfRightSolveTransposed(n, l, 0, n, got, 0, n)).toBe(-1);
    expectNear(got, want, n, (i, j) => j <= i);
    const singular = l.slice();
    singular[(n - 1) * n + (n - 1)] = 0;
    expect(lowerOfRightSolveTransposed(n, singular, 0, n, b.slice(), 0, n)).toBe(n - 1);
  });
});
