/**
 * `cholesky` and `solve(…, { assumeA: 'pos' })` scan neither their input nor the factor for NaN/∞ unless the
 * factorisation fails (the argument is in `factorCholesky`, src/linalg/kernels/factors.ts): a non-finite entry of
 * the triangle read must still give a `NonFiniteError` naming that entry, never a factor with a NaN/∞ in it and never
 * a `NotPositiveDefiniteError` — checked on both backends, at sizes on both sides of the blocked factorisation (the
 * WebAssembly kernel recurses above 64) and at every kind of position: diagonal, first column, last row, batches.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { NonFiniteError, NotPositiveDefiniteError, Tensor, ops, setBackend } from '@natgrad/core';
import { rng, thrown } from './util/check.js';

/** An SPD batch B Bᵀ / n + I with a fixed seed. */
function spd(batch: number, n: number, seed: number): Float64Array {
  const next = rng(seed);
  const out = new Float64Array(batch * n * n);
  for (let t = 0; t < batch; t++) {
    const b = Array.from({ length: n * n }, () => next() - 0.5);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
        out[t * n * n + i * n + j] = s / n + (i === j ? 1 : 0);
      }
    }
  }
  return out;
}

const bad = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

afterAll(() => setBackend('auto'));

describe.each(['js', 'wasm'] as const)('cholesky of non-finite input (%s backend)', (backend) => {
  it('a NaN/±∞ anywhere in the triangle read is a NonFiniteError at its index, whatever the size and position', () => {
    setBackend(backend);
    const mats = new Map<number, Float64Array>([5, 17, 64, 72, 130].map((n) => [n, spd(1, n, n)]));
    fc.assert(
      fc.property(fc.constantFrom(...mats.keys()), fc.nat(), fc.nat(), bad, fc.boolean(), (n, r, c, v, upper) => {
        const i = r % n, j = c % (i + 1); // (i, j) in the lower triangle; its transpose in the upper one
        const at = upper ? j * n + i : i * n + j;
        const a = mats.get(n)!.slice();
        a[at] = v;
        const e = thrown(() => ops.cholesky(new Tensor(a, [n, n]), { upper }));
        expect(e).toBeInstanceOf(NonFiniteError);
        expect((e as NonFiniteError).index).toBe(at);
        expect(Object.is((e as NonFiniteError).value, v)).toBe(true);
        expect((e as Error).message).toMatch(/^cholesky: non-finite value/);
      }),
      { numRuns: 60 },
    );
  });

  it('an infinite diagonal, which the factorisation itself accepts, is still reported (every row, both triangles)', () => {
    setBackend(backend);
    for (const n of [3, 70]) {
      for (const i of [0, 1, n - 1]) {
        const a = spd(1, n, 7);
        a[i * n + i] = Number.POSITIVE_INFINITY;
        for (const upper of [false, true]) {
          const e = thrown(() => ops.cholesky(new Tensor(a, [n, n]), { upper }));
          expect(e).toBeInstanceOf(NonFiniteError);
          expect((e as NonFiniteError).index).toBe(i * n + i);
        }
      }
    }
  });

  it('in a batch, a non-finite matrix is reported before a non-positive-definite one, wherever it sits', () => {
    setBackend(backend);
    const n = 70, nn = n * n;
    const a = spd(3, n, 3);
    a[0] = -1; // matrix 0: pivot 0 fails
    a[2 * nn + 5 * n + 2] = Number.NaN; // matrix 2: NaN
    const e = thrown(() => ops.cholesky(new Tensor(a, [3, n, n])));
    expect(e).toBeInstanceOf(NonFiniteError);
    expect((e as NonFiniteError).multiIndex).toEqual([2, 5, 2]);
    a[2 * nn + 5 * n + 2] = 0.5;
    const p = thrown(() => ops.cholesky(new Tensor(a, [3, n, n])));
    expect(p).toBeInstanceOf(NotPositiveDefiniteError);
    expect((p as NotPositiveDefiniteError).batchIndex).toBe(0);
  });

  it('NaN/∞ in the triangle not read changes nothing, and finite input factors to finite L with L Lᵀ = A', () => {
    setBackend(backend);
    for (const n of [6, 72]) {
      const a = spd(1, n, 11);
      const junk = a.slice();
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) junk[i * n + j] = j % 2 ? Number.NaN : Number.POSITIVE_INFINITY;
      const l = ops.cholesky(new Tensor(junk, [n, n])) as Tensor;
      expect(l.data.every(Number.isFinite)).toBe(true);
      expect(Array.from(l.data)).toEqual(Array.from((ops.cholesky(new Tensor(a, [n, n])) as Tensor).data));
      const back = (ops.matmul(l, l, { transposeB: true }) as Tensor).data;
      for (let k = 0; k < n * n; k++) expect(Math.abs(back[k] - a[k])).toBeLessThan(1e-12 * n);
    }
  });

  it("solve with assumeA: 'pos' names a non-finite matrix entry as its input", () => {
    setBackend(backend);
    const n = 70;
    const a = spd(1, n, 5);
    a[3 * n + 1] = Number.NEGATIVE_INFINITY;
    const e = thrown(() => ops.solve(new Tensor(a, [n, n]), new Tensor(new Float64Array(n).fill(1), [n]), { assumeA: 'pos' }));
    expect(e).toBeInstanceOf(NonFiniteError);
    expect((e as NonFiniteError).index).toBe(3 * n + 1);
    expect((e as Error).message).toMatch(/^solve \(matrix\): non-finite value -Infinity/);
  });
});
