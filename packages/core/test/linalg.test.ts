/**
 * Linear algebra: primal correctness on random and ill-conditioned matrices, batching and broadcasting, the structure
 * ops, and errors. Derivatives are in linalg-derivatives.test.ts. Residuals are computed with plain loops here, not
 * with library ops.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NonFiniteError,
  NotPositiveDefiniteError,
  ShapeError,
  SingularMatrixError,
  Tensor,
  jvp,
  ops,
  setBackend,
} from '@natgrad/core';
import { randomTensor, rng } from './util/check.js';

const EPS = 2 ** -52;

// ---------- plain-loop matrix helpers (row-major n×m blocks of a batch) ----------

/** Number of matrices in a batch of [..., r, c]. */
function count(shape: readonly number[]): number {
  return shape.slice(0, -2).reduce((a, b) => a * b, 1);
}

function mm(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) c[i * m + j] += a[i * k + p] * b[p * m + j];
  return c;
}

function tr(a: Float64Array, n: number, m: number): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j];
  return t;
}

function frob(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

function diff(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, (v, i) => v - b[i]);
}

function block(t: Tensor, s: number): Float64Array {
  const r = t.shape[t.shape.length - 2], c = t.shape[t.shape.length - 1];
  return t.data.slice(s * r * c, (s + 1) * r * c);
}

function eye(n: number): Float64Array {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}

/** Batch of SPD matrices `B Bᵀ + n I`. */
function spd(batch: number[], n: number, next: () => number): Tensor {
  const b = randomTensor([...batch, n, n], next);
  const out = new Float64Array(b.size);
  for (let s = 0; s < count(b.shape); s++) {
    const bs = block(b, s);
    const a = mm(bs, tr(bs, n, n), n, n, n);
    for (let i = 0; i < n; i++) a[i * n + i] += n;
    out.set(a, s * n * n);
  }
  return new Tensor(out, [...batch, n, n]);
}

/** Batch of triangular matrices with random entries in the other triangle too (which must be ignored). */
function triangular(batch: number[], n: number, next: () => number): Tensor {
  const t = randomTensor([...batch, n, n], next);
  const d = t.data.slice();
  for (let s = 0; s < count(t.shape); s++) {
    for (let i = 0; i < n; i++) d[s * n * n + i * n + i] = (next() < 0.5 ? -1 : 1) * (1 + next());
  }
  return new Tensor(d, t.shape);
}

function maskTri(a: Float64Array, n: number, lower: boolean): Float64Array {
  return Float64Array.from(a, (v, q) => ((lower ? q % n <= Math.floor(q / n) : q % n >= Math.floor(q / n)) ? v : 0));
}

/** Determinant by Laplace expansion along the first row (independent of LU). */
function detLaplace(a: number[][]): number {
  const n = a.length;
  if (n === 1) return a[0][0];
  let d = 0;
  for (let j = 0; j < n; j++) {
    const minor = a.slice(1).map((row) => row.filter((_, c) => c !== j));
    d += (j % 2 === 0 ? 1 : -1) * a[0][j] * detLaplace(minor);
  }
  return d;
}

/** A random orthogonal matrix: a product of n Householder reflections. */
function orthogonal(n: number, next: () => number): Float64Array {
  let q = eye(n);
  for (let r = 0; r < n; r++) {
    const v = Float64Array.from({ length: n }, () => next() - 0.5);
    const vv = v.reduce((s, x) => s + x * x, 0);
    const h = eye(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] -= (2 * v[i] * v[j]) / vv;
    q = mm(q, h, n, n, n);
  }
  return q;
}

/** SPD matrix Q diag(λ) Qᵀ with eigenvalues from 1 down to 1/cond (log-spaced); returns it and log det. */
function conditioned(n: number, cond: number, next: () => number): { a: Tensor; logdet: number } {
  const q = orthogonal(n, next);
  const lam = Array.from({ length: n }, (_, i) => (n === 1 ? 1 : cond ** (-i / (n - 1))));
  const ql = Float64Array.from(q, (v, k) => v * lam[k % n]);
  const a = mm(ql, tr(q, n, n), n, n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
  return { a: new Tensor(a, [n, n]), logdet: lam.reduce((s, l) => s + Math.log(l), 0) };
}

const sizes = fc.integer({ min: 1, max: 8 });
const seeds = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const batches = fc.constantFrom<number[]>([], [3], [2, 2]);

// ---------- structure ----------

describe.each(['js', 'wasm'] as const)('%s backend', (backend) => {
  // every kernel the ops below call runs on this backend, at every size (no crossover)
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  describe('structure ops', () => {
    it('tril/triu keep the band j − i ≤ k / j − i ≥ k of every matrix, including non-square ones', () => {
      fc.assert(
        fc.property(sizes, sizes, fc.integer({ min: -3, max: 3 }), seeds, (r, c, k, seed) => {
          const x = randomTensor([2, r, c], rng(seed));
          const lo = ops.tril(x, k), up = ops.triu(x, k);
          for (let s = 0; s < 2; s++) {
            for (let i = 0; i < r; i++) {
              for (let j = 0; j < c; j++) {
                const v = x.get(s, i, j);
                expect(lo.get(s, i, j)).toBe(j - i <= k ? v : 0);
                expect(up.get(s, i, j)).toBe(j - i >= k ? v : 0);
              }
            }
          }
          // tril(x, k) + triu(x, k + 1) = x exactly
          expect(ops.add(lo, ops.triu(x, k + 1)).toFlatArray()).toEqual(x.toFlatArray());
        }),
        { numRuns: 40 },
      );
    });

    it('diag, diagonal and trace on batches', () => {
      const v = Tensor.from([[1, 2, 3], [4, 5, 6]]);
      const d = ops.diag(v);
      expect(d.shape).toEqual([2, 3, 3]);
      expect(d.toArray()).toEqual([
        [[1, 0, 0], [0, 2, 0], [0, 0, 3]],
        [[4, 0, 0], [0, 5, 0], [0, 0, 6]],
      ]);
      expect(ops.diagonal(d).toArray()).toEqual(v.toArray());
      const a = Tensor.from([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
      expect(ops.diagonal(a).toArray()).toEqual([[1, 4], [5, 8]]);
      expect(ops.trace(a).toArray()).toEqual([5, 13]);
      expect(ops.trace(Tensor.from([[2]])).item()).toBe(2);
    });

    it('methods forward to the ops', () => {
      const a = Tensor.from([[1, 2], [3, 4]]);
      expect(a.tril().toArray()).toEqual([[1, 0], [3, 4]]);
      expect(a.triu(1).toArray()).toEqual([[0, 2], [0, 0]]);
      expect(a.diagonal().toArray()).toEqual([1, 4]);
    });
  });

  // ---------- factorisations and solves ----------

  describe('cholesky', () => {
    it('L is lower with positive diagonal and L Lᵀ = A to round-off (sizes 1..8, batched)', () => {
      fc.assert(
        fc.property(sizes, seeds, batches, (n, seed, batch) => {
          const a = spd(batch, n, rng(seed));
          const l = ops.cholesky(a);
          expect(l.shape).toEqual(a.shape);
          for (let s = 0; s < count(a.shape); s++) {
            const ls = block(l, s), as = block(a, s);
            for (let i = 0; i < n; i++) {
              expect(ls[i * n + i]).toBeGreaterThan(0);
              for (let j = i + 1; j < n; j++) expect(ls[i * n + j]).toBe(0);
            }
            expect(frob(diff(mm(ls, tr(ls, n, n), n, n, n), as))).toBeLessThanOrEqual(4 * n * EPS * frob(as));
          }
        }),
        { numRuns: 60 },
      );
    });

    it('reads only the lower triangle', () => {
      fc.assert(
        fc.property(sizes, seeds, (n, seed) => {
          const next = rng(seed);
          const a = spd([2], n, next);
          const garbage = randomTensor([2, n, n], next, -100, 100);
          const mixed = ops.add(ops.tril(a), ops.triu(garbage, 1));
          expect(ops.cholesky(mixed).toFlatArray()).toEqual(ops.cholesky(a).toFlatArray());
        }),
        { numRuns: 30 },
      );
    });

    it('matches a hand-computed factor', () => {
      const l = ops.cholesky([[4, 2, -2], [2, 10, 5], [-2, 5, 11]]);
      expect(l.toArray()).toEqual([[2, 0, 0], [1, 3, 0], [-1, 2, Math.sqrt(6)]]);
    });
  });

  describe('triangularSolve', () => {
    const variants = [
      { lower: true, transpose: false },
      { lower: true, transpose: true },
      { lower: false, transpose: false },
      { lower: false, transpose: true },
    ];
    for (const opt of variants) {
      it(`op(T) X = B, lower=${opt.lower} transpose=${opt.transpose} (matrix and vector B, batched, broadcast)`, () => {
        fc.assert(
          fc.property(sizes, fc.integer({ min: 1, max: 4 }), seeds, batches, (n, m, seed, batch) => {
            const next = rng(seed);
            const t = triangular(batch, n, next);
            const b = randomTensor([...batch, n, m], next);
            const x = ops.triangularSolve(t, b, opt);
            expect(x.shape).toEqual(b.shape);
            for (let s = 0; s < count(b.shape); s++) {
              let ts = maskTri(block(t, s), n, opt.lower);
              if (opt.transpose) ts = tr(ts, n, n);
              const xs = block(x, s), bs = block(b, s);
              const res = frob(diff(mm(ts, xs, n, n, m), bs));
              expect(res).toBeLessThanOrEqual(8 * n * EPS * (frob(ts) * frob(xs) + frob(bs)));
            }
            // a vector right-hand side gives a vector of the same shape, equal to the one-column solve
            const bv = randomTensor([...batch, n], next);
            const xv = ops.triangularSolve(t, bv, opt);
            expect(xv.shape).toEqual(bv.shape);
            const xc = ops.triangularSolve(t, ops.reshape(bv, [...batch, n, 1]), opt);
            expect(xv.toFlatArray()).toEqual(xc.toFlatArray());
            // one matrix against a batch of right-hand sides = the solves one by one
            const t0 = triangular([], n, next);
            const bb = randomTensor([3, n, m], next);
            const xb = ops.triangularSolve(t0, bb, opt);
            for (let s = 0; s < 3; s++) {
              expect(Array.from(block(xb, s))).toEqual(ops.triangularSolve(t0, ops.slice(bb, s), opt).toFlatArray());
            }
          }),
          { numRuns: 30 },
        );
      });
    }

    it('reads only the given triangle', () => {
      const next = rng(7);
      const t = triangular([], 5, next);
      const b = randomTensor([5, 2], next);
      expect(ops.triangularSolve(t, b).toFlatArray()).toEqual(ops.triangularSolve(ops.tril(t), b).toFlatArray());
      expect(ops.triangularSolve(t, b, { lower: false }).toFlatArray()).toEqual(
        ops.triangularSolve(ops.triu(t), b, { lower: false }).toFlatArray(),
      );
    });
  });

  describe('solve, inv, logdet (LU with partial pivoting)', () => {
    /** Random general matrices, some needing pivoting (small diagonal). */
    const general = (batch: number[], n: number, next: () => number) => randomTensor([...batch, n, n], next, -1, 1);

    it('A X = B to round-off; vector and broadcast right-hand sides', () => {
      fc.assert(
        fc.property(sizes, fc.integer({ min: 1, max: 4 }), seeds, batches, (n, m, seed, batch) => {
          const next = rng(seed);
          const a = general(batch, n, next);
          const b = randomTensor([...batch, n, m], next);
          const x = ops.solve(a, b);
          for (let s = 0; s < count(b.shape); s++) {
            const as = block(a, s), xs = block(x, s), bs = block(b, s);
            expect(frob(diff(mm(as, xs, n, n, m), bs))).toBeLessThanOrEqual(8 * n * EPS * (frob(as) * frob(xs) + frob(bs)));
          }
          const bv = randomTensor([...batch, n], next);
          const xv = ops.solve(a, bv);
          expect(xv.shape).toEqual(bv.shape);
          expect(xv.toFlatArray()).toEqual(ops.solve(a, ops.reshape(bv, [...batch, n, 1])).toFlatArray());
          // A [n, n] shared by a batch [2, n, m] and A [2, 1, n, n] against B [1, 3, n, m]
          const a1 = general([], n, next), b2 = randomTensor([2, n, m], next);
          const x2 = ops.solve(a1, b2);
          for (let s = 0; s < 2; s++) expect(Array.from(block(x2, s))).toEqual(ops.solve(a1, ops.slice(b2, s)).toFlatArray());
          const a3 = general([2, 1], n, next), b3 = randomTensor([1, 3, n, m], next);
          const x3 = ops.solve(a3, b3);
          expect(x3.shape).toEqual([2, 3, n, m]);
          expect(ops.slice(x3, 1, 2).toFlatArray()).toEqual(ops.solve(ops.slice(a3, 1, 0), ops.slice(b3, 0, 2)).toFlatArray());
        }),
        { numRuns: 40 },
      );
    });

    it('inv(A) A = A inv(A) = I', () => {
      fc.assert(
        fc.property(sizes, seeds, batches, (n, seed, batch) => {
          const a = general(batch, n, rng(seed));
          const x = ops.inv(a);
          for (let s = 0; s < count(a.shape); s++) {
            const as = block(a, s), xs = block(x, s);
            const scale = 8 * n * EPS * frob(as) * frob(xs);
            expect(frob(diff(mm(xs, as, n, n, n), eye(n)))).toBeLessThanOrEqual(scale);
            expect(frob(diff(mm(as, xs, n, n, n), eye(n)))).toBeLessThanOrEqual(scale);
          }
        }),
        { numRuns: 40 },
      );
    });

    it('logdet = log |det A| against Laplace expansion, and = 2 Σ log Lᵢᵢ for SPD A', () => {
      fc.assert(
        fc.property(sizes, seeds, batches, (n, seed, batch) => {
          const next = rng(seed);
          const a = general(batch, n, next);
          const ld = ops.logdet(a);
          expect(ld.shape).toEqual(batch);
          for (let s = 0; s < count(a.shape); s++) {
            const rows = Array.from({ length: n }, (_, i) => Array.from(block(a, s).subarray(i * n, (i + 1) * n)));
            const det = detLaplace(rows);
            expect(Math.abs(ld.data[s] - Math.log(Math.abs(det)))).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(ld.data[s])));
          }
          const p = spd(batch, n, next);
          const l = ops.cholesky(p);
          const viaChol = ops.mul(ops.sum(ops.log(ops.diagonal(l)), -1), 2);
          const lp = ops.logdet(p);
          for (let s = 0; s < lp.size; s++) expect(Math.abs(lp.data[s] - viaChol.data[s])).toBeLessThanOrEqual(1e-12 * Math.abs(lp.data[s]) + 1e-13);
        }),
        { numRuns: 40 },
      );
    });
  });

  describe('choleskySolve, choleskyInverse', () => {
    it('(L Lᵀ) X = B and (L Lᵀ) Y = I; Y exactly symmetric', () => {
      fc.assert(
        fc.property(sizes, fc.integer({ min: 1, max: 3 }), seeds, batches, (n, m, seed, batch) => {
          const next = rng(seed);
          const a = spd(batch, n, next);
          const l = ops.cholesky(a);
          const b = randomTensor([...batch, n, m], next);
          const x = ops.choleskySolve(l, b);
          const y = ops.choleskyInverse(l);
          for (let s = 0; s < count(a.shape); s++) {
            const as = block(a, s), xs = block(x, s), bs = block(b, s), ys = block(y, s);
            expect(frob(diff(mm(as, xs, n, n, m), bs))).toBeLessThanOrEqual(16 * n * EPS * (frob(as) * frob(xs) + frob(bs)));
            expect(frob(diff(mm(as, ys, n, n, n), eye(n)))).toBeLessThanOrEqual(16 * n * EPS * frob(as) * frob(ys));
            expect(Array.from(ys)).toEqual(Array.from(tr(ys, n, n)));
          }
          const bv = randomTensor([...batch, n], next);
          expect(ops.choleskySolve(l, bv).shape).toEqual(bv.shape);
          // reads only the lower triangle of L
          const garbage = ops.add(l, ops.triu(randomTensor([...batch, n, n], next), 1));
          expect(ops.choleskyInverse(garbage).toFlatArray()).toEqual(y.toFlatArray());
          expect(ops.choleskySolve(garbage, b).toFlatArray()).toEqual(x.toFlatArray());
        }),
        { numRuns: 40 },
      );
    });
  });

  // ---------- conditioning ----------

  describe('ill-conditioned matrices (cond up to 1e8)', () => {
    for (const cond of [1e2, 1e4, 1e6, 1e8]) {
      it(`cond = ${cond.toExponential(0)}: backward errors at round-off, forward errors within cond·eps`, () => {
        for (const n of [2, 5, 8, 24]) {
          const next = rng(1000 + n);
          const { a, logdet } = conditioned(n, cond, next);
          const ad = a.data, na = frob(ad);
          // Backward-stable algorithms: relative residuals at round-off whatever cond is (observed ≤ 0.25 n·eps).
          const back = 2 * n * EPS;
          // Forward errors and inverse residuals: bounded by cond·eps (observed ≤ 0.7 cond·eps).
          const fwd = 4 * cond * EPS;
          const l = ops.cholesky(a);
          expect(frob(diff(mm(l.data, tr(l.data, n, n), n, n, n), ad)) / na).toBeLessThanOrEqual(back);
          // Triangular solve with the (√cond-conditioned) factor.
          const b = randomTensor([n, 3], next);
          const z = ops.triangularSolve(l, b, { transpose: true });
          expect(frob(diff(mm(tr(l.data, n, n), z.data, n, n, 3), b.data)) / (frob(l.data) * frob(z.data))).toBeLessThanOrEqual(back);
          // solve: normwise backward error at round-off, forward error ≲ cond·eps
          const xTrue = randomTensor([n, 3], next);
          const rhs = new Tensor(mm(ad, xTrue.data, n, n, 3), [n, 3]);
          for (const x of [ops.solve(a, rhs), ops.choleskySolve(l, rhs)]) {
            expect(frob(diff(mm(ad, x.data, n, n, 3), rhs.data)) / (na * frob(x.data) + frob(rhs.data))).toBeLessThanOrEqual(back);
            expect(frob(diff(x.data, xTrue.data)) / frob(xTrue.data)).toBeLessThanOrEqual(fwd);
          }
          // inverses: ‖A X − I‖ ≲ cond·eps
          for (const x of [ops.inv(a), ops.choleskyInverse(l)]) {
            expect(frob(diff(mm(ad, x.data, n, n, n), eye(n))) / Math.sqrt(n)).toBeLessThanOrEqual(fwd);
          }
          expect(Math.abs(ops.logdet(a).item() - logdet)).toBeLessThanOrEqual(fwd);
        }
      });
    }
  });

  // ---------- errors ----------

  describe('errors', () => {
    it('non-positive-definite input names the failing pivot, its value and the batch index', () => {
      const err = (f: () => unknown) => {
        try {
          f();
        } catch (e) {
          return e;
        }
        throw new Error('expected an error');
      };
      const e1 = err(() => ops.cholesky([[1, 2], [2, 1]])) as NotPositiveDefiniteError;
      expect(e1).toBeInstanceOf(NotPositiveDefiniteError);
      expect(e1.pivot).toBe(1);
      expect(e1.pivotValue).toBe(-3);
      expect(e1.batchIndex).toBe(0);
      expect(e1.code).toBe('NOT_POSITIVE_DEFINITE');
      const e2 = err(() => ops.cholesky([[[1, 0], [0, 1]], [[4, 0], [0, 9]], [[-1, 0], [0, 1]]])) as NotPositiveDefiniteError;
      expect(e2.pivot).toBe(0);
      expect(e2.batchIndex).toBe(2);
      expect(e2.message).toContain('matrix 2 of the batch');
      // a later pivot of a larger matrix, under a transform
      const a = Tensor.from([[4, 2, 0], [2, 2, 3], [0, 3, 1]]);
      const e3 = err(() => jvp((x) => ops.cholesky(x), [a], [a])) as NotPositiveDefiniteError;
      expect(e3).toBeInstanceOf(NotPositiveDefiniteError);
      expect(e3.pivot).toBe(2);
      expect(e3.pivotValue).toBeCloseTo(-8, 12);
      // a zero pivot is not positive
      expect((err(() => ops.cholesky([[0]])) as NotPositiveDefiniteError).pivot).toBe(0);
    });

    it('singular matrices: zero pivot in LU or on a triangular diagonal', () => {
      expect(() => ops.solve([[1, 2], [2, 4]], [1, 1])).toThrow(SingularMatrixError);
      try {
        ops.inv([[[1, 0], [0, 1]], [[1, 2], [2, 4]]]);
        throw new Error('expected an error');
      } catch (e) {
        expect(e).toBeInstanceOf(SingularMatrixError);
        expect((e as SingularMatrixError).pivot).toBe(1);
        expect((e as SingularMatrixError).batchIndex).toBe(1);
      }
      try {
        ops.triangularSolve([[1, 0, 0], [5, 0, 0], [1, 1, 1]], [1, 2, 3]);
        throw new Error('expected an error');
      } catch (e) {
        expect(e).toBeInstanceOf(SingularMatrixError);
        expect((e as SingularMatrixError).pivot).toBe(1);
        expect((e as SingularMatrixError).message).toContain('triangularSolve');
      }
      expect(() => ops.choleskyInverse([[1, 0], [3, 0]])).toThrow(SingularMatrixError);
      expect(ops.logdet([[1, 2], [2, 4]]).item()).toBe(-Infinity);
    });

    it('non-finite input → NonFiniteError (only the triangle read counts for cholesky)', () => {
      expect(() => ops.cholesky([[1, 0], [NaN, 1]])).toThrow(NonFiniteError);
      expect(() => ops.cholesky([[Infinity, 0], [0, 1]])).toThrow(NonFiniteError);
      expect(ops.cholesky([[4, NaN], [0, 1]]).toArray()).toEqual([[2, 0], [0, 1]]);
      expect(() => ops.solve([[1, 0], [0, NaN]], [1, 1])).toThrow(NonFiniteError);
      expect(() => ops.solve([[1, 0], [0, 1]], [1, NaN])).toThrow(NonFiniteError);
      expect(() => ops.triangularSolve([[1, 0], [0, 1]], [Infinity, 1])).toThrow(NonFiniteError);
      expect(() => ops.inv([[NaN]])).toThrow(NonFiniteError);
      expect(() => ops.logdet([[NaN]])).toThrow(NonFiniteError);
      expect(() => ops.choleskyInverse([[1, 0], [NaN, 1]])).toThrow(NonFiniteError);
    });

    it('shape errors name the op and the shapes', () => {
      const rect = [[1, 2, 3], [4, 5, 6]];
      for (const [name, f] of [
        ['cholesky', () => ops.cholesky(rect)],
        ['inv', () => ops.inv(rect)],
        ['logdet', () => ops.logdet(rect)],
        ['choleskyInverse', () => ops.choleskyInverse(rect)],
        ['diagonal', () => ops.diagonal(rect)],
        ['solve', () => ops.solve(rect, [1, 2])],
        ['triangularSolve', () => ops.triangularSolve(rect, [1, 2])],
      ] as const) {
        expect(f).toThrow(ShapeError);
        expect(f).toThrow(name);
        expect(f).toThrow('[2, 3]');
      }
      expect(() => ops.solve(Tensor.eye(3), Tensor.ones([4, 2]))).toThrow(/solve: .*\[3, 3\] and \[4, 2\]/);
      expect(() => ops.triangularSolve(Tensor.eye(3), [1, 2])).toThrow(ShapeError);
      expect(() => ops.choleskySolve(Tensor.eye(2), Tensor.ones([3, 1]))).toThrow(/choleskySolve/);
      expect(() => ops.solve(Tensor.ones([2, 3, 3]), Tensor.ones([4, 3, 1]))).toThrow(/batch axes/);
      expect(() => ops.tril([1, 2, 3])).toThrow(ShapeError);
      expect(() => ops.diag(3)).toThrow(ShapeError);
      expect(() => ops.cholesky(5)).toThrow(ShapeError);
    });

    it('empty matrices are fine', () => {
      expect(ops.cholesky(Tensor.zeros([0, 0])).shape).toEqual([0, 0]);
      expect(ops.solve(Tensor.zeros([2, 0, 0]), Tensor.zeros([2, 0, 3])).shape).toEqual([2, 0, 3]);
      expect(ops.logdet(Tensor.zeros([0, 0])).item()).toBe(0);
    });
  });
});
