/**
 * `lu`, `luFactor` and `luSolve` (issue 14, item 3): P·L·U = A for square, tall and wide batches, LAPACK's pivots
 * (scipy's `lu_factor` on a worked example), the determinant as the signed product of U's diagonal, solves with the
 * factors (both orientations) against the residual, derivatives through `checkDerivatives` to second order on both
 * backends (also at a square matrix whose last pivot is zero, where the factorisation is still smooth), and typed
 * errors for factors that are not factors.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError, NonFiniteError, ShapeError, SingularMatrixError, Tensor, type Value, grad, ops, setBackend,
} from '@natgrad/core';
import { checkDerivatives, expectClose, randomTensor, rng } from './util/check.js';

const dims = fc.record({ m: fc.integer({ min: 1, max: 6 }), n: fc.integer({ min: 1, max: 6 }), seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }) });

/** A well-conditioned square batch that still needs pivoting. */
function general(batch: number[], n: number, next: () => number): Tensor {
  return ops.add(randomTensor([...batch, n, n], next), ops.mul(ops.eye(n), n)) as Tensor;
}

function swapsToPermutation(piv: number[]): number[] {
  const p = piv.map((_, i) => i);
  piv.forEach((j, i) => ([p[i], p[j]] = [p[j], p[i]]));
  return p;
}

describe.each(['js', 'wasm'] as const)('%s backend', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('lu: A = P·L·U with P a permutation, L unit lower trapezoidal with |Lᵢⱼ| ≤ 1, U upper trapezoidal', () => {
    fc.assert(
      fc.property(dims, ({ m, n, seed }) => {
        const a = randomTensor([2, m, n], rng(seed));
        const { p, l, u } = ops.lu(a);
        const k = Math.min(m, n);
        expect(p.shape).toEqual([2, m, m]);
        expect(l.shape).toEqual([2, m, k]);
        expect(u.shape).toEqual([2, k, n]);
        expectClose(ops.matmul(p, ops.matmul(l, u)) as Tensor, a, 1e-13, 1e-13, 'P L U = A');
        for (let t = 0; t < 2; t++) {
          for (let i = 0; i < m; i++) {
            expect(p.data.slice(t * m * m + i * m, t * m * m + i * m + m).reduce((s, v) => s + v, 0)).toBe(1);
            for (let j = 0; j < k; j++) {
              const v = (l as Tensor).data[t * m * k + i * k + j];
              if (j > i) expect(v).toBe(0);
              else if (j === i) expect(v).toBe(1);
              else expect(Math.abs(v)).toBeLessThanOrEqual(1);
            }
          }
          for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) expect((u as Tensor).data[t * k * n + i * n + j]).toBe(0);
        }
      }),
      { numRuns: 30 },
    );
  });

  it("luFactor: scipy.linalg.lu_factor's packed factors and pivots on a worked example; the permutation agrees", () => {
    const a = Tensor.from([[1, 2, 3], [4, 5, 6], [7, 8, 10]]);
    const f = ops.luFactor(a);
    expect(f.pivots.toArray()).toEqual([2, 2, 2]);
    expect(f.permutation.toArray()).toEqual([2, 0, 1]);
    // scipy: [[7, 8, 10], [1/7, 6/7, 11/7], [4/7, 1/2, −1/2]]
    expectClose(f.lu as Tensor, Tensor.from([[7, 8, 10], [1 / 7, 6 / 7, 11 / 7], [4 / 7, 0.5, -0.5]]), 1e-14, 1e-14, 'packed LU');
    expect(ops.lu(a).p.toArray()).toEqual([[0, 1, 0], [0, 0, 1], [1, 0, 0]]);
    fc.assert(
      fc.property(dims, ({ m, n, seed }) => {
        const x = randomTensor([3, m, n], rng(seed));
        const { lu, pivots, permutation } = ops.luFactor(x);
        expect(lu.shape).toEqual([3, m, n]);
        expect(pivots.shape).toEqual([3, Math.min(m, n)]);
        for (let t = 0; t < 3; t++) {
          const piv = Array.from(pivots.data.slice(t * Math.min(m, n), (t + 1) * Math.min(m, n)));
          piv.forEach((j, i) => expect(j).toBeGreaterThanOrEqual(i));
          const perm = swapsToPermutation([...piv, ...Array.from({ length: m - piv.length }, (_, i) => piv.length + i)]);
          expect(perm).toEqual(Array.from(permutation.data.slice(t * m, (t + 1) * m)));
        }
        const { l, u } = ops.lu(x);
        const k = Math.min(m, n);
        expectClose(ops.tril(l, -1) as Tensor, ops.tril(ops.slice(lu, null, null, [0, k]), -1) as Tensor, 0, 0, 'L from lu');
        expectClose(u as Tensor, ops.triu(ops.slice(lu, null, [0, k])) as Tensor, 0, 0, 'U from lu');
      }),
      { numRuns: 20 },
    );
  });

  it('det A = det(P)·Π Uᵢᵢ (the signed product of the LU diagonal)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
        const a = randomTensor([n, n], rng(seed));
        const { lu, pivots } = ops.luFactor(a);
        let d = 1;
        pivots.data.forEach((j, i) => (d *= j === i ? 1 : -1));
        for (let i = 0; i < n; i++) d *= (lu as Tensor).data[i * n + i];
        expect(Math.abs((ops.det(a) as Tensor).item() - d)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(d)));
      }),
      { numRuns: 30 },
    );
  });

  it('a singular matrix factors (U has a zero pivot, P·L·U = A) but cannot be solved with', () => {
    const a = Tensor.from([[0, 1, 2], [0, 2, 4], [0, 1, 1]]);
    const { p, l, u } = ops.lu(a);
    expectClose(ops.matmul(p, ops.matmul(l, u)) as Tensor, a, 0, 1e-15, 'P L U = A');
    expect((u as Tensor).data[0]).toBe(0);
    expect(() => ops.luSolve(ops.luFactor(a), [1, 2, 3])).toThrow(SingularMatrixError);
    expect(() => ops.luSolve(ops.luFactor(a), [1, 2, 3])).toThrow(/^luSolve: /);
  });

  it('luSolve: A X = B and Aᵀ X = B with the same factors; vectors; batches broadcast; pivots alone suffice', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
        const next = rng(seed);
        const a = general([2, 1], n, next), b = randomTensor([2, 3, n, 2], next), v = randomTensor([n], next);
        const f = ops.luFactor(a);
        const x = ops.luSolve(f, b) as Tensor;
        expectClose(ops.matmul(a, x) as Tensor, ops.broadcastTo(b, [2, 3, n, 2]) as Tensor, 1e-12, 1e-12, 'A X = B');
        expectClose(x, ops.solve(a, b) as Tensor, 1e-12, 1e-12, 'luSolve = solve');
        const xt = ops.luSolve(f, b, { transpose: true }) as Tensor;
        expectClose(ops.matmul(a, xt, { transposeA: true }) as Tensor, ops.broadcastTo(b, [2, 3, n, 2]) as Tensor, 1e-12, 1e-12, 'Aᵀ X = B');
        const a0 = ops.slice(a, 0, 0) as Tensor, f0 = ops.luFactor(a0);
        expectClose(ops.luSolve({ lu: f0.lu, pivots: f0.pivots }, v) as Tensor, ops.solve(a0, v) as Tensor, 1e-12, 1e-12, 'vector, from pivots');
        expectClose(ops.luSolve({ lu: f0.lu, permutation: f0.permutation }, v, { transpose: true }) as Tensor,
          ops.solve(ops.matrixTranspose(a0), v) as Tensor, 1e-12, 1e-12, 'vector, transposed');
      }),
      { numRuns: 25 },
    );
  });

  describe('derivatives (checkDerivatives, second order)', () => {
    it('luFactor(a).lu and lu(a).l / .u for square, tall and wide batches', () => {
      fc.assert(
        fc.property(dims, ({ m, n, seed }) => {
          const a = randomTensor([2, m, n], rng(seed));
          checkDerivatives((x) => ops.luFactor(x).lu, [a], { seed, secondOrder: true });
          checkDerivatives((x) => ops.lu(x).l, [a], { seed, secondOrder: true });
          checkDerivatives((x) => ops.lu(x).u, [a], { seed, secondOrder: true });
        }),
        { numRuns: 12 },
      );
    });

    it('luSolve in the factors and the right-hand side, both orientations, with broadcasting', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), (n, seed, transpose) => {
          const next = rng(seed);
          const f = ops.luFactor(general([2, 1], n, next));
          const b = randomTensor([1, 3, n, 2], next);
          checkDerivatives((c, y) => ops.luSolve({ lu: c, permutation: f.permutation }, y, { transpose }), [f.lu as Tensor, b], { seed, secondOrder: true });
          checkDerivatives((c) => ops.luSolve({ lu: c, permutation: f.permutation }, ops.ones([n]), { transpose }), [f.lu as Tensor], { seed, secondOrder: true });
        }),
        { numRuns: 12 },
      );
    });

    it('solving with the factors of A composes to the derivative of solve(A, B)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
          const next = rng(seed);
          const a = general([], n, next), b = randomTensor([n, 2], next), w = randomTensor([n, 2], next);
          const viaLu = grad((x: Value) => ops.sum(ops.mul(ops.luSolve(ops.luFactor(x), b), w)))(a) as Tensor;
          const viaSolve = grad((x: Value) => ops.sum(ops.mul(ops.solve(x, b), w)))(a) as Tensor;
          expectClose(viaLu, viaSolve, 1e-9, 1e-11, 'gradient through luFactor + luSolve = gradient of solve');
        }),
        { numRuns: 20 },
      );
    });

    it('a square matrix whose last pivot is zero is differentiable; an earlier zero pivot raises SingularMatrixError', () => {
      // P·A = [[2, 4], [1, 2]]: pivots 2 and 0; the factorisation is smooth there (only the first pivot is divided by)
      checkDerivatives((x) => ops.luFactor(x).lu, [Tensor.from([[1, 2], [2, 4]])], { secondOrder: true });
      checkDerivatives((x) => ops.luFactor(x).lu, [Tensor.from([[1, 2, 3], [4, 5, 6], [7, 8, 9]])], { secondOrder: true });
      const early = Tensor.from([[0, 1, 0], [0, 0, 1], [0, 2, 3]]);
      expect(() => grad((x: Value) => ops.sum(ops.luFactor(x).lu))(early)).toThrow(SingularMatrixError);
    });
  });

  it('typed errors for factors that are not factors', () => {
    const f = ops.luFactor(Tensor.from([[4, 1], [1, 3]]));
    const b = Tensor.from([1, 2]);
    expect(() => ops.luSolve({ lu: f.lu } as never, b)).toThrow(/luSolve: .*permutation and pivots are both missing/);
    expect(() => ops.luSolve({ lu: f.lu, permutation: [0, 0] }, b)).toThrow(/not a permutation/);
    expect(() => ops.luSolve({ lu: f.lu, permutation: [0, 2] }, b)).toThrow(InvalidArgumentError);
    expect(() => ops.luSolve({ lu: f.lu, permutation: [0.5, 1] }, b)).toThrow(InvalidArgumentError);
    expect(() => ops.luSolve({ lu: f.lu, pivots: [0, 0] }, b)).toThrow(/pivots\[1\] is 0, not an integer in \[i, n\)/);
    expect(() => ops.luSolve({ lu: f.lu, pivots: [1, 1], permutation: [0, 1] }, b)).toThrow(/describe different permutations/);
    expect(() => ops.luSolve({ lu: f.lu, permutation: [0, 1, 2] }, b)).toThrow(ShapeError);
    expect(() => ops.luSolve({ lu: Tensor.zeros([2, 3]), permutation: [0, 1] }, b)).toThrow(ShapeError);
    expect(() => ops.luSolve({ ...f, extra: 1 } as never, b)).toThrow(/unknown key extra/);
    expect(() => ops.luSolve(Object.defineProperty({ lu: f.lu }, 'permutation', { get: () => [0, 1], enumerable: true }) as never, b)).toThrow(/data property/);
    expect(() => ops.luSolve(null as never, b)).toThrow(InvalidArgumentError);
    expect(() => ops.luSolve(f, b, { trans: 1 } as never)).toThrow(/unknown option 'trans'/);
    expect(() => ops.luSolve({ lu: Tensor.from([[1, NaN], [0, 1]]), permutation: [0, 1] }, b)).toThrow(NonFiniteError);
    expect(() => ops.lu(Tensor.from([1, 2]))).toThrow(ShapeError);
    expect(() => ops.luFactor(Tensor.from([[1, Infinity]]))).toThrow(NonFiniteError);
  });
});
