/**
 * The dense kernels of both backends (src/backend/registry.ts) against the naive loops of util/dense-reference.ts
 * and against each other (≤ 1e-12 normwise relative), on random sizes including 0, 1, odd sizes and sizes around
 * the block boundaries of the WebAssembly kernels (4-wide micro-tiles; 32-, 64-, 256-wide blocks), on matrices
 * embedded at offsets in larger buffers with leading dimensions wider than the matrix (guard entries must survive),
 * and the failure indices (zero diagonal, failing pivot, singular column) reported identically.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DenseKernels } from '../src/backend/kernels.js';
import { KERNELS } from '../src/backend/registry.js';
import { wasmKernels } from '../src/backend/wasm/instance.js';
import { rng } from './util/check.js';
import {
  type Embedded, cholesky, embed, extract, guardsIntact, lu, luProduct, luRect, matmul, relDiff, spd, substitute, transpose,
  triangle, uniform, wellConditioned,
} from './util/dense-reference.js';

const js = Object.fromEntries(Object.entries(KERNELS).map(([k, e]) => [k, e.js])) as unknown as DenseKernels;
const wasm = Object.fromEntries(Object.entries(KERNELS).map(([k, e]) => [k, e.wasm])) as unknown as DenseKernels;
const BACKENDS = [['js', js], ['wasm', wasm]] as const;

const SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 97, 129];
const size = fc.constantFrom(...SIZES);
const layout = fc.record({ off: fc.integer({ min: 0, max: 5 }), pad: fc.integer({ min: 0, max: 3 }) });
const TOL = 1e-12;

/** Runs `K.gemm` on the embedded operands and checks C against the triple loop, and every guard entry intact. */
function expectGemm(
  K: DenseKernels, ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number, beta: number,
  a: Float64Array, b: Float64Array, c0: Float64Array, A: Embedded, B: Embedded, C: Embedded,
): void {
  K.gemm(ta, tb, m, n, k, alpha, A.data, A.off, A.ld, B.data, B.off, B.ld, beta, C.data, C.off, C.ld);
  const ab = matmul(a, b, m, k, n);
  const expected = Float64Array.from(ab, (v, i) => alpha * v + (beta === 0 ? 0 : beta * c0[i]));
  expect(relDiff(extract(C), expected)).toBeLessThanOrEqual(TOL);
  expect(guardsIntact(C) && guardsIntact(A) && guardsIntact(B)).toBe(true);
}

it('the WebAssembly SIMD kernels load on this engine (Node 20)', () => {
  expect(wasmKernels()).not.toBeNull();
});

describe.each(BACKENDS)('%s backend', (_name, K) => {
  it('gemm: every transpose, α, β against the triple loop, on embedded operands', () => {
    fc.assert(
      fc.property(size, size, fc.constantFrom(0, 1, 3, 64, 257), fc.boolean(), fc.boolean(), fc.constantFrom(1, -1, 0.5),
        fc.constantFrom(0, 1, -2), layout, fc.integer(), (m, n, k, ta, tb, alpha, beta, lay, seed) => {
          const next = rng(seed);
          const a = uniform(m * k, next), b = uniform(k * n, next), c0 = uniform(m * n, next);
          // stored operands: A (or Aᵀ), B (or Bᵀ)
          const A = embed(ta ? transpose(a, m, k) : a, ta ? k : m, ta ? m : k, lay.off, lay.pad);
          const B = embed(tb ? transpose(b, k, n) : b, tb ? n : k, tb ? k : n, lay.pad, lay.off);
          const C = embed(c0, m, n, lay.off + 1, lay.pad);
          expectGemm(K, ta, tb, m, n, k, alpha, beta, a, b, c0, A, B, C);
        }),
      { numRuns: 60 },
    );
  });

  it('gemm: a single row or column of C (vector products) in every variant, contiguous or embedded', () => {
    fc.assert(
      fc.property(fc.constantFrom<[number, number]>([1, 1], [1, 7], [1, 300], [7, 1], [300, 1], [2, 300]), fc.constantFrom(0, 1, 5, 64),
        fc.boolean(), fc.boolean(), fc.constantFrom(1, -0.5), fc.constantFrom(0, 1, -2), fc.constantFrom(0, 2), fc.integer(),
        ([m, n], k, ta, tb, alpha, beta, pad, seed) => {
          const next = rng(seed);
          const a = uniform(m * k, next), b = uniform(k * n, next), c0 = uniform(m * n, next);
          const A = embed(ta ? transpose(a, m, k) : a, ta ? k : m, ta ? m : k, 1, pad);
          const B = embed(tb ? transpose(b, k, n) : b, tb ? n : k, tb ? k : n, pad, 1);
          const C = embed(beta === 0 ? new Float64Array(m * n).fill(NaN) : c0, m, n, 2, pad);
          expectGemm(K, ta, tb, m, n, k, alpha, beta, a, b, c0, A, B, C);
        }),
      { numRuns: 120 },
    );
  });

  it('gemm with β = 0 does not read C (NaN there is overwritten), but NaN in A or B propagates (no zero-skipping)', () => {
    const a = new Float64Array([0, 0, 0, 0]), b = new Float64Array([NaN, 1, 2, 3]), c = new Float64Array([NaN, NaN, NaN, NaN]);
    K.gemm(false, false, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2);
    expect(Number.isNaN(c[0]) && Number.isNaN(c[2])).toBe(true); // 0·NaN
    expect([c[1], c[3]]).toEqual([0, 0]);
  });

  it('trsm: left/right, lower/upper, transposed, unit diagonal against substitution, in place on embedded B', () => {
    fc.assert(
      fc.property(size, size, fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), layout, fc.integer(),
        (m, n, right, lower, trans, unit, lay, seed) => {
          const next = rng(seed);
          const order = right ? n : m;
          const t = wellConditioned(order, next), b = uniform(m * n, next);
          const T = embed(t, order, order, lay.off, lay.pad), B = embed(b, m, n, lay.pad, lay.off);
          expect(K.trsm(right, lower, trans, unit, m, n, T.data, T.off, T.ld, B.data, B.off, B.ld)).toBe(-1);
          const full = triangle(t, order, lower, unit);
          const op = trans ? transpose(full, order, order) : full;
          const opLower = lower !== trans;
          // right: X·op = B ⟺ opᵀ·Xᵀ = Bᵀ
          const expected = right
            ? transpose(substitute(transpose(op, order, order), transpose(b, m, n), n, m, !opLower), n, m)
            : substitute(op, b, m, n, opLower);
          expect(relDiff(extract(B), expected)).toBeLessThanOrEqual(TOL);
          expect(guardsIntact(B) && guardsIntact(T)).toBe(true);
        }),
      { numRuns: 80 },
    );
  });

  it('trmm: left/right, lower/upper, transposed, unit diagonal against the product with the triangle, in place', () => {
    fc.assert(
      fc.property(size, size, fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), layout, fc.integer(),
        (m, n, right, lower, trans, unit, lay, seed) => {
          const next = rng(seed);
          const order = right ? n : m;
          // the other triangle (and, with unit, the diagonal) holds junk the kernel must not read
          const t = uniform(order * order, next, -3, 3), b = uniform(m * n, next);
          const T = embed(t, order, order, lay.off, lay.pad), B = embed(b, m, n, lay.pad, lay.off);
          K.trmm(right, lower, trans, unit, m, n, T.data, T.off, T.ld, B.data, B.off, B.ld);
          const full = triangle(t, order, lower, unit);
          const op = trans ? transpose(full, order, order) : full;
          const expected = right ? matmul(b, op, m, n, n) : matmul(op, b, m, m, n);
          expect(relDiff(extract(B), expected)).toBeLessThanOrEqual(TOL);
          expect(guardsIntact(B) && guardsIntact(T)).toBe(true);
          expect(extract(T)).toEqual(t);
        }),
      { numRuns: 80 },
    );
  });

  it('trmm: no product is skipped (0·NaN in the triangle stays NaN), and what is not read can be NaN', () => {
    for (const n of [3, 40]) {
      const t = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[i * n + j] = j > i ? Number.NaN : j === i ? 2 : 0;
      t[(n - 1) * n] = Number.NaN; // row n−1, column 0: in the lower triangle
      const b = new Float64Array(n * 2).fill(1);
      b[0] = 0; b[1] = 0; // row 0 of B is zero: NaN·0 must still be NaN
      K.trmm(false, true, false, false, n, 2, t, 0, n, b, 0, 2);
      expect(Number.isNaN(b[(n - 1) * 2]) && Number.isNaN(b[(n - 1) * 2 + 1])).toBe(true);
      for (let i = 0; i < n - 1; i++) expect([b[i * 2], b[i * 2 + 1]]).toEqual(i === 0 ? [0, 0] : [2, 2]);
    }
  });

  it('potrf: the lower factor of SPD matrices, in place and out of place; the strict upper triangle is left alone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SIZES, 130, 200), layout, fc.integer(), (n, lay, seed) => {
        const a = spd(n, rng(seed));
        const A = embed(a, n, n, lay.off, lay.pad);
        expect(K.potrf(n, A.data, A.off, A.ld, A.data, A.off, A.ld)).toBe(-1);
        const got = extract(A);
        expect(relDiff(triangle(got, n, true, false), cholesky(a, n)!)).toBeLessThanOrEqual(TOL);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(got[i * n + j]).toBe(a[i * n + j]);
        expect(guardsIntact(A)).toBe(true);
        // out of place: A is only read; L's strict upper triangle keeps what it had
        const A2 = embed(a, n, n, lay.pad, lay.off), L = embed(new Float64Array(n * n).fill(-7), n, n, lay.off, 1);
        expect(K.potrf(n, A2.data, A2.off, A2.ld, L.data, L.off, L.ld)).toBe(-1);
        expect(extract(A2)).toEqual(a);
        const l = extract(L);
        expect(relDiff(triangle(l, n, true, false), triangle(got, n, true, false))).toBeLessThanOrEqual(TOL);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(-7);
        expect(guardsIntact(L) && guardsIntact(A2)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('trtri: the inverse of either triangle (unit or not) in place; the other triangle is not touched', () => {
    fc.assert(
      fc.property(size, fc.boolean(), fc.boolean(), layout, fc.integer(), (n, lower, unit, lay, seed) => {
        const t = wellConditioned(n, rng(seed));
        const A = embed(t, n, n, lay.off, lay.pad);
        expect(K.trtri(lower, unit, n, A.data, A.off, A.ld)).toBe(-1);
        const got = extract(A);
        const eye = new Float64Array(n * n);
        for (let i = 0; i < n; i++) eye[i * n + i] = 1;
        const expected = substitute(triangle(t, n, lower, unit), eye, n, n, lower);
        expect(relDiff(triangle(got, n, lower, unit), triangle(expected, n, lower, unit))).toBeLessThanOrEqual(TOL);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const kept = (lower ? j > i : j < i) || (unit && i === j);
            if (kept) expect(got[i * n + j]).toBe(t[i * n + j]);
          }
        }
        expect(guardsIntact(A)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('potri: (L·Lᵀ)⁻¹, exactly symmetric, L unchanged', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SIZES, 130), layout, fc.integer(), (n, lay, seed) => {
        const next = rng(seed);
        const l = triangle(wellConditioned(n, next), n, true, false);
        for (let i = 0; i < n; i++) l[i * n + i] = Math.abs(l[i * n + i]);
        // junk above the diagonal must not be read
        const stored = l.slice();
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) stored[i * n + j] = 99;
        const L = embed(stored, n, n, lay.off, lay.pad), C = embed(new Float64Array(n * n), n, n, lay.pad, lay.off);
        expect(K.potri(n, L.data, L.off, L.ld, C.data, C.off, C.ld)).toBe(-1);
        const eye = new Float64Array(n * n);
        for (let i = 0; i < n; i++) eye[i * n + i] = 1;
        const m = substitute(l, eye, n, n, true); // L⁻¹
        const expected = matmul(transpose(m, n, n), m, n, n, n);
        const got = extract(C);
        expect(relDiff(got, expected)).toBeLessThanOrEqual(TOL);
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(got[i * n + j]).toBe(got[j * n + i]);
        expect(extract(L)).toEqual(stored);
        expect(guardsIntact(C) && guardsIntact(L)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('getrf + getrs: the same pivots as textbook LU, P·A = L·U, and A·X = B', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SIZES, 130), size, layout, fc.integer(), (n, m, lay, seed) => {
        const next = rng(seed);
        const a = uniform(n * n, next), b = uniform(n * m, next);
        const A = embed(a, n, n, lay.off, lay.pad);
        const perm = new Int32Array(n);
        expect(K.getrf(n, n, A.data, A.off, A.ld, perm)).toBe(-1);
        const ref = lu(a, n);
        expect(Array.from(perm)).toEqual(ref.perm);
        expect(relDiff(extract(A), ref.lu)).toBeLessThanOrEqual(1e-10); // LU of random matrices: growth ~ n
        const B = embed(b, n, m, lay.pad, lay.off), X = embed(new Float64Array(n * m), n, m, lay.off, 1);
        K.getrs(false, n, m, A.data, A.off, A.ld, perm, B.data, B.off, B.ld, X.data, X.off, X.ld);
        const x = extract(X);
        // residual ‖A·X − B‖ relative to ‖A‖‖X‖
        const r = matmul(a, x, n, n, m);
        expect(relDiff(r, b)).toBeLessThanOrEqual(1e-10 * Math.max(1, ...Array.from(x, Math.abs)));
        expect(extract(B)).toEqual(b);
        expect(guardsIntact(X) && guardsIntact(A)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
  it('getrf on m×n matrices (tall and wide): the pivots of textbook LU and P·A = L·U, on embedded operands', () => {
    fc.assert(
      fc.property(size, size, layout, fc.integer(), (m, n, lay, seed) => {
        const next = rng(seed);
        const a = uniform(m * n, next);
        const A = embed(a, m, n, lay.off, lay.pad);
        const perm = new Int32Array(m);
        expect(K.getrf(m, n, A.data, A.off, A.ld, perm)).toBe(-1);
        const ref = luRect(a, m, n);
        expect(Array.from(perm)).toEqual(ref.perm);
        const got = extract(A);
        expect(relDiff(got, ref.lu)).toBeLessThanOrEqual(1e-10);
        const pa = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) pa[i * n + j] = a[perm[i] * n + j];
        expect(relDiff(luProduct(got, m, n), pa)).toBeLessThanOrEqual(1e-12 * Math.max(1, m));
        expect(guardsIntact(A)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('getrf completes past exactly zero pivots (LAPACK): the first is returned and P·A = L·U still holds', () => {
    for (const [m, n] of [[6, 6], [70, 70], [40, 9], [9, 40], [80, 75]] as const) {
      const a = uniform(m * n, rng(m + n));
      // columns 1 and 3 copies of column 0 (small integers: the eliminations are exact), so both pivots vanish
      for (let i = 0; i < m; i++) {
        a[i * n] = (i % 3) - 1;
        a[i * n + 1] = a[i * n];
        a[i * n + 3] = 2 * a[i * n];
      }
      const work = a.slice(), perm = new Int32Array(m);
      expect(K.getrf(m, n, work, 0, n, perm)).toBe(1);
      const ref = luRect(a, m, n);
      expect(ref.singular).toBe(1);
      expect(Array.from(perm)).toEqual(ref.perm);
      expect(work[n + 1]).toBe(0);
      expect(work[3 * n + 3]).toBe(0);
      const pa = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) pa[i * n + j] = a[perm[i] * n + j];
      expect(relDiff(luProduct(work, m, n), pa)).toBeLessThanOrEqual(1e-12 * m);
    }
  });

  it('getrs with trans: Aᵀ·X = B from the same factors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SIZES, 130), size, layout, fc.integer(), (n, m, lay, seed) => {
        const next = rng(seed);
        const a = uniform(n * n, next), b = uniform(n * m, next);
        for (let i = 0; i < n; i++) a[i * n + i] += 2 * (i % 2 === 0 ? 1 : -1);
        const A = embed(a, n, n, lay.off, lay.pad), perm = new Int32Array(n);
        K.getrf(n, n, A.data, A.off, A.ld, perm);
        const B = embed(b, n, m, lay.pad, lay.off), X = embed(new Float64Array(n * m), n, m, lay.off, 1);
        K.getrs(true, n, m, A.data, A.off, A.ld, perm, B.data, B.off, B.ld, X.data, X.off, X.ld);
        const x = extract(X);
        expect(relDiff(matmul(transpose(a, n, n), x, n, n, m), b)).toBeLessThanOrEqual(1e-11 * Math.max(1, ...Array.from(x, Math.abs)));
        expect(extract(B)).toEqual(b);
        expect(guardsIntact(X) && guardsIntact(A) && guardsIntact(B)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('getc2: P·A·Q = L·U with complete pivoting (multipliers ≤ 1, each pivot the largest of its row of U), rank revealed', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1, 2, 3, 5, 8, 17, 33), fc.integer({ min: 0, max: 4 }), layout, fc.integer(), (n, deficiency, lay, seed) => {
        const next = rng(seed);
        const rank = Math.max(0, n - deficiency);
        // rank r: r random rows, the others ±2^k times one of them, shuffled. Scaling by a power of two commutes
        // with rounding, so a copy stays an exact multiple through the elimination and vanishes exactly.
        const base = uniform(rank * n, next);
        const a = new Float64Array(n * n);
        const order = Array.from({ length: n }, (_, i) => i).sort(() => next() - 0.5);
        for (let i = 0; i < n; i++) {
          const src = i < rank ? i : Math.floor(next() * rank);
          const c = i < rank ? 1 : (next() < 0.5 ? -1 : 1) * 2 ** Math.floor(4 * next() - 2);
          for (let j = 0; j < n; j++) a[order[i] * n + j] = rank === 0 ? 0 : c * base[src * n + j];
        }
        const A = embed(a, n, n, lay.off, lay.pad), rp = new Int32Array(n), cp = new Int32Array(n);
        const r = K.getc2(n, A.data, A.off, A.ld, rp, cp);
        const got = extract(A);
        const pivots = Array.from({ length: n }, (_, i) => Math.abs(got[i * n + i]));
        const revealed = r < 0 ? n : r;
        expect(revealed).toBe(rank);
        for (let i = 0; i < revealed; i++) expect(pivots[i]).toBeGreaterThan(0);
        for (let i = revealed; i < n; i++) for (let j = revealed; j < n; j++) expect(got[i * n + j]).toBe(0);
        // each pivot was the largest entry of its trailing block: no larger than the rest of its row of U
        for (let i = 0; i < revealed; i++) for (let j = i + 1; j < n; j++) expect(Math.abs(got[i * n + j])).toBeLessThanOrEqual(pivots[i]);
        for (let i = 0; i < n; i++) for (let j = 0; j < Math.min(i, revealed); j++) expect(Math.abs(got[i * n + j])).toBeLessThanOrEqual(1);
        const paq = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) paq[i * n + j] = a[rp[i] * n + cp[j]];
        expect(relDiff(luProduct(got, n, n), paq)).toBeLessThanOrEqual(1e-12 * Math.max(1, n));
        expect([...rp].sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect([...cp].sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(guardsIntact(A)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('both backends agree (≤ 1e-12 relative) and fail identically', () => {
  const run = (K: DenseKernels, f: (K: DenseKernels) => Embedded | Float64Array) => {
    const r = f(K);
    return r instanceof Float64Array ? r : extract(r);
  };

  it('on every kernel, at sizes across the crossovers', () => {
    fc.assert(
      fc.property(fc.constantFrom(5, 16, 33, 64, 100, 150), fc.integer(), (n, seed) => {
        const cases: ((K: DenseKernels) => Embedded | Float64Array)[] = [
          (K) => {
            const next = rng(seed), C = embed(uniform(n * n, next), n, n, 0, 0), a = uniform(n * n, next);
            K.gemm(true, false, n, n, n, -1, a, 0, n, a, 0, n, 1, C.data, C.off, C.ld);
            return C;
          },
          (K) => {
            const next = rng(seed), t = wellConditioned(n, next), B = embed(uniform(n * 3, next), n, 3, 1, 1);
            K.trsm(false, true, true, false, n, 3, t, 0, n, B.data, B.off, B.ld);
            return B;
          },
          (K) => {
            const next = rng(seed), t = uniform(n * n, next), B = embed(uniform(n * n, next), n, n, 1, 1);
            K.trmm(true, false, true, false, n, n, t, 0, n, B.data, B.off, B.ld);
            return B;
          },
          (K) => {
            const A = embed(spd(n, rng(seed)), n, n, 0, 0);
            K.potrf(n, A.data, 0, n, A.data, 0, n);
            return A;
          },
          (K) => {
            const c = new Float64Array(n * n), l = cholesky(spd(n, rng(seed)), n)!;
            K.potri(n, l, 0, n, c, 0, n);
            return c;
          },
          (K) => {
            const A = embed(uniform(n * n, rng(seed)), n, n, 0, 0), perm = new Int32Array(n);
            K.getrf(n, n, A.data, 0, n, perm);
            return A;
          },
          (K) => {
            // tall and wide
            const t = embed(uniform(2 * n * n, rng(seed)), 2 * n, n, 0, 1), w = embed(uniform(2 * n * n, rng(seed + 1)), n, 2 * n, 1, 0);
            K.getrf(2 * n, n, t.data, t.off, t.ld, new Int32Array(2 * n));
            K.getrf(n, 2 * n, w.data, w.off, w.ld, new Int32Array(n));
            return Float64Array.from([...extract(t), ...extract(w)]);
          },
          (K) => {
            const a = wellConditioned(n, rng(seed)), perm = new Int32Array(n), x = new Float64Array(n * 3);
            K.getrf(n, n, a, 0, n, perm);
            K.getrs(true, n, 3, a, 0, n, perm, uniform(n * 3, rng(seed + 2)), 0, 3, x, 0, 3);
            return x;
          },
        ];
        for (const f of cases) expect(relDiff(run(wasm, f), run(js, f))).toBeLessThanOrEqual(TOL);
      }),
      { numRuns: 12 },
    );
  });

  it('a zero diagonal: trsm reports the first met in substitution order, trtri/potri the first; B untouched', () => {
    for (const n of [6, 70]) {
      const t = wellConditioned(n, rng(n));
      t[2 * n + 2] = 0;
      t[(n - 2) * n + n - 2] = 0;
      for (const [, K] of BACKENDS) {
        const b = uniform(n * 2, rng(1)), b0 = b.slice();
        expect(K.trsm(false, true, false, false, n, 2, t, 0, n, b, 0, 2)).toBe(2); // forward
        expect(K.trsm(false, true, true, false, n, 2, t, 0, n, b, 0, 2)).toBe(n - 2); // Lᵀ: backward
        expect(K.trsm(true, true, false, false, 2, n, t, 0, n, b, 0, n)).toBe(n - 2); // X·L: backward
        expect(K.trsm(false, false, false, false, n, 2, t, 0, n, b, 0, 2)).toBe(n - 2); // upper: backward
        expect(K.trsm(false, true, false, true, n, 2, t, 0, n, b, 0, 2)).toBe(-1); // unit: diagonal not read
        expect(b).not.toEqual(b0); // … and that one did solve
        const c = t.slice();
        expect(K.trtri(true, false, n, c, 0, n)).toBe(2);
        expect(c).toEqual(t);
        expect(K.potri(n, t, 0, n, new Float64Array(n * n), 0, n)).toBe(2);
      }
    }
  });

  it('potrf: the same failing pivot and (to round-off) the same pivot value', () => {
    for (const [n, bad] of [[5, 3], [40, 0], [40, 37], [150, 97]] as const) {
      const a = spd(n, rng(n));
      // make the leading (bad+1)×(bad+1) block indefinite exactly at `bad`
      a[bad * n + bad] -= 1e3;
      const results = BACKENDS.map(([, K]) => {
        const c = a.slice();
        const i = K.potrf(n, c, 0, n, c, 0, n);
        return { i, v: c[i * n + i] };
      });
      expect(results[0].i).toBe(bad);
      expect(results[1].i).toBe(bad);
      expect(Math.abs(results[1].v - results[0].v)).toBeLessThanOrEqual(1e-12 * Math.abs(results[0].v));
      expect(results[0].v).toBeLessThan(0);
    }
    // NaN pivots fail too (NaN is not > 0)
    for (const [, K] of BACKENDS) {
      const a = spd(40, rng(3));
      a[20 * 40 + 5] = NaN;
      expect(K.potrf(40, a, 0, 40, a, 0, 40)).toBe(20);
    }
  });

  it('getrf: the same singular column', () => {
    for (const n of [4, 50]) {
      const a = uniform(n * n, rng(n));
      // column 2 = 2·column 0 + column 1 exactly in binary: singular at column 2 (small integers keep it exact)
      for (let i = 0; i < n; i++) {
        a[i * n] = (i % 3) - 1;
        a[i * n + 1] = (i % 5) - 2;
        a[i * n + 2] = 2 * a[i * n] + a[i * n + 1];
      }
      for (const [, K] of BACKENDS) expect(K.getrf(n, n, a.slice(), 0, n, new Int32Array(n))).toBe(2);
    }
  });
});
