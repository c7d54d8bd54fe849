/**
 * qr, svd and svdvals: reconstruction and orthogonality to a few ulps × n (checked with plain loops), shapes (tall,
 * square, wide, empty, batched), rank-deficient and ill-conditioned input, the sign conventions, options and errors;
 * derivatives through checkDerivatives (second order) inside fast-check properties, and the differential identities
 * dA = dQ R + Q dR with QᵀdQ skew and dR upper triangular, dA = dU S Vᵀ + U dS Vᵀ + U S dVᵀ with UᵀdU skew.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ConvergenceError, InvalidArgumentError, NonFiniteError, NotDifferentiableError, ShapeError, SingularMatrixError,
  Tensor, type Value, grad, jvp, ops, setBackend,
} from '@natgrad/core';
import { KERNELS } from '../src/backend/registry.js';
import { checkDerivatives, expectClose, randomTensor, rng } from './util/check.js';
import { matmul, transpose } from './util/dense-reference.js';
import {
  EPS, maxAbs, maxDiff, orthogonalityError, randomOrthogonal, referenceSingularValues, scaleColumns,
} from './util/eigen-reference.js';

const T = (d: ArrayLike<number>, shape: number[]) => new Tensor(Float64Array.from(d), shape);
const block = (t: Tensor, s: number, size: number) => t.data.slice(s * size, (s + 1) * size);
type Svd = { U: Tensor; S: Tensor; Vh: Tensor };
type Qr = { Q: Tensor; R: Tensor };

const shape = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }));

/** A = U diag(σ) Vᵀ with the given singular values (random orthogonal U, V; m, n ≥ σ.length). */
function withSingularValues(m: number, n: number, sigma: number[], next: () => number): Float64Array {
  const k = sigma.length;
  const u = randomOrthogonal(m, next), v = randomOrthogonal(n, next);
  const uk = new Float64Array(m * k), vk = new Float64Array(n * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) uk[i * k + j] = u[i * m + j];
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) vk[i * k + j] = v[i * n + j];
  return matmul(scaleColumns(uk, m, k, sigma), transpose(vk, n, k), m, k, n);
}

describe.each(['js', 'wasm'] as const)('%s backend: primal', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('qr: A = QR, QᵀQ = I, R upper triangular, for every shape (batched); mode r gives the same R', () => {
    fc.assert(
      fc.property(shape, fc.integer(), ([m, n], seed) => {
        const a = randomTensor([2, m, n], rng(seed));
        const { Q, R } = ops.qr(a) as Qr;
        const k = Math.min(m, n);
        expect(Q.shape).toEqual([2, m, k]);
        expect(R.shape).toEqual([2, k, n]);
        for (let s = 0; s < 2; s++) {
          const q = block(Q, s, m * k), r = block(R, s, k * n), A = block(a, s, m * n);
          expect(maxDiff(matmul(q, r, m, k, n), A)).toBeLessThanOrEqual(4 * Math.max(1, m, n) * EPS * Math.max(1, maxAbs(A)));
          expect(orthogonalityError(q, m, k)).toBeLessThanOrEqual(4 * Math.max(1, m) * EPS);
          for (let i = 0; i < k; i++) for (let j = 0; j < Math.min(i, n); j++) expect(r[i * n + j]).toBe(0);
        }
        expect((ops.qr(a, { mode: 'r' }) as Tensor).data).toEqual(R.data);
      }),
      { numRuns: 40 },
    );
  });

  it("qr: LAPACK's signs (R₀₀ = −sign(a₀₀)·‖a₀‖); rank-deficient and ill-conditioned input keep Q orthonormal", () => {
    const { R } = ops.qr(T([3, 1, 4, 2], [2, 2])) as Qr;
    expect(R.data[0]).toBeCloseTo(-5, 14);
    const n = 8;
    const hilbert = T(Array.from({ length: n * n }, (_, q) => 1 / (Math.floor(q / n) + (q % n) + 1)), [n, n]);
    const rankTwo = T(matmul(randomTensor([6, 2], rng(1)).data, randomTensor([2, 5], rng(2)).data, 6, 2, 5), [6, 5]);
    for (const [a, m, c] of [[hilbert, n, n], [rankTwo, 6, 5]] as const) {
      const { Q, R: r } = ops.qr(a) as Qr;
      expect(orthogonalityError(Q.data, m, Math.min(m, c))).toBeLessThanOrEqual(4 * m * EPS);
      expect(maxDiff(matmul(Q.data, r.data, m, Math.min(m, c), c), a.data)).toBeLessThanOrEqual(8 * m * EPS * maxAbs(a.data));
    }
  });

  it('svd: U diag(S) Vh = A, U and Vh orthonormal, S descending and equal to the reference, every shape (batched)', () => {
    fc.assert(
      fc.property(shape, fc.integer(), ([m, n], seed) => {
        const a = randomTensor([2, m, n], rng(seed));
        const { U, S, Vh } = ops.svd(a) as Svd;
        const k = Math.min(m, n);
        expect([U.shape, S.shape, Vh.shape]).toEqual([[2, m, k], [2, k], [2, k, n]]);
        for (let b = 0; b < 2; b++) {
          const u = block(U, b, m * k), s = block(S, b, k), vh = block(Vh, b, k * n), A = block(a, b, m * n);
          expect(maxDiff(matmul(scaleColumns(u, m, k, s), vh, m, k, n), A)).toBeLessThanOrEqual(8 * Math.max(1, m, n) * EPS * Math.max(1, s[0] ?? 0));
          expect(orthogonalityError(u, m, k)).toBeLessThanOrEqual(4 * Math.max(1, m, n) * EPS);
          expect(orthogonalityError(transpose(vh, k, n), n, k)).toBeLessThanOrEqual(4 * Math.max(1, m, n) * EPS);
          for (let i = 1; i < k; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
          expect(maxDiff(s, referenceSingularValues(A, m, n))).toBeLessThanOrEqual(1e-7);
          // sign convention: the entry of largest magnitude of each column of U is positive
          for (let j = 0; j < k; j++) {
            let at = 0;
            for (let i = 1; i < m; i++) if (Math.abs(u[i * k + j]) > Math.abs(u[at * k + j])) at = i;
            expect(u[at * k + j]).toBeGreaterThan(0);
          }
        }
        expect((ops.svd(a, { computeUv: false }) as Tensor).data).toEqual(S.data);
        expect((ops.svdvals(a) as Tensor).data).toEqual(S.data);
      }),
      { numRuns: 40 },
    );
  });

  it('svd: rank-deficient (zero singular values, vectors completed to orthonormal sets) and graded spectra', () => {
    for (const [m, n, sigma] of [
      [7, 4, [3, 1, 0, 0]],
      [3, 8, [2, 0, 0]],
      [12, 3, [1, 1e-7, 1e-14]], // m ≥ 2n: QR first
      [6, 6, [5, 5, 1, 1, 1e-3, 0]],
    ] as const) {
      const a = T(withSingularValues(m, n, [...sigma], rng(m * n)), [m, n]);
      const { U, S, Vh } = ops.svd(a) as Svd;
      const k = Math.min(m, n);
      expect(maxDiff(S.data, sigma)).toBeLessThanOrEqual(16 * Math.max(m, n) * EPS * sigma[0]);
      expect(orthogonalityError(U.data, m, k)).toBeLessThanOrEqual(4 * Math.max(m, n) * EPS);
      expect(orthogonalityError(transpose(Vh.data, k, n), n, k)).toBeLessThanOrEqual(4 * Math.max(m, n) * EPS);
      expect(maxDiff(matmul(scaleColumns(U.data, m, k, S.data), Vh.data, m, k, n), a.data)).toBeLessThanOrEqual(16 * Math.max(m, n) * EPS * sigma[0]);
    }
    const zero = ops.svd(Tensor.zeros([4, 3])) as Svd;
    expect(Array.from(zero.S.data)).toEqual([0, 0, 0]);
    expect(orthogonalityError(zero.U.data, 4, 3)).toBeLessThanOrEqual(4 * EPS);
  });
});

describe('errors', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shapes, non-finite input, options', () => {
    for (const f of [(a: Tensor) => ops.qr(a), (a: Tensor) => ops.svd(a), (a: Tensor) => ops.svdvals(a)]) {
      expect(() => f(Tensor.zeros([3]))).toThrow(ShapeError);
      const a = Tensor.zeros([2, 3]).data.slice();
      a[4] = Infinity;
      expect(() => f(T(a, [2, 3]))).toThrow(NonFiniteError);
    }
    const a = Tensor.eye(2);
    expect(() => ops.qr(a, { mode: 'complete' } as unknown as { mode: 'r' })).toThrow(/mode' must be 'reduced' or 'r'/);
    expect(() => ops.qr(a, { mode: 1 } as unknown as { mode: 'r' })).toThrow(/must be a string/);
    expect(() => ops.svd(a, { computeUv: 0 } as unknown as { computeUv: false })).toThrow(InvalidArgumentError);
    expect(() => ops.svd(a, { fullMatrices: true } as unknown as { computeUv: false })).toThrow(/unknown option 'fullMatrices'/);
  });

  it('a Jacobi failure is a ConvergenceError naming the matrix of the batch', () => {
    const real = KERNELS.gesvj.js;
    let calls = 0;
    vi.spyOn(KERNELS.gesvj, 'js').mockImplementation((...args: Parameters<typeof real>) => (++calls === 2 ? 60 : real(...args)));
    setBackend('js');
    try {
      let caught: unknown;
      try {
        ops.svd(randomTensor([3, 4, 4], rng(1)));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ConvergenceError);
      expect((caught as ConvergenceError).batchIndex).toBe(1);
      expect((caught as Error).message).toMatch(/svd.*matrix 1 of the batch.*60 sweeps/);
    } finally {
      setBackend('auto');
    }
  });
});

describe('derivatives (checkDerivatives, second order)', () => {
  const sizes = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }));
  const cases: [string, (a: Value) => Value][] = [
    ['qr Q', (a) => ops.qr(a).Q],
    ['qr R', (a) => ops.qr(a).R],
    ['qr mode r', (a) => ops.qr(a, { mode: 'r' })],
    ['svd S', (a) => ops.svd(a).S],
    ['svd U', (a) => ops.svd(a).U],
    ['svd Vh', (a) => ops.svd(a).Vh],
    ['svdvals', (a) => ops.svdvals(a)],
    ['svd U·diag(sin S)·Vh', (a) => { const { U, S, Vh } = ops.svd(a); return ops.matmul(ops.mul(U, ops.expandDims(ops.sin(S), -2)), Vh); }],
  ];
  for (const [name, f] of cases) {
    it(`${name} (tall, square and wide, batched)`, () => {
      fc.assert(
        fc.property(sizes, fc.integer({ min: 1, max: 2 ** 31 - 1 }), ([m, n], seed) => {
          checkDerivatives(f, [randomTensor([2, m, n], rng(seed))], { seed, secondOrder: true, rtol: 1e-5, atol: 1e-7 });
        }),
        { numRuns: 8 },
      );
    });
  }
});

describe('differential identities (plain loops on the JVP outputs)', () => {
  it('qr: dA = dQ R + Q dR, QᵀdQ skew-symmetric (m ≥ n), dR upper triangular; also for m < n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer(), (m, n, seed) => {
        const next = rng(seed);
        const a = randomTensor([m, n], next), da = randomTensor([m, n], next);
        const k = Math.min(m, n);
        const f = (x: Value) => { const { Q, R } = ops.qr(x); return [Q, R]; };
        const [[q, r], [dq, dr]] = jvp(f, [a], [da]) as [Tensor[], Tensor[]];
        const sum = Float64Array.from(matmul(dq.data, r.data, m, k, n), (v, i) => v + matmul(q.data, dr.data, m, k, n)[i]);
        expect(maxDiff(sum, da.data)).toBeLessThanOrEqual(1e-11);
        for (let i = 0; i < k; i++) for (let j = 0; j < Math.min(i, n); j++) expect(dr.data[i * n + j]).toBe(0);
        const qdq = matmul(transpose(q.data, m, k), dq.data, k, m, k);
        expect(maxDiff(qdq, Float64Array.from(transpose(qdq, k, k), (v) => -v))).toBeLessThanOrEqual(1e-11);
      }),
      { numRuns: 40 },
    );
  });

  it('svd: dA = dU S Vᵀ + U dS Vᵀ + U S dVᵀ, UᵀdU skew (square), ds = diag(Uᵀ dA V)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (m, n, seed) => {
        const next = rng(seed);
        const a = randomTensor([m, n], next), da = randomTensor([m, n], next);
        const k = Math.min(m, n);
        const f = (x: Value) => { const { U, S, Vh } = ops.svd(x); return [U, S, Vh]; };
        const [[u, s, vh], [du, ds, dvh]] = jvp(f, [a], [da]) as [Tensor[], Tensor[]];
        const term = (x: Float64Array, y: Float64Array, z: Float64Array) => matmul(scaleColumns(x, m, k, y), z, m, k, n);
        const total = term(du.data, s.data, vh.data).map((v, i) => v + term(u.data, ds.data, vh.data)[i] + term(u.data, s.data, dvh.data)[i]);
        expect(maxDiff(total, da.data)).toBeLessThanOrEqual(1e-9 * Math.max(1, maxAbs(da.data)));
        const proj = matmul(matmul(transpose(u.data, m, k), da.data, k, m, n), transpose(vh.data, k, n), k, n, k);
        expect(maxDiff(ds.data, Array.from({ length: k }, (_, i) => proj[i * k + i]))).toBeLessThanOrEqual(1e-12);
        if (m === n) {
          const udu = matmul(transpose(u.data, m, k), du.data, k, m, k);
          expect(maxDiff(udu, Float64Array.from(transpose(udu, k, k), (v) => -v))).toBeLessThanOrEqual(1e-9);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('where the factors have no derivative', () => {
  it('qr of a matrix with an exactly zero column: the derivative is a SingularMatrixError', () => {
    const a = T([1, 0, 2, 0, 3, 0], [3, 2]);
    expect(() => grad((x: Value) => ops.sum(ops.qr(x).R))(a)).toThrow(SingularMatrixError);
  });

  it('repeated singular values: S keeps exact gradients (∇‖A‖_* = Q for orthogonal Q), U and Vh are NotDifferentiable', () => {
    const q = T(randomOrthogonal(4, rng(3)), [4, 4]);
    expectClose(grad((x: Value) => ops.sum(ops.svd(x).S))(q) as Tensor, q, 1e-12, 1e-12, '∇ nuclear norm');
    expect(() => grad((x: Value) => ops.sum(ops.svd(x).U))(q)).toThrow(NotDifferentiableError);
    expect(() => jvp((x: Value) => ops.svd(x).Vh, [q], [q])).toThrow(/singular values 0 and 1 are equal to round-off/);
    expect(() => jvp((x: Value) => ops.svd(x).S, [q], [q])).not.toThrow();
  });

  it('a zero singular value of a non-square matrix: its vectors are not determined', () => {
    const a = T([1, 0, 2, 0, 0, 0, 0, 0], [4, 2]); // second column zero: rank 1
    expect(() => grad((x: Value) => ops.sum(ops.svd(x).U))(a)).toThrow(/singular value 1 is zero/);
    const g = grad((x: Value) => ops.sum(ops.svd(x).S))(a) as Tensor; // ds = diag(Uᵀ dA V): a subgradient
    expect(g.data.every(Number.isFinite)).toBe(true);
  });
});
