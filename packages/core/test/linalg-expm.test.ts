/**
 * `expm`, `expmFrechet` and `matrixPower` (issue 14, item 4). The exponential against independent identities —
 * expm(A)·expm(−A) = I, expm(2A) = expm(A)², diagonal and nilpotent matrices, rotations, a high-order Taylor sum for
 * small norms, the closed form of a non-normal 2×2 — and its Fréchet derivative against the block identity
 * expm([[A, E], [0, A]]) = [[e^A, L(A, E)], [0, e^A]], L(A, A) = A e^A and a non-normal closed form; matrixPower
 * against repeated products and inverses. Derivatives through `checkDerivatives` to second order on both backends.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError, SingularMatrixError, Tensor, type Value, ops, setBackend } from '@natgrad/core';
import { checkDerivatives, expectClose, randomTensor, rng } from './util/check.js';

const eyeLike = (n: number, batch: number[]) => ops.broadcastTo(ops.eye(n), [...batch, n, n]) as Tensor;

/** Σ_{k ≤ 30} Aᵏ/k! for a single small-norm matrix (plain loops). */
function taylor(a: Tensor): Tensor {
  const n = a.shape[0];
  let term = Tensor.eye(n), sum = Tensor.eye(n);
  for (let k = 1; k <= 30; k++) {
    term = ops.mul(ops.matmul(term, a), 1 / k) as Tensor;
    sum = ops.add(sum, term) as Tensor;
  }
  return sum;
}

/** The largest |xᵢ| over the tensor. */
const maxAbs = (x: Tensor) => x.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** A random batch with 1-norm about `scale` (so every Padé degree and scaling is exercised). */
const scaled = (shape: number[], scale: number, next: () => number) => ops.mul(randomTensor(shape, next), scale / shape[shape.length - 1]) as Tensor;

const SCALES = [1e-4, 0.01, 0.2, 0.8, 2, 5, 20, 60];

describe.each(['js', 'wasm'] as const)('%s backend', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  describe('expm', () => {
    it('expm(A)·expm(−A) = I and expm(2A) = expm(A)² at every degree and scaling', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 8 }), fc.constantFrom(...SCALES), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, s, seed) => {
          const a = scaled([2, n, n], s, rng(seed));
          const e = ops.expm(a) as Tensor, em = ops.expm(ops.neg(a)) as Tensor;
          const scale = maxAbs(e) * maxAbs(em) * n;
          expectClose(ops.matmul(e, em) as Tensor, eyeLike(n, [2]), 0, 1e-13 * scale, 'expm(A) expm(−A) = I');
          expectClose(ops.expm(ops.mul(a, 2)) as Tensor, ops.matmul(e, e) as Tensor, 1e-12, 1e-12, 'expm(2A) = expm(A)²');
        }),
        { numRuns: 40 },
      );
    });

    it('matches a 30-term Taylor sum for ‖A‖ ≤ 1, and exp on a diagonal', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.constantFrom(1e-4, 0.01, 0.2, 0.8), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, s, seed) => {
          const a = scaled([n, n], s, rng(seed));
          expectClose(ops.expm(a) as Tensor, taylor(a), 2e-15, 2e-15, 'Taylor');
          const d = randomTensor([3, n], rng(seed + 1), -5, 5);
          expectClose(ops.expm(ops.diag(d)) as Tensor, ops.diag(ops.exp(d)) as Tensor, 4e-15, 0, 'diagonal');
        }),
        { numRuns: 30 },
      );
    });

    it('is exact on nilpotent matrices of any norm (a finite sum), rotations, and the zero matrix', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 7 }), fc.constantFrom(0.1, 10, 1e4), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, s, seed) => {
          const nil = ops.triu(ops.mul(randomTensor([n, n], rng(seed)), s), 1) as Tensor;
          let term = Tensor.eye(n), sum = Tensor.eye(n);
          for (let k = 1; k < n; k++) {
            term = ops.mul(ops.matmul(term, nil), 1 / k) as Tensor;
            sum = ops.add(sum, term) as Tensor;
          }
          expectClose(ops.expm(nil) as Tensor, sum, 1e-13, 1e-13, 'nilpotent: Σ_{k<n} Nᵏ/k!');
        }),
        { numRuns: 30 },
      );
      for (const theta of [0.3, 2, 40]) {
        const r = ops.expm([[0, -theta], [theta, 0]]) as Tensor;
        const c = Math.cos(theta), s = Math.sin(theta);
        expectClose(r, Tensor.from([[c, -s], [s, c]]), 0, 4e-15 * Math.max(1, theta), `rotation by ${theta}`);
      }
      expect(ops.expm(Tensor.zeros([2, 3, 3])).toArray()).toEqual(eyeLike(3, [2]).toArray());
      expect(ops.expm(Tensor.zeros([0, 0])).shape).toEqual([0, 0]);
    });

    it('triangular and non-normal: e^[[a, b], [0, a]] = e^a [[1, b], [0, 1]] to a few ulps (no accumulation over squarings)', () => {
      for (const [a, b] of [[1, 1e6], [-1, 1e4], [0.5, 1e12], [-3, 100]]) {
        const e = ops.expm([[a, b], [0, a]]) as Tensor;
        expectClose(e, Tensor.from([[Math.exp(a), b * Math.exp(a)], [0, Math.exp(a)]]), 4e-15, 0, `a = ${a}, b = ${b}`);
      }
      const t = ops.triu(ops.mul(randomTensor([6, 6], rng(5)), 40)) as Tensor;
      const e = ops.expm(t) as Tensor;
      for (let i = 0; i < 6; i++) expect(e.data[i * 7]).toBe(Math.exp(t.data[i * 7]));
      expectClose(ops.matmul(e, ops.expm(ops.neg(t))) as Tensor, Tensor.eye(6), 0, 1e-12 * maxAbs(e) * maxAbs(ops.expm(ops.neg(t)) as Tensor), 'triangular: e^T e^−T = I');
    });

    it('Moler & Van Loan\'s example [[−49, 24], [−64, 31]] (eigenvalues −1, −17: hump, cancellation) against V e^Λ V⁻¹', () => {
      // V = [[1, 3], [2, 4]], V⁻¹ = [[−2, 3/2], [1, −1/2]]; e^A = V diag(e⁻¹, e⁻¹⁷) V⁻¹
      const e1 = Math.exp(-1), e17 = Math.exp(-17);
      const exact = Tensor.from([[-2 * e1 + 3 * e17, 1.5 * e1 - 1.5 * e17], [-4 * e1 + 4 * e17, 3 * e1 - 2 * e17]]);
      const a = Tensor.from([[-49, 24], [-64, 31]]);
      expectClose(ops.expm(a) as Tensor, exact, 1e-13, 0, 'expm');
      // and scaled copies, which move it through the degrees and squarings: e^{tA} = V diag(e^{−t}, e^{−17t}) V⁻¹.
      // Embedded in 3×3 (scipy 1.10 has a closed form for 2×2 only). At t = 4 (‖tA‖₁ ≈ 450, six squarings, each
      // doubling the relative error of the approximant) the forward error is ≈ 2e-13 here, 6e-14 for a textbook
      // NumPy evaluation of the same degree and scaling, 3e-14 for scipy: round-off, within the problem's condition.
      for (const [t, tol] of [[1e-3, 1e-14], [0.05, 1e-14], [0.3, 1e-13], [1, 1e-13], [4, 1e-12]]) {
        const p = Math.exp(-t), q = Math.exp(-17 * t);
        const want = Tensor.from([[-2 * p + 3 * q, 1.5 * p - 1.5 * q, 0], [-4 * p + 4 * q, 3 * p - 2 * q, 0], [0, 0, p]]);
        const at = Tensor.from([[-49 * t, 24 * t, 0], [-64 * t, 31 * t, 0], [0, 0, -t]]);
        expectClose(ops.expm(at) as Tensor, want, tol, 0, `t = ${t}`);
      }
    });

    it('derivatives: checkDerivatives to second order across degrees and scalings (batched)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.constantFrom(...SCALES.slice(0, 6)), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, s, seed) => {
          checkDerivatives((x) => ops.expm(x), [scaled([2, n, n], s, rng(seed))], { seed, secondOrder: true, rtol: 1e-6 * Math.max(1, s) });
        }),
        { numRuns: 20 },
      );
    });

    it('overflow is a typed error, and so are NaN/∞ input and non-square shapes', () => {
      expect(() => ops.expm(ops.mul(ops.eye(3), 1000))).toThrow(NonFiniteError);
      expect(() => ops.expm(ops.mul(ops.eye(3), 1000))).toThrow(/^expm: the result overflows float64/);
      expect(() => ops.expm([[1, NaN], [0, 1]])).toThrow(NonFiniteError);
      expect(() => ops.expm(Tensor.zeros([2, 3]))).toThrow(ShapeError);
      // triangular input: the diagonal is exp of the diagonal exactly, however many squarings
      expect((ops.expm(ops.mul(ops.eye(2), 700)) as Tensor).data[0]).toBe(Math.exp(700));
    });
  });

  describe('expmFrechet', () => {
    it('equals the (1, 2) block of expm([[A, E], [0, A]]), is linear in E, and L(A, A) = A e^A', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.constantFrom(...SCALES.slice(0, 7)), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, s, seed) => {
          const next = rng(seed);
          const a = scaled([2, n, n], s, next), e = randomTensor([2, n, n], next), f = randomTensor([2, n, n], next);
          const l = ops.expmFrechet(a, e) as Tensor;
          const big = ops.concat([ops.concat([a, e], -1), ops.concat([ops.zerosLike(a), a], -1)], -2);
          const block = ops.slice(ops.expm(big), null, [0, n], [n, 2 * n]) as Tensor;
          const scale = maxAbs(ops.expm(a) as Tensor) * Math.max(1, s);
          expectClose(l, block, 0, 1e-13 * scale * n, 'block identity');
          expectClose(ops.expmFrechet(a, ops.add(ops.mul(e, 2), f)) as Tensor, ops.add(ops.mul(l, 2), ops.expmFrechet(a, f)) as Tensor, 0, 1e-13 * scale * n, 'linear in E');
          expectClose(ops.expmFrechet(a, a) as Tensor, ops.matmul(a, ops.expm(a)) as Tensor, 0, 1e-13 * scale * n, 'L(A, A) = A e^A');
        }),
        { numRuns: 30 },
      );
    });

    it('the closed form for [[1, b], [0, 1]] and E = ones', () => {
      for (const b of [10, 1e4, 1e6]) {
        const l = ops.expmFrechet([[1, b], [0, 1]], [[1, 1], [1, 1]]) as Tensor;
        const e = Math.E;
        expectClose(l, Tensor.from([[e * (1 + b / 2), e * (1 + b + (b * b) / 6)], [e, e * (1 + b / 2)]]), 1e-10, 0, `b = ${b}`);
      }
    });

    it('derivatives in A and E to second order (the block identity at twice the size)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0.01, 0.5, 3), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, s, seed) => {
          const next = rng(seed);
          checkDerivatives((x, y) => ops.expmFrechet(x, y), [scaled([n, n], s, next), randomTensor([n, n], next)], { seed, secondOrder: true, rtol: 1e-6 * Math.max(1, s) });
          checkDerivatives((x) => ops.expmFrechet(x, ops.ones([2, n, n])), [scaled([2, n, n], s, next)], { seed, secondOrder: true, rtol: 1e-6 * Math.max(1, s) });
        }),
        { numRuns: 8 },
      );
    });

    it('shape errors', () => {
      expect(() => ops.expmFrechet(Tensor.zeros([2, 2]), Tensor.zeros([3, 3]))).toThrow(ShapeError);
      expect(() => ops.expmFrechet(Tensor.zeros([2, 2]), Tensor.zeros([1, 2, 2]))).toThrow(/same shape/);
    });
  });

  describe('matrixPower', () => {
    it('equals repeated products for k = 0 … 9, and powers of the inverse for negative k', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
          const a = ops.add(randomTensor([2, n, n], rng(seed)), ops.mul(ops.eye(n), 2)) as Tensor;
          let p = eyeLike(n, [2]);
          for (let k = 0; k <= 9; k++) {
            expectClose(ops.matrixPower(a, k) as Tensor, p, 1e-12, 1e-12, `A^${k}`);
            p = ops.matmul(p, a) as Tensor;
          }
          const ai = ops.inv(a) as Tensor;
          expectClose(ops.matrixPower(a, -3) as Tensor, ops.matmul(ai, ops.matmul(ai, ai)) as Tensor, 1e-11, 1e-12, 'A^−3');
          expectClose(ops.matmul(ops.matrixPower(a, 5), ops.matrixPower(a, -5)) as Tensor, eyeLike(n, [2]), 0, 1e-9, 'A⁵ A⁻⁵ = I');
        }),
        { numRuns: 25 },
      );
      // huge exponents by squaring: a rotation by θ raised to k is the rotation by kθ
      const th = 1e-9, k = 2 ** 40 + 3;
      const r = ops.matrixPower([[Math.cos(th), -Math.sin(th)], [Math.sin(th), Math.cos(th)]], k) as Tensor;
      expectClose(r, Tensor.from([[Math.cos(k * th), -Math.sin(k * th)], [Math.sin(k * th), Math.cos(k * th)]]), 0, 1e-3, 'R(θ)^k = R(kθ)');
      expect(ops.matrixPower([[0, 0], [0, 0]], 0).toArray()).toEqual([[1, 0], [0, 1]]);
    });

    it('derivatives to second order, positive and negative powers', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: -4, max: 7 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, k, seed) => {
          const a = ops.add(ops.mul(randomTensor([2, n, n], rng(seed)), 0.5), ops.eye(n)) as Tensor;
          checkDerivatives((x) => ops.matrixPower(x, k), [a], { seed, secondOrder: true });
        }),
        { numRuns: 20 },
      );
    });

    it('typed errors: a non-integer power, a negative power of a singular matrix, NaN input', () => {
      expect(() => ops.matrixPower(ops.eye(2), 1.5)).toThrow(InvalidArgumentError);
      expect(() => ops.matrixPower(ops.eye(2), NaN)).toThrow(/matrixPower: k must be an integer/);
      expect(() => ops.matrixPower([[1, 2], [2, 4]], -1)).toThrow(SingularMatrixError);
      expect(() => ops.matrixPower([[1, 2], [2, 4]], -1)).toThrow(/^matrixPower/);
      expect(() => ops.matrixPower([[1, NaN], [0, 1]], 2)).toThrow(NonFiniteError);
      expect(() => ops.matrixPower(Tensor.zeros([2, 3]), 2)).toThrow(ShapeError);
    });
  });
});

it('expm is differentiable inside user code: the gradient of tr(expm(A)) is expm(A)ᵀ (closed form)', () => {
  const a = scaled([4, 4], 3, rng(9));
  const g = ops.sum(ops.mul(ops.eye(4), ops.expm(a)));
  expect((g as Tensor).item()).toBeCloseTo((ops.trace(ops.expm(a)) as Tensor).item(), 12);
  // d tr(e^A) = tr(e^A dA): the gradient is e^{Aᵀ}
  checkDerivatives((x: Value) => ops.trace(ops.expm(x)), [a], { secondOrder: true });
});
