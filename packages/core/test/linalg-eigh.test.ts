/**
 * eigh, eigvalsh, sqrtmh and nearestPsd: primal identities against plain loops and the cyclic-Jacobi reference
 * (util/eigen-reference.ts), the sign convention, symmetrisation, batching, empty matrices, typed errors; derivatives
 * through checkDerivatives (JVP vs finite differences, VJP as its adjoint, second order) inside fast-check properties,
 * against closed forms written with loops (dλ = diag(VᵀdAV), dV = V(F∘VᵀdAV), the Sylvester equation of the square
 * root), and at repeated eigenvalues: symmetric functions of the eigenvalues and the matrix functions keep exact
 * derivatives, eigenvectors of a repeated eigenvalue raise NotDifferentiableError.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ConvergenceError, EigenvalueDomainError, InvalidArgumentError, NonFiniteError, NotDifferentiableError, ShapeError,
  Tensor, type Value, grad, hvp, jvp, ops, setBackend, vjp,
} from '@natgrad/core';
import { KERNELS } from '../src/backend/registry.js';
import { checkDerivatives, expectClose, finiteDifference, randomTensor, rng } from './util/check.js';
import { matmul, transpose } from './util/dense-reference.js';
import {
  EPS, jacobiEigen, maxAbs, maxDiff, orthogonalityError, randomOrthogonal, scaleColumns, withEigenvalues,
} from './util/eigen-reference.js';

const T = (d: ArrayLike<number>, shape: number[]) => new Tensor(Float64Array.from(d), shape);
const block = (t: Tensor, s: number, size: number) => t.data.slice(s * size, (s + 1) * size);

/** A batch of random symmetric matrices ([...batch, n, n]). */
function symmetricBatch(batch: number[], n: number, next: () => number): Tensor {
  const r = randomTensor([...batch, n, n], next);
  return ops.mul(ops.add(r, ops.matrixTranspose(r)), 0.5) as Tensor;
}

/** A random SPD matrix Q diag(λ) Qᵀ with eigenvalues in [0.5, 2.5]. */
function spdMatrix(n: number, next: () => number): Float64Array {
  return withEigenvalues(randomOrthogonal(n, next), n, Array.from({ length: n }, () => 0.5 + 2 * next()));
}

const symDir = (d: Tensor) => ops.mul(ops.add(d, ops.matrixTranspose(d)), 0.5) as Tensor;
const symOp = (a: Value) => ops.mul(ops.add(a, ops.matrixTranspose(a)), 0.5);

describe.each(['js', 'wasm'] as const)('%s backend: primal', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('eigh: A V = V Λ, VᵀV = I, λ ascending and equal to cyclic Jacobi, on batches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer(), (n, seed) => {
        const a = symmetricBatch([2, 2], n, rng(seed));
        const { eigenvalues, eigenvectors } = ops.eigh(a) as { eigenvalues: Tensor; eigenvectors: Tensor };
        expect(eigenvalues.shape).toEqual([2, 2, n]);
        expect(eigenvectors.shape).toEqual([2, 2, n, n]);
        for (let s = 0; s < 4; s++) {
          const A = block(a, s, n * n), w = block(eigenvalues, s, n), v = block(eigenvectors, s, n * n);
          expect(maxDiff(matmul(A, v, n, n, n), scaleColumns(v, n, n, w))).toBeLessThanOrEqual(8 * n * EPS * maxAbs(w));
          expect(orthogonalityError(v, n, n)).toBeLessThanOrEqual(4 * n * EPS);
          for (let i = 1; i < n; i++) expect(w[i]).toBeGreaterThanOrEqual(w[i - 1]);
          expect(maxDiff(w, jacobiEigen(A, n).w)).toBeLessThanOrEqual(16 * n * EPS * Math.max(1, maxAbs(w)));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('eigh: each eigenvector has its entry of largest magnitude positive; eigvalsh gives the same values bit for bit', () => {
    const a = symmetricBatch([3], 7, rng(11));
    const { eigenvalues, eigenvectors } = ops.eigh(a) as { eigenvalues: Tensor; eigenvectors: Tensor };
    for (let s = 0; s < 3; s++) {
      const v = block(eigenvectors, s, 49);
      for (let j = 0; j < 7; j++) {
        let at = 0;
        for (let i = 1; i < 7; i++) if (Math.abs(v[i * 7 + j]) > Math.abs(v[at * 7 + j])) at = i;
        expect(v[at * 7 + j]).toBeGreaterThan(0);
      }
    }
    expect((ops.eigvalsh(a) as Tensor).data).toEqual(eigenvalues.data);
  });

  it('eigh symmetrises its input: eigh(A) = eigh(½(A + Aᵀ)) exactly for a non-symmetric A', () => {
    const a = randomTensor([2, 5, 5], rng(3));
    const r1 = ops.eigh(a) as { eigenvalues: Tensor; eigenvectors: Tensor };
    const r2 = ops.eigh(symOp(a)) as { eigenvalues: Tensor; eigenvectors: Tensor };
    expect(r1.eigenvalues.data).toEqual(r2.eigenvalues.data);
    expect(r1.eigenvectors.data).toEqual(r2.eigenvectors.data);
  });

  it('empty and 1×1 matrices', () => {
    const e = ops.eigh(Tensor.zeros([3, 0, 0])) as { eigenvalues: Tensor; eigenvectors: Tensor };
    expect(e.eigenvalues.shape).toEqual([3, 0]);
    expect(e.eigenvectors.shape).toEqual([3, 0, 0]);
    const one = ops.eigh(T([-2, 5], [2, 1, 1])) as { eigenvalues: Tensor; eigenvectors: Tensor };
    expect(one.eigenvalues.toArray()).toEqual([[-2], [5]]);
    expect(one.eigenvectors.toArray()).toEqual([[[1]], [[1]]]);
    expect((ops.sqrtmh(Tensor.zeros([0, 0])) as Tensor).shape).toEqual([0, 0]);
    expect((ops.sqrtmh(T([4], [1, 1])) as Tensor).item()).toBe(2);
  });

  it('sqrtmh: X X = A, X symmetric with eigenvalues √λ; positive-semidefinite (singular) input is fine', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer(), fc.boolean(), (n, seed, singular) => {
        const next = rng(seed);
        const lambda = Array.from({ length: n }, (_, i) => (singular && i === 0 ? 0 : 0.1 + 3 * next()));
        const a = withEigenvalues(randomOrthogonal(n, next), n, lambda);
        const x = ops.sqrtmh(T(a, [n, n])) as Tensor;
        expect(maxDiff(matmul(x.data, x.data, n, n, n), a)).toBeLessThanOrEqual(16 * n * EPS * maxAbs(lambda));
        expect(x.data).toEqual(transpose(x.data, n, n));
        const roots = lambda.map(Math.sqrt).sort((p, q) => p - q);
        expect(maxDiff(jacobiEigen(x.data, n).w, roots)).toBeLessThanOrEqual(1e-7 * Math.max(1, ...roots));
      }),
      { numRuns: 30 },
    );
  });

  it('sqrtmh: round-off below zero is taken as 0; a negative eigenvalue is an EigenvalueDomainError naming it', () => {
    // a rank-one PSD matrix computed in floating point has eigenvalues of order −1e-17
    const u = [0.3, -0.7, 0.2, 0.9];
    const a = T(u.flatMap((p) => u.map((q) => p * q)), [4, 4]);
    const x = ops.sqrtmh(a) as Tensor;
    expect(maxDiff(matmul(x.data, x.data, 4, 4, 4), a.data)).toBeLessThanOrEqual(1e-14);
    const bad = T([...spdMatrix(3, rng(1)), 1, 0, 0, 0, -0.5, 0, 0, 0, 2], [2, 3, 3]);
    let caught: unknown;
    try {
      ops.sqrtmh(bad);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EigenvalueDomainError);
    const err = caught as EigenvalueDomainError;
    expect([err.code, err.eigenvalueIndex, err.batchIndex]).toEqual(['EIGENVALUE_DOMAIN', 0, 1]);
    expect(err.eigenvalue).toBeCloseTo(-0.5, 14);
    expect(err.message).toMatch(/sqrtmh.*matrix 1 of the batch/);
  });

  it('nearestPsd: V max(Λ, floor) Vᵀ of the symmetric part; PSD input unchanged; nearest in Frobenius norm', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer(), fc.constantFrom(0, 0.25), (n, seed, floor) => {
        const next = rng(seed);
        const a = randomTensor([n, n], next);
        const x = ops.nearestPsd(a, { floor }) as Tensor;
        expect(x.data).toEqual(transpose(x.data, n, n));
        const s = (symOp(a) as Tensor).data;
        const ref = jacobiEigen(s, n);
        const expected = jacobiEigen(x.data, n).w;
        const clipped = Array.from(ref.w, (w) => Math.max(w, floor)).sort((p, q) => p - q);
        expect(maxDiff(expected, clipped)).toBeLessThanOrEqual(64 * n * EPS * Math.max(1, maxAbs(ref.w)));
        // no PSD matrix with eigenvalues ≥ floor is closer to A (Higham): try random ones
        const dist = (p: Float64Array) => Math.hypot(...Array.from(a.data, (v, i) => v - p[i]));
        for (let t = 0; t < 5; t++) {
          const p = withEigenvalues(randomOrthogonal(n, next), n, Array.from({ length: n }, () => floor + 2 * next() * next()));
          expect(dist(x.data)).toBeLessThanOrEqual(dist(p) + 1e-12);
        }
      }),
      { numRuns: 30 },
    );
    const p = T(spdMatrix(5, rng(2)), [5, 5]);
    expect(maxDiff((ops.nearestPsd(p) as Tensor).data, p.data)).toBeLessThanOrEqual(32 * EPS);
  });
});

describe('errors', () => {
  it('shapes, non-finite input (the index the caller passed), options', () => {
    for (const f of [ops.eigh, ops.eigvalsh, ops.sqrtmh, ops.nearestPsd] as ((a: Tensor) => unknown)[]) {
      expect(() => f(Tensor.zeros([2, 3]))).toThrow(ShapeError);
      expect(() => f(Tensor.zeros([3]))).toThrow(ShapeError);
      const a = Tensor.eye(3).data.slice();
      a[1] = NaN; // upper triangle: symmetrisation reads it, so it counts
      let caught: unknown;
      try {
        f(T(a, [3, 3]));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(NonFiniteError);
      expect((caught as NonFiniteError).index).toBe(1);
    }
    const eye = Tensor.eye(2);
    expect(() => ops.nearestPsd(eye, { floor: -1 })).toThrow(InvalidArgumentError);
    expect(() => ops.nearestPsd(eye, { floor: NaN })).toThrow(/finite/);
    expect(() => ops.nearestPsd(eye, { floor: '1' as unknown as number })).toThrow(/must be a number/);
    expect(() => ops.nearestPsd(eye, { flor: 1 } as unknown as { floor: number })).toThrow(/unknown option 'flor'/);
    expect(() => ops.nearestPsd(eye, 3 as unknown as { floor: number })).toThrow(/options must be an object/);
  });

  describe('convergence failure names the matrix of the batch', () => {
    afterEach(() => vi.restoreAllMocks());
    it('eigh, eigvalsh, sqrtmh', () => {
      const real = KERNELS.syev.js;
      let calls = 0;
      vi.spyOn(KERNELS.syev, 'js').mockImplementation((...args: Parameters<typeof real>) => (++calls % 3 === 2 ? 4 : real(...args)));
      setBackend('js');
      try {
        for (const f of [ops.eigh, ops.eigvalsh, ops.sqrtmh] as ((a: Tensor) => unknown)[]) {
          calls = 0;
          let caught: unknown;
          try {
            f(Tensor.from(Array.from({ length: 3 }, () => Array.from(Tensor.eye(5).toArray() as number[][]))));
          } catch (e) {
            caught = e;
          }
          expect(caught).toBeInstanceOf(ConvergenceError);
          expect((caught as ConvergenceError).batchIndex).toBe(1);
          expect((caught as ConvergenceError).message).toMatch(/matrix 1 of the batch.*eigenvalue 4/);
        }
      } finally {
        setBackend('auto');
      }
    });
  });
});

// ---------- derivatives ----------

type Case = { name: string; f: (a: Value) => Value; gen: (n: number, next: () => number) => Tensor; symmetric?: boolean };

const cases: Case[] = [
  { name: 'eigh eigenvalues', f: (a) => ops.eigh(a).eigenvalues, gen: (n, next) => randomTensor([2, n, n], next) },
  { name: 'eigh eigenvectors (sign convention fixed)', f: (a) => ops.eigh(a).eigenvectors, gen: (n, next) => randomTensor([2, n, n], next) },
  { name: 'eigvalsh', f: (a) => ops.eigvalsh(a), gen: (n, next) => randomTensor([n, n], next) },
  { name: 'V sin(Λ) Vᵀ from eigh', f: (a) => { const { eigenvalues: w, eigenvectors: v } = ops.eigh(a); return ops.matmul(ops.mul(v, ops.expandDims(ops.sin(w), -2)), ops.matrixTranspose(v)); }, gen: (n, next) => randomTensor([n, n], next) },
  { name: 'sqrtmh', f: (a) => ops.sqrtmh(a), gen: (n, next) => T(spdMatrix(n, next), [n, n]) },
  { name: 'sqrtmh (batch)', f: (a) => ops.sqrtmh(a), gen: (n, next) => T([...spdMatrix(n, next), ...spdMatrix(n, next)], [2, n, n]) },
  { name: 'nearestPsd', f: (a) => ops.nearestPsd(a), gen: (n, next) => randomTensor([2, n, n], next) },
  { name: 'nearestPsd floor 0.2', f: (a) => ops.nearestPsd(a, { floor: 0.2 }), gen: (n, next) => randomTensor([n, n], next) },
];

describe('derivatives (checkDerivatives, second order, random matrices)', () => {
  for (const c of cases) {
    it(c.name, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
          checkDerivatives(c.f, [c.gen(n, rng(seed))], { seed, secondOrder: true, rtol: 1e-5, atol: 1e-7 });
        }),
        { numRuns: 8 },
      );
    });
  }
});

describe('derivative rules against closed forms (plain loops)', () => {
  it('eigh JVP: dλ = diag(Vᵀ dA V) and dV = V (F ∘ Vᵀ dA V) with Fᵢⱼ = 1/(λⱼ − λᵢ); symmetric dA = sym(raw)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer(), (n, seed) => {
        const next = rng(seed);
        const a = symmetricBatch([], n, next), raw = randomTensor([n, n], next);
        const f = (x: Value) => { const r = ops.eigh(x); return ops.concat([ops.expandDims(r.eigenvalues, 0), r.eigenvectors], 0); };
        const [out, dout] = jvp(f, [a], [raw]) as [Tensor, Tensor];
        const w = out.data.slice(0, n), v = out.data.slice(n), dw = dout.data.slice(0, n), dv = dout.data.slice(n);
        const da = symDir(raw).data;
        const inner = matmul(matmul(transpose(v, n, n), da, n, n, n), v, n, n, n);
        expect(maxDiff(dw, Array.from({ length: n }, (_, i) => inner[i * n + i]))).toBeLessThanOrEqual(1e-12);
        const fi = Float64Array.from(inner, (x, q) => {
          const i = Math.floor(q / n), j = q % n;
          return i === j ? 0 : x / (w[j] - w[i]);
        });
        expectClose(T(dv, [n, n]), T(matmul(v, fi, n, n, n), [n, n]), 1e-9, 1e-11, 'dV');
      }),
      { numRuns: 30 },
    );
  });

  it('the result object of eigh is a tree: transforms return both outputs and their tangents', () => {
    const a = symmetricBatch([], 4, rng(21)), d = symDir(randomTensor([4, 4], rng(22)));
    const [out, tan] = jvp((x: Value) => ops.eigh(x), [a], [d]) as unknown as [Record<string, Tensor>, Record<string, Tensor>];
    expect(Object.keys(out).sort()).toEqual(['eigenvalues', 'eigenvectors']);
    expect(tan.eigenvectors.shape).toEqual([4, 4]);
    const [, vals] = jvp((x: Value) => ops.eigvalsh(x), [a], [d]) as [Tensor, Tensor];
    expect(tan.eigenvalues.data).toEqual(vals.data);
  });

  it('sqrtmh JVP solves X dX + dX X = dA; its VJP is the same map (self-adjoint)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer(), (n, seed) => {
        const next = rng(seed);
        const a = T(spdMatrix(n, next), [n, n]), da = symDir(randomTensor([n, n], next));
        const [x, dx] = jvp((y: Value) => ops.sqrtmh(y), [a], [da]) as [Tensor, Tensor];
        const lhs = Float64Array.from(matmul(x.data, dx.data, n, n, n), (p, i) => p + matmul(dx.data, x.data, n, n, n)[i]);
        expect(maxDiff(lhs, da.data)).toBeLessThanOrEqual(1e-12);
        const [, pullback] = vjp((y: Value) => ops.sqrtmh(y), [a]);
        expectClose(pullback(da)[0] as Tensor, dx, 1e-12, 1e-13, 'VJP = JVP on symmetric directions');
      }),
      { numRuns: 30 },
    );
  });

  it('nearestPsd at an eigenvalue on the floor takes the slope ½ (the tie rule of maximum); across it the divided difference', () => {
    const [, dx] = jvp((y: Value) => ops.nearestPsd(y, { floor: 1 }), [T([1, 0, 0, 3], [2, 2])], [T([1, 1, 1, 1], [2, 2])]) as [Tensor, Tensor];
    expect(Array.from(dx.data)).toEqual([0.5, (3 - 1) / (3 - 1), 1, 1]);
    const [, dy] = jvp((y: Value) => ops.nearestPsd(y), [T([-1, 0, 0, 3], [2, 2])], [T([1, 1, 1, 1], [2, 2])]) as [Tensor, Tensor];
    expect(Array.from(dy.data)).toEqual([0, 0.75, 0.75, 1]); // (f(3) − f(−1)) / (3 − (−1)) = 3/4
  });

  it('nearestPsd of a matrix with all eigenvalues above the floor is the identity map: dX = sym(dA)', () => {
    const a = T(spdMatrix(4, rng(7)), [4, 4]), raw = randomTensor([4, 4], rng(8));
    const [, dx] = jvp((y: Value) => ops.nearestPsd(y, { floor: 0.1 }), [a], [raw]) as [Tensor, Tensor];
    expectClose(dx, symDir(raw), 1e-12, 1e-13, 'dX');
  });
});

describe('repeated eigenvalues', () => {
  /** Q diag(λ) Qᵀ with a cluster repeated exactly (in exact arithmetic) and split by round-off only. */
  const degenerate = (n: number, next: () => number) => {
    const lambda = Array.from({ length: n }, (_, i) => (i < Math.ceil(n / 2) ? 1.5 : 2 + i));
    return T(withEigenvalues(randomOrthogonal(n, next), n, lambda), [n, n]);
  };

  it('eigenvalues: ∇Σλ² = 2S and ∇Σλᵢ³ = 3S² exactly at a repeated eigenvalue and at I (forward and reverse)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.integer(), (n, seed) => {
        const next = rng(seed);
        for (const a of [degenerate(n, next), Tensor.eye(n)]) {
          const s2 = matmul(a.data, a.data, n, n, n);
          expectClose(grad((x: Value) => ops.sum(ops.square(ops.eigvalsh(x))))(a) as Tensor, T(a.data.map((p) => 2 * p), [n, n]), 1e-12, 1e-12, '∇Σλ²');
          expectClose(grad((x: Value) => ops.sum(ops.pow(ops.eigh(x).eigenvalues, 3)))(a) as Tensor, T(s2.map((p) => 3 * p), [n, n]), 1e-11, 1e-11, '∇Σλ³');
          const d = symDir(randomTensor([n, n], next));
          const [, dt] = jvp((x: Value) => ops.sum(ops.eigh(x).eigenvalues), [a], [d]) as [Tensor, Tensor];
          let trace = 0;
          for (let i = 0; i < n; i++) trace += d.data[i * n + i];
          expect(Math.abs(dt.item() - trace)).toBeLessThanOrEqual(1e-12 * n);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('eigenvectors of a repeated eigenvalue: NotDifferentiableError naming the pair (forward, reverse, second order)', () => {
    const a = degenerate(4, rng(5));
    const viaVectors = (x: Value) => { const { eigenvalues: w, eigenvectors: v } = ops.eigh(x); return ops.sum(ops.matmul(ops.mul(v, ops.expandDims(ops.square(w), -2)), ops.matrixTranspose(v))); };
    let caught: unknown;
    try {
      grad(viaVectors)(a);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NotDifferentiableError);
    const err = caught as NotDifferentiableError;
    expect(err.code).toBe('NOT_DIFFERENTIABLE');
    expect(err.indices).toEqual([0, 1]);
    expect(err.message).toMatch(/eigh \(derivative of the eigenvectors\).*eigenvalues 0 and 1 are equal to round-off/);
    expect(() => jvp((x: Value) => ops.eigh(x).eigenvectors, [Tensor.eye(3)], [Tensor.eye(3)])).toThrow(NotDifferentiableError);
    // second derivatives of eigenvalues need the eigenvector rule
    expect(() => hvp((x: Value) => ops.sum(ops.square(ops.eigvalsh(x))), Tensor.eye(3), Tensor.eye(3))).toThrow(NotDifferentiableError);
    expect(() => hvp((x: Value) => ops.sum(ops.nearestPsd(x, { floor: 1.7 })), a, symDir(randomTensor([4, 4], rng(1))))).toThrow(NotDifferentiableError);
    // … but the eigenvalues alone of the same eigh call are fine, also in forward mode: eigenvectors are bound lazily
    expect(() => jvp((x: Value) => ops.eigh(x).eigenvalues, [Tensor.eye(3)], [Tensor.eye(3)])).not.toThrow();
  });

  it('reverse mode: the eigenvector of a simple eigenvalue keeps its gradient while other eigenvalues repeat', () => {
    const n = 5, next = rng(12);
    const a = degenerate(n, next), c = randomTensor([n], next);
    const top = (x: Value) => ops.sum(ops.mul(ops.slice(ops.eigh(x).eigenvectors, null, n - 1), c));
    const g = grad(top)(a) as Tensor;
    const d = symDir(randomTensor([n, n], next));
    const fd = finiteDifference(top, [a], [d], 1e-4).item();
    let dot = 0;
    for (let i = 0; i < n * n; i++) dot += g.data[i] * d.data[i];
    expect(Math.abs(dot - fd)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(fd)));
  });

  it('sqrtmh and nearestPsd at repeated eigenvalues (and sqrtmh at I): derivatives to second order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
        const next = rng(seed);
        for (const a of [degenerate(n, next), Tensor.eye(n)]) {
          checkDerivatives((x) => ops.sqrtmh(x), [a], { seed, secondOrder: true });
          checkDerivatives((x) => ops.nearestPsd(x, { floor: 1.7 }), [a], { seed });
        }
      }),
      { numRuns: 10 },
    );
  });

  it('the degeneracy test catches round-off splits: measured splits stay far below the threshold', () => {
    // eigenvalues of Q diag(λ) Qᵀ with a repeated λ differ by round-off only; 16·n·ε·max|λ| must cover them
    let worst = 0;
    for (let seed = 1; seed <= 30; seed++) {
      for (const n of [2, 5, 16, 40]) {
        const w = (ops.eigvalsh(degenerate(n, rng(seed))) as Tensor).data;
        const c = Math.ceil(n / 2);
        worst = Math.max(worst, (w[c - 1] - w[0]) / (n * EPS * maxAbs(w)));
      }
    }
    expect(worst).toBeLessThan(4);
  });

  it('the derivative of sqrtmh at a singular matrix is a NotDifferentiableError', () => {
    const a = T([1, 0, 0, 0], [2, 2]);
    expect((ops.sqrtmh(a) as Tensor).toArray()).toEqual([[1, 0], [0, 0]]);
    expect(() => grad((x: Value) => ops.sum(ops.sqrtmh(x)))(a)).toThrow(NotDifferentiableError);
    expect(() => jvp((x: Value) => ops.sqrtmh(x), [a], [Tensor.eye(2)])).toThrow(/eigenvalue 0 is 0: the square root is not differentiable/);
  });
});
