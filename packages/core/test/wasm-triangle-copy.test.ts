/**
 * The WebAssembly wrappers of the triangular kernels (potrf, trsm, trmm, trtri) copy only the triangle the kernel
 * reads into linear memory; the other triangle there holds whatever an earlier call left. Here all of the heap is
 * filled with NaN before every call: the results must still equal the JavaScript kernels' (which read the triangle
 * in place), so no kernel reads the part that is not copied.
 */
import { describe, expect, it } from 'vitest';
import { KERNELS } from '../src/backend/registry.js';
import { wasmHeap, wasmKernels } from '../src/backend/wasm/instance.js';
import { rng } from './util/check.js';

function matrix(n: number, next: () => number, diag = 0): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < a.length; i++) a[i] = (next() - 0.5) / Math.sqrt(n);
  for (let i = 0; i < n; i++) a[i * n + i] += diag;
  return a;
}

function poisonHeap(): void {
  const h = wasmHeap();
  h.refresh();
  h.f64.fill(Number.NaN, h.begin().take(0) >> 3);
}

function expectNear(got: Float64Array, want: Float64Array): void {
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= 1e-12 * (1 + Math.abs(want[i])))) expect([i, got[i]]).toEqual([i, want[i]]);
  }
}

describe('triangle-only copies into WebAssembly memory', () => {
  it('wasm is available in this environment', () => {
    expect(wasmKernels()).not.toBeNull();
  });

  it.each([5, 40, 130])('potrf, trsm, trmm and trtri ignore the memory they did not copy (n = %i)', (n) => {
    const next = rng(n);
    const { potrf, trsm, trmm, trtri } = KERNELS;
    // an SPD matrix with a NaN-free lower triangle; its upper triangle is real data the kernel must not need
    const b = matrix(n, next);
    const spd = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
      spd[i * n + j] = s;
    }
    const lj = new Float64Array(n * n), lw = new Float64Array(n * n);
    expect(potrf.js(n, spd, 0, n, lj, 0, n)).toBe(-1);
    poisonHeap();
    expect(potrf.wasm(n, spd, 0, n, lw, 0, n)).toBe(-1);
    expectNear(lw, lj);
    for (const right of [false, true]) for (const lower of [true, false]) for (const trans of [false, true]) for (const unit of [false, true]) {
      const t = matrix(n, next, 2), rhs = matrix(n, next);
      const xj = rhs.slice(), xw = rhs.slice();
      trsm.js(right, lower, trans, unit, n, n, t, 0, n, xj, 0, n);
      poisonHeap();
      trsm.wasm(right, lower, trans, unit, n, n, t, 0, n, xw, 0, n);
      expectNear(xw, xj);
      const pj = rhs.slice(), pw = rhs.slice();
      trmm.js(right, lower, trans, unit, n, n, t, 0, n, pj, 0, n);
      poisonHeap();
      trmm.wasm(right, lower, trans, unit, n, n, t, 0, n, pw, 0, n);
      expectNear(pw, pj);
    }
    for (const lower of [true, false]) for (const unit of [false, true]) {
      const t = matrix(n, next, 2);
      const ij = t.slice(), iw = t.slice();
      expect(trtri.js(lower, unit, n, ij, 0, n)).toBe(-1);
      poisonHeap();
      expect(trtri.wasm(lower, unit, n, iw, 0, n)).toBe(-1);
      expectNear(iw, ij);
    }
  });
});
