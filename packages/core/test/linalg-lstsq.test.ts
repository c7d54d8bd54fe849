/**
 * pinv and lstsq: the four Penrose conditions, agreement with inverses and normal equations computed with plain
 * loops, minimum-norm solutions of rank-deficient and underdetermined systems, the cutoffs, vector and broadcast
 * right-hand sides, errors; derivatives through checkDerivatives (second order) and the closed form of pinv's
 * derivative at an invertible matrix, d(A⁻¹) = −A⁻¹ dA A⁻¹.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError, Tensor, type Value, jvp, ops } from '@natgrad/core';
import { checkDerivatives, expectClose, randomTensor, rng } from './util/check.js';
import { matmul, transpose } from './util/dense-reference.js';
import { EPS, maxAbs, maxDiff, randomOrthogonal, scaleColumns } from './util/eigen-reference.js';

const T = (d: ArrayLike<number>, shape: number[]) => new Tensor(Float64Array.from(d), shape);
type Lstsq = { solution: Tensor; residuals: Tensor; rank: Tensor; singularValues: Tensor };

/** Gauss–Jordan inverse with partial pivoting. */
function invJs(a: Float64Array, n: number): Float64Array {
  const w = a.slice(), x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(w[i * n + k]) > Math.abs(w[p * n + k])) p = i;
    for (const m of [w, x]) for (let j = 0; j < n; j++) [m[k * n + j], m[p * n + j]] = [m[p * n + j], m[k * n + j]];
    const d = w[k * n + k];
    for (const m of [w, x]) for (let j = 0; j < n; j++) m[k * n + j] /= d;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const c = w[i * n + k];
      for (const m of [w, x]) for (let j = 0; j < n; j++) m[i * n + j] -= c * m[k * n + j];
    }
  }
  return x;
}

/** An m×n matrix of rank r (r ≤ min(m, n)) with singular values 1 .. r. */
function ofRank(m: number, n: number, r: number, next: () => number): Float64Array {
  const u = randomOrthogonal(m, next), v = randomOrthogonal(n, next);
  const ur = new Float64Array(m * r), vr = new Float64Array(n * r);
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) ur[i * r + j] = u[i * m + j];
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) vr[i * r + j] = v[i * n + j];
  return matmul(scaleColumns(ur, m, r, Array.from({ length: r }, (_, i) => r - i)), transpose(vr, n, r), m, r, n);
}

describe('pinv', () => {
  it('satisfies the Penrose conditions for every shape and rank', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.integer(), (m, n, r0, seed) => {
        const r = Math.min(r0, m, n);
        const a = ofRank(m, n, r, rng(seed));
        const x = (ops.pinv(T(a, [m, n])) as Tensor).data;
        const tol = 64 * Math.max(m, n) * EPS * Math.max(1, r);
        expect(maxDiff(matmul(matmul(a, x, m, n, m), a, m, m, n), a)).toBeLessThanOrEqual(tol);
        expect(maxDiff(matmul(matmul(x, a, n, m, n), x, n, n, m), x)).toBeLessThanOrEqual(tol);
        const ax = matmul(a, x, m, n, m), xa = matmul(x, a, n, m, n);
        expect(maxDiff(ax, transpose(ax, m, m))).toBeLessThanOrEqual(tol);
        expect(maxDiff(xa, transpose(xa, n, n))).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 40 },
    );
  });

  it('equals A⁻¹ for invertible A and (AᵀA)⁻¹Aᵀ for full column rank; zero and empty matrices; batches', () => {
    const next = rng(4);
    const a = randomTensor([5, 5], next);
    for (let i = 0; i < 5; i++) a.data[i * 5 + i] += 3;
    expect(maxDiff((ops.pinv(a) as Tensor).data, invJs(a.data, 5))).toBeLessThanOrEqual(1e-13);
    const tall = randomTensor([7, 3], next);
    const normal = matmul(invJs(matmul(transpose(tall.data, 7, 3), tall.data, 3, 7, 3), 3), transpose(tall.data, 7, 3), 3, 3, 7);
    expect(maxDiff((ops.pinv(tall) as Tensor).data, normal)).toBeLessThanOrEqual(1e-12);
    expect(Array.from((ops.pinv(Tensor.zeros([2, 3])) as Tensor).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect((ops.pinv(Tensor.zeros([4, 0, 3])) as Tensor).shape).toEqual([4, 3, 0]);
    const batch = randomTensor([2, 3, 4, 2], next);
    const p = ops.pinv(batch) as Tensor;
    expect(p.shape).toEqual([2, 3, 2, 4]);
    expect(maxDiff(p.data.slice(8, 16), (ops.pinv(T(batch.data.slice(8, 16), [4, 2])) as Tensor).data)).toBe(0);
  });

  it('rtol: singular values ≤ rtol·s₀ are dropped (default 10·max(m, n)·ε)', () => {
    const a = T([1, 0, 0, 1e-10], [2, 2]);
    expect(Array.from((ops.pinv(a) as Tensor).data)).toEqual([1, 0, 0, 1e10]);
    expect(Array.from((ops.pinv(a, { rtol: 1e-8 }) as Tensor).data)).toEqual([1, 0, 0, 0]);
    const tiny = T([1, 0, 0, 10 * 2 * EPS * 0.99], [2, 2]);
    expect((ops.pinv(tiny) as Tensor).data[3]).toBe(0);
    expect(() => ops.pinv(a, { rtol: -1 })).toThrow(InvalidArgumentError);
    expect(() => ops.pinv(a, { rcond: 1 } as unknown as { rtol: number })).toThrow(/unknown option 'rcond'/);
    expect(() => ops.pinv(T([NaN, 0, 0, 1], [2, 2]))).toThrow(NonFiniteError);
    expect(() => ops.pinv(Tensor.zeros([3]))).toThrow(ShapeError);
  });

  it('derivatives: second order on every shape; at an invertible A, d(A⁺) = −A⁻¹ dA A⁻¹', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (m, n, seed) => {
        checkDerivatives((x) => ops.pinv(x), [randomTensor([2, m, n], rng(seed))], { seed, secondOrder: true, rtol: 1e-5, atol: 1e-7 });
      }),
      { numRuns: 12 },
    );
    const next = rng(9);
    const a = randomTensor([4, 4], next), da = randomTensor([4, 4], next);
    for (let i = 0; i < 4; i++) a.data[i * 4 + i] += 3;
    const [, d] = jvp((x: Value) => ops.pinv(x), [a], [da]) as [Tensor, Tensor];
    const ai = invJs(a.data, 4);
    expectClose(d, T(matmul(matmul(ai, da.data, 4, 4, 4), ai, 4, 4, 4).map((v) => -v), [4, 4]), 1e-11, 1e-12, 'dA⁺');
  });

  it('derivatives of a rank-deficient matrix along directions that keep its rank (checked by finite differences)', () => {
    // A = B C with B m×r, C r×n stays rank r when B and C move: differentiate (B, C) ↦ pinv(B C)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (r, seed) => {
        const next = rng(seed);
        const b = randomTensor([5, r], next), c = randomTensor([r, 4], next);
        checkDerivatives((x, y) => ops.pinv(ops.matmul(x, y)), [b, c], { seed, rtol: 1e-5, atol: 1e-7 });
      }),
      { numRuns: 10 },
    );
  });
});

describe('lstsq', () => {
  it('full column rank: the normal-equations solution, residuals ‖b − Ax‖², rank n, singular values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.integer(), (n, extra, k, seed) => {
        const m = n + extra, next = rng(seed);
        const a = randomTensor([m, n], next), b = randomTensor([m, k], next);
        for (let i = 0; i < n; i++) a.data[i * n + i] += 2;
        const r = ops.lstsq(a, b) as Lstsq;
        const at = transpose(a.data, m, n);
        const x = matmul(invJs(matmul(at, a.data, n, m, n), n), matmul(at, b.data, n, m, k), n, n, k);
        expect(maxDiff(r.solution.data, x)).toBeLessThanOrEqual(1e-11 * Math.max(1, maxAbs(x)));
        const res = matmul(a.data, x, m, n, k).map((v, i) => b.data[i] - v);
        const expected = Array.from({ length: k }, (_, j) => res.reduce((s, v, i) => (i % k === j ? s + v * v : s), 0));
        expect(maxDiff(r.residuals.data, expected)).toBeLessThanOrEqual(1e-11);
        expect(r.rank.item()).toBe(n);
        expect(r.singularValues.data).toEqual((ops.svdvals(a) as Tensor).data);
      }),
      { numRuns: 30 },
    );
  });

  it('rank-deficient and underdetermined: the minimum-norm solution (x in the row space of A) of the projected system', () => {
    for (const [m, n, rank] of [[6, 4, 2], [3, 7, 3], [5, 5, 1]]) {
      const next = rng(m + n + rank);
      const a = ofRank(m, n, rank, next), b = randomTensor([m], next);
      const r = ops.lstsq(T(a, [m, n]), b) as Lstsq;
      expect(r.rank.item()).toBe(rank);
      expect(r.solution.shape).toEqual([n]);
      expect(r.residuals.shape).toEqual([]);
      const p = (ops.pinv(T(a, [m, n])) as Tensor).data;
      // x = A⁺ b, so x = A⁺A x (row space) and A x = A A⁺ b (the projection of b)
      const x = r.solution.data;
      expect(maxDiff(matmul(matmul(p, a, n, m, n), x, n, n, 1), x)).toBeLessThanOrEqual(1e-12);
      expect(maxDiff(matmul(a, x, m, n, 1), matmul(matmul(a, p, m, n, m), b.data, m, m, 1))).toBeLessThanOrEqual(1e-12);
      const res = matmul(a, x, m, n, 1).reduce((s, v, i) => s + (b.data[i] - v) ** 2, 0);
      expect(Math.abs(r.residuals.item() - res)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('rcond sets the cutoff (default ε·max(m, n); negative means ε); batches broadcast against b', () => {
    const a = T([1, 0, 0, 1e-12, 0, 0], [3, 2]);
    const b = T([1, 1, 1], [3]);
    expect((ops.lstsq(a, b) as Lstsq).rank.item()).toBe(2);
    const cut = ops.lstsq(a, b, { rcond: 1e-10 }) as Lstsq;
    expect([cut.rank.item(), ...cut.solution.data]).toEqual([1, 1, 0]);
    expect((ops.lstsq(a, b, { rcond: -1 }) as Lstsq).rank.item()).toBe(2);
    const batch = randomTensor([3, 5, 2], rng(2)), rhs = randomTensor([1, 5, 4], rng(3));
    const r = ops.lstsq(batch, rhs) as Lstsq;
    expect([r.solution.shape, r.residuals.shape, r.rank.shape, r.singularValues.shape]).toEqual([[3, 2, 4], [3, 4], [3], [3, 2]]);
    const one = ops.lstsq(T(batch.data.slice(10, 20), [5, 2]), ops.reshape(rhs, [5, 4])) as Lstsq;
    expect(maxDiff(r.solution.data.slice(8, 16), one.solution.data)).toBeLessThanOrEqual(1e-15);
  });

  it('errors: mismatched rows, options, non-finite input', () => {
    const a = Tensor.eye(3);
    expect(() => ops.lstsq(a, Tensor.zeros([4]))).toThrow(ShapeError);
    expect(() => ops.lstsq(a, Tensor.zeros([2, 3, 1]), { rcond: 'x' } as unknown as { rcond: number })).toThrow(InvalidArgumentError);
    expect(() => ops.lstsq(a, T([1, NaN, 0], [3]))).toThrow(/lstsq \(right-hand side\)/);
    expect(() => ops.lstsq(Tensor.zeros([3]), Tensor.zeros([3]))).toThrow(ShapeError);
  });

  it('derivatives of the solution and the residuals (second order), in both arguments', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, m, seed) => {
        const next = rng(seed);
        const a = randomTensor([m, n], next), b = randomTensor([m, 2], next);
        checkDerivatives((x, y) => ops.lstsq(x, y).solution, [a, b], { seed, secondOrder: true, rtol: 1e-5, atol: 1e-7 });
        checkDerivatives((x, y) => ops.lstsq(x, y).residuals, [a, b], { seed, secondOrder: true, rtol: 1e-5, atol: 1e-7 });
      }),
      { numRuns: 10 },
    );
  });
});
