/**
 * `det` and `slogdet` (issue 14, item 1): values against the Laplace expansion and the identities det(AB) = det A
 * det B, det Aᵀ = det A, det(cA) = cⁿ det A; no spurious overflow; slogdet against det; derivatives through
 * `checkDerivatives` to second order on both backends — at singular matrices of every rank too, where the gradient
 * is the cofactor matrix (checked against cofactors from Laplace expansions) and the Hessian of a rank n − 2 matrix
 * is nonzero although its gradient vanishes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonFiniteError, ShapeError, SingularMatrixError, Tensor, type Value, grad, hvp, ops, setBackend } from '@natgrad/core';
import { checkDerivatives, expectClose, randomTensor, rng } from './util/check.js';

/** det by Laplace expansion along the first row (independent of any factorisation). */
function laplace(a: number[][]): number {
  const n = a.length;
  if (n === 0) return 1;
  let s = 0;
  for (let j = 0; j < n; j++) {
    const minor = a.slice(1).map((row) => row.filter((_, c) => c !== j));
    s += (j % 2 === 0 ? 1 : -1) * a[0][j] * laplace(minor);
  }
  return s;
}

/** The cofactor matrix Cᵢⱼ = (−1)^{i+j} det(A without row i and column j) = ∂ det A / ∂Aᵢⱼ. */
function cofactors(a: number[][]): number[][] {
  return a.map((_, i) => a.map((__, j) => ((i + j) % 2 === 0 ? 1 : -1) * laplace(a.filter((_r, r) => r !== i).map((row) => row.filter((_c, c) => c !== j)))));
}

const matrices = (x: Tensor): number[][][] => {
  const n = x.shape[x.shape.length - 1];
  const out: number[][][] = [];
  for (let t = 0; t < x.size / (n * n); t++) out.push(Array.from({ length: n }, (_, i) => Array.from(x.data.slice(t * n * n + i * n, t * n * n + i * n + n))));
  return out;
};

/** A random matrix of rank r: (n×r)·(r×n). */
function ofRank(n: number, r: number, next: () => number): Tensor {
  return ops.matmul(randomTensor([n, r], next), randomTensor([r, n], next)) as Tensor;
}

describe.each(['js', 'wasm'] as const)('%s backend', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('det matches the Laplace expansion; det(AB) = det A det B; det Aᵀ = det A; det(cA) = cⁿ det A', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
        const next = rng(seed);
        const a = randomTensor([3, n, n], next), b = randomTensor([3, n, n], next);
        const d = ops.det(a) as Tensor;
        expect(d.shape).toEqual([3]);
        matrices(a).forEach((m, t) => expect(Math.abs(d.data[t] - laplace(m))).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(laplace(m)))));
        expectClose(ops.det(ops.matmul(a, b)) as Tensor, ops.mul(d, ops.det(b)) as Tensor, 1e-12, 1e-14, 'det(AB)');
        expectClose(ops.det(ops.matrixTranspose(a)) as Tensor, d, 1e-12, 1e-14, 'det Aᵀ');
        expectClose(ops.det(ops.mul(a, -1.5)) as Tensor, ops.mul(d, (-1.5) ** n) as Tensor, 1e-12, 1e-14, 'det(cA)');
      }),
      { numRuns: 30 },
    );
  });

  it('exact values: 0×0 gives 1, a zero pivot gives exactly 0, triangular gives the diagonal product, no spurious overflow', () => {
    expect((ops.det(Tensor.zeros([2, 0, 0])) as Tensor).toArray()).toEqual([1, 1]);
    expect((ops.det([[1, 2], [2, 4]]) as Tensor).item()).toBe(0);
    expect(Object.is((ops.det([[1, 2], [-2, -4]]) as Tensor).item(), 0)).toBe(true);
    expect((ops.det([[2, 5, 7], [0, -3, 1], [0, 0, 0.5]]) as Tensor).item()).toBe(-3);
    // 1e200 · 1e200 · 1e-300 overflows as a running product; the determinant 1e100 does not
    const big = ops.diag([1e200, 1e200, 1e-300]);
    expect(Math.abs((ops.det(big) as Tensor).item() / 1e100 - 1)).toBeLessThan(1e-14);
    expect((ops.det(ops.diag(new Array(40).fill(1e10))) as Tensor).item()).toBe(Infinity);
  });

  it('slogdet: sign·exp(logabsdet) = det, logabsdet = logdet, finite where det overflows; singular → (0, −∞)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
        const a = randomTensor([2, n, n], rng(seed));
        const { sign, logabsdet } = ops.slogdet(a);
        expectClose(ops.mul(sign, ops.exp(logabsdet)) as Tensor, ops.det(a) as Tensor, 1e-12, 1e-14, 'sign·exp(logabsdet)');
        expectClose(logabsdet as Tensor, ops.logdet(a) as Tensor, 0, 1e-14, 'logabsdet = logdet');
      }),
      { numRuns: 30 },
    );
    const s = ops.slogdet(ops.diag(new Array(40).fill(-1e10)));
    expect(s.sign.item()).toBe(1);
    expect(Math.abs((s.logabsdet as Tensor).item() - 40 * Math.log(1e10))).toBeLessThan(1e-12);
    const z = ops.slogdet(Tensor.from([[[1, 2], [2, 4]], [[0, 1], [1, 0]]]));
    expect(z.sign.toArray()).toEqual([0, -1]);
    expect((z.logabsdet as Tensor).toArray()).toEqual([-Infinity, 0]);
  });

  describe('derivatives', () => {
    it('det and slogdet: checkDerivatives to second order on random batches', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
          const a = randomTensor([2, n, n], rng(seed));
          checkDerivatives((x) => ops.det(x), [a], { seed, secondOrder: true });
          checkDerivatives((x) => ops.slogdet(x).logabsdet, [a], { seed, secondOrder: true });
        }),
        { numRuns: 15 },
      );
    });

    it('the gradient of det is the cofactor matrix at every rank, JAX\'s failing case included', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, drop, seed) => {
          const a = ofRank(n, Math.max(0, n - drop), rng(seed));
          const g = grad((x: Value) => ops.det(x))(a) as Tensor;
          expectClose(g, Tensor.from(cofactors(matrices(a)[0])), 1e-10, 1e-12, `cofactors at rank ${Math.max(0, n - drop)}`);
          // adj(A)·A = det(A)·I with adj(A) = Cᵀ
          expectClose(ops.matmul(g, a, { transposeA: true }) as Tensor, ops.mul(ops.det(a), ops.eye(n)) as Tensor, 1e-10, 1e-12, 'adj(A) A = det(A) I');
        }),
        { numRuns: 40 },
      );
      // a zero first column: partial pivoting meets the zero pivot first (JAX's LU-based rule returns zeros here)
      const g = grad((x: Value) => ops.det(x))(Tensor.from([[0, 1], [0, 0]])) as Tensor;
      expect(Array.from(g.data, (v) => v + 0)).toEqual([0, 0, -1, 0]);
    });

    it('second order at singular matrices (rank n − 1, n − 2, zero) and in mixed batches: exact, to FD of the gradient', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, drop, seed) => {
          const next = rng(seed);
          checkDerivatives((x) => ops.det(x), [ofRank(n, Math.max(0, n - drop), next)], { seed, secondOrder: true });
        }),
        { numRuns: 30 },
      );
      const mixed = Tensor.from([[[1, 2, 3], [2, 4, 6], [1, 1, 1]], [[1, 0, 0], [0, 2, 0], [0, 0, 3]], [[1, 2, 3], [2, 4, 6], [3, 6, 9]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]]);
      checkDerivatives((x) => ops.det(x), [mixed], { secondOrder: true });
    });

    it('the Hessian of det at a rank n − 2 matrix is nonzero though the gradient vanishes (closed form for diag(1, …, 1, 0, 0))', () => {
      for (const n of [2, 3, 5]) {
        const a = ops.diag([...new Array(n - 2).fill(1), 0, 0]) as Tensor;
        expect((grad((x: Value) => ops.det(x))(a) as Tensor).data.every((v) => v === 0)).toBe(true);
        // d² det [E] = 2 (E₍ₙ₋₂,ₙ₋₂₎E₍ₙ₋₁,ₙ₋₁₎ − E₍ₙ₋₂,ₙ₋₁₎E₍ₙ₋₁,ₙ₋₂₎) here, so H·E has those two entries' partners
        const e = randomTensor([n, n], rng(n));
        const he = hvp((x: Value) => ops.det(x), a, e) as Tensor;
        const at = (i: number, j: number) => e.data[i * n + j];
        const p = n - 2, q = n - 1;
        const expected = new Float64Array(n * n);
        expected[p * n + p] = at(q, q);
        expected[q * n + q] = at(p, p);
        expected[p * n + q] = -at(q, p);
        expected[q * n + p] = -at(p, q);
        expectClose(he, new Tensor(expected, [n, n]), 1e-12, 1e-13, `Hessian-vector product, n = ${n}`);
      }
    });

    it('slogdet has no derivative at a singular matrix: SingularMatrixError naming slogdet and the matrix', () => {
      const a = Tensor.from([[[1, 0], [0, 1]], [[1, 2], [2, 4]]]);
      expect(() => grad((x: Value) => ops.sum(ops.slogdet(x).logabsdet))(a)).toThrow(SingularMatrixError);
      expect(() => grad((x: Value) => ops.sum(ops.slogdet(x).logabsdet))(a)).toThrow(/slogdet .*matrix 1 of the batch/);
    });
  });

  it('typed errors: non-square, rank < 2, NaN/∞', () => {
    for (const f of [ops.det, (x: Tensor) => ops.slogdet(x)]) {
      expect(() => f(Tensor.zeros([2, 3]))).toThrow(ShapeError);
      expect(() => f(Tensor.from([1, 2]))).toThrow(ShapeError);
      expect(() => f(Tensor.from([[1, NaN], [0, 1]]))).toThrow(NonFiniteError);
    }
  });
});
