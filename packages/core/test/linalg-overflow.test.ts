/**
 * The overflow policy of the linear-algebra entry points (docs/ARCHITECTURE.md, Errors): a factorisation or solve
 * of finite input whose result overflows float64 raises NonFiniteError naming the function — never a silent ∞ or NaN
 * — outside and inside transforms, while well-scaled input (even near the limits) is unaffected. Also: errors of the
 * composite `choleskySolve` name it, not the triangular solves it is made of.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NonFiniteError,
  SingularMatrixError,
  Tensor,
  type Value,
  cholesky,
  choleskyInverse,
  choleskySolve,
  grad,
  inv,
  jvp,
  logdet,
  matmul,
  matrixTranspose,
  ops,
  solve,
  triangularSolve,
} from '@natgrad/core';
import { randomTensor, rng } from './util/check.js';

/** A well-conditioned lower-triangular factor: diagonal in [1, 2], entries in [−½, ½] below it. */
function factor(n: number, next: () => number): Tensor {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) d[i * n + j] = i === j ? 1 + next() : next() - 0.5;
  return new Tensor(d, [n, n]);
}

const scaled = (t: Tensor, c: number) => new Tensor(t.data.map((v) => v * c), t.shape);

/** Runs f, expecting a NonFiniteError; returns it. */
function nonFinite(f: () => unknown): NonFiniteError {
  try {
    f();
  } catch (e) {
    if (e instanceof NonFiniteError) return e;
    throw e;
  }
  throw new Error('expected a NonFiniteError, but the call returned');
}

describe('a result that overflows float64 is a NonFiniteError naming the function', () => {
  const l = factor(3, rng(1));
  const b = Tensor.from([[1, 2], [3, 4], [5, 6]]);

  it.each<[string, () => unknown]>([
    ['choleskyInverse', () => choleskyInverse(scaled(l, 1e-300))], // (LLᵀ)⁻¹ ~ 1e600
    ['choleskySolve', () => choleskySolve(scaled(l, 1e-300), b)],
    ['triangularSolve', () => triangularSolve(scaled(l, 1e-300), scaled(b, 1e300))],
    ['solve', () => solve(scaled(Tensor.eye(3), 1e-300), scaled(b, 1e10))],
    ['inv', () => inv(scaled(Tensor.eye(3), 1e-310))],
  ])('%s', (name, f) => {
    const e = nonFinite(f);
    expect(e.message).toMatch(new RegExp(`^${name}: .*overflows float64`));
    expect(Number.isFinite(e.value)).toBe(false);
    expect(e.index).toBeGreaterThanOrEqual(0);
  });

  it('inside transforms the primal is checked too (a tracer carries an overflowed value as well)', () => {
    const tiny = scaled(l, 1e-300);
    expect(nonFinite(() => jvp((x: Value) => choleskyInverse(x), [tiny], [l])).message).toMatch(/^choleskyInverse: .*overflows/);
    expect(nonFinite(() => grad((x: Value) => ops.sum(choleskySolve(x, b)))(tiny)).message).toMatch(/^choleskySolve: /);
  });

  it('an overflow in the intermediate L⁻¹B of choleskySolve is named as such', () => {
    const e = nonFinite(() => choleskySolve(scaled(l, 1e-300), scaled(b, 1e300)));
    expect(e.message).toMatch(/^choleskySolve: the intermediate L⁻¹B overflows float64/);
  });

  it('logdet of a singular matrix stays −∞, its documented exact value (log 0), not an overflow', () => {
    expect((logdet(Tensor.zeros([2, 2])) as Tensor).item()).toBe(-Infinity);
  });
});

describe('well-scaled input is unaffected, even near the limits', () => {
  it('badly scaled but representable: 1e-150 factors and 1e150 matrices give finite, correct results', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(1e-150, 1e-100, 1, 1e100, 1e150), (seed, c) => {
        const next = rng(seed);
        const l = scaled(factor(3, next), c);
        const b = randomTensor([3, 2], next);
        const x = choleskySolve(l, b) as Tensor;
        // (c L)(c L)ᵀ x = b  ⇔  x = c⁻² (LLᵀ)⁻¹ b: compare with the solve of the unscaled factor
        const unit = choleskySolve(scaled(l, 1 / c), b) as Tensor;
        for (let i = 0; i < x.data.length; i++) expect(x.data[i] * c * c).toBeCloseTo(unit.data[i], 10);
        const a = matmul(l, matrixTranspose(l)) as Tensor;
        if (c >= 1e-100 && c <= 1e100) expect((cholesky(a) as Tensor).data.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('choleskySolve equals solve(LLᵀ, B) on random factors and right-hand sides (vectors and batches too)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 5 }), (seed, n) => {
        const next = rng(seed);
        const l = factor(n, next);
        const a = matmul(l, matrixTranspose(l));
        for (const b of [randomTensor([n, 2], next), randomTensor([n], next), randomTensor([2, n, 1], next)]) {
          const x = choleskySolve(l, b) as Tensor, y = solve(a, b) as Tensor;
          expect(x.shape).toEqual(y.shape);
          for (let i = 0; i < x.data.length; i++) expect(x.data[i]).toBeCloseTo(y.data[i], 10);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('choleskySolve names itself and the argument', () => {
  const l = factor(3, rng(2));
  const b = Tensor.from([1, 2, 3]);
  const withEntry = (t: Tensor, i: number, v: number) => {
    const d = t.data.slice();
    d[i] = v;
    return new Tensor(d, t.shape);
  };

  it('non-finite entries of the factor (lower triangle) and of b', () => {
    expect(nonFinite(() => choleskySolve(withEntry(l, 3, NaN), b)).message).toMatch(/^choleskySolve \(l\): non-finite value NaN at flat index 3 \(index \[1, 0\]/);
    expect(nonFinite(() => choleskySolve(l, withEntry(b, 2, Infinity))).message).toMatch(/^choleskySolve \(b\): non-finite value Infinity/);
    expect(() => choleskySolve(withEntry(l, 1, NaN), b)).not.toThrow(); // the upper triangle is not read
  });

  it('a zero on the diagonal is a SingularMatrixError with the pivot and the batch index', () => {
    const batch = Tensor.from([l.toArray(), withEntry(l, 4, 0).toArray()] as number[][][]);
    let e: unknown;
    try {
      choleskySolve(batch, b);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(SingularMatrixError);
    expect([(e as SingularMatrixError).pivot, (e as SingularMatrixError).batchIndex]).toEqual([1, 1]);
    expect((e as Error).message).toMatch(/^choleskySolve: matrix is singular \(matrix 1 of the batch\): pivot 1 is zero/);
  });
});
