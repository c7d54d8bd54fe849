/**
 * `triangularInverse`: its value against a solve with the identity (an independent kernel) and the defining product,
 * on both backends and across the backends' size crossover and blocked levels, every triangle/transpose/unit variant
 * with junk in the part not read; derivatives to second order in both modes against finite differences and against
 * the solve's own rules; and its errors.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError, NonFiniteError, ShapeError, SingularMatrixError, Tensor, type Value, jvp, ops, setBackend, vjp,
} from '@natgrad/core';
import { checkDerivatives, expectClose, randomTensor, rng, thrown } from './util/check.js';

/**
 * A triangular-ish test matrix: entries in ±[0, 2/√n) everywhere (junk in the triangle not read), diagonal in
 * ±[1.5, 2.5). Random triangular matrices grow exponentially ill-conditioned with n; the 1/√n scale keeps the
 * inverse moderate, also with a unit diagonal.
 */
function wellConditioned(shape: number[], next: () => number): Tensor {
  const n = shape[shape.length - 1];
  const t = randomTensor(shape, next, -2 / Math.sqrt(n), 2 / Math.sqrt(n));
  for (let o = 0; o < t.size; o += n * n) {
    for (let i = 0; i < n; i++) t.data[o + i * n + i] = (next() < 0.5 ? -1 : 1) * (1.5 + next());
  }
  return t;
}

const options = (lower: boolean, transpose: boolean, unitDiagonal: boolean) => ({ lower, transpose, unitDiagonal });

afterAll(() => setBackend('auto'));

describe.each(['js', 'wasm'] as const)('triangularInverse (%s backend)', (backend) => {
  it('equals the solve against the identity, is triangular, and op(T)·X = I, every variant, batched', () => {
    setBackend(backend);
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 5, 12, 16, 33, 70, 129, 200), fc.constantFrom<number[]>([], [3]), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer(),
        (n, batch, lower, transpose, unit, seed) => {
          const t = wellConditioned([...batch, n, n], rng(seed));
          const x = ops.triangularInverse(t, options(lower, transpose, unit)) as Tensor;
          const eye = ops.broadcastTo(ops.eye(n), [...batch, n, n]);
          const viaSolve = ops.triangularSolve(t, eye, { lower, transpose, unitDiagonal: unit }) as Tensor;
          expectClose(x, viaSolve, 1e-11, 1e-12, 'X vs solve(T, I)');
          // the other triangle of X is exactly zero (the solve's is only to rounding)
          const other = (lower !== transpose) ? ops.triu(x, 1) : ops.tril(x, -1);
          expect(Array.from((other as Tensor).data).every((v) => v === 0)).toBe(true);
          let tri: Value = lower ? ops.tril(t, unit ? -1 : 0) : ops.triu(t, unit ? 1 : 0);
          if (unit) tri = ops.add(tri, ops.eye(n));
          expectClose(ops.matmul(tri, x, { transposeA: transpose }) as Tensor, eye as Tensor, 1e-11, 1e-11, 'op(T)·X');
        },
      ),
      { numRuns: 50 },
    );
  });

  it('derivatives to second order in both modes against finite differences, every variant', () => {
    setBackend(backend);
    let seed = 11;
    for (const lower of [true, false]) {
      for (const transpose of [false, true]) {
        for (const unit of [false, true]) {
          const t = wellConditioned([4, 4], rng(seed));
          checkDerivatives((x) => ops.triangularInverse(x, options(lower, transpose, unit)), [t], { seed: seed++, secondOrder: true });
        }
      }
    }
    checkDerivatives((x) => ops.triangularInverse(x, { transpose: true }), [wellConditioned([2, 5, 5], rng(3))], { seed: 5, secondOrder: true });
  });

  it('the fused tangent −X·op(dT)·X: its own JVP and VJP (reverse over forward) to second order, every variant', () => {
    setBackend(backend);
    let seed = 31;
    for (const lower of [true, false]) {
      for (const transpose of [false, true]) {
        for (const unit of [false, true]) {
          const next = rng(seed);
          const o = options(lower, transpose, unit);
          const tangent = (x: Value, dx: Value) => jvp((y: Value) => ops.triangularInverse(y, o), [x], [dx])[1] as Value;
          checkDerivatives(tangent, [wellConditioned([4, 4], next), randomTensor([4, 4], next)], { seed: seed++, secondOrder: true });
        }
      }
    }
  });

  it('its JVP and VJP agree with the solve against the identity (an independent rule) at D = 40 and 200 (panels)', () => {
    setBackend(backend);
    const next = rng(21);
    for (const [lower, transpose, unit, n] of [[true, true, false, 40], [false, false, true, 40], [true, false, false, 200], [false, true, false, 200]] as const) {
      const t = wellConditioned([n, n], next), dir = randomTensor([n, n], next), ct = randomTensor([n, n], next);
      const o = options(lower, transpose, unit);
      const inv = (x: Value) => ops.triangularInverse(x, o);
      const solve = (x: Value) => ops.triangularSolve(x, ops.eye(n), o);
      expectClose(jvp(inv, [t], [dir])[1] as Tensor, jvp(solve, [t], [dir])[1] as Tensor, 1e-10, 1e-12, 'JVP');
      expectClose(vjp(inv, [t])[1](ct)[0] as Tensor, vjp(solve, [t])[1](ct)[0] as Tensor, 1e-10, 1e-12, 'VJP');
    }
  });
});

describe('triangularInverse errors', () => {
  it('a zero diagonal entry is a SingularMatrixError naming the pivot and the matrix of the batch', () => {
    const t = wellConditioned([3, 4, 4], rng(1));
    t.data[2 * 16 + 2 * 4 + 2] = 0;
    const e = thrown(() => ops.triangularInverse(t));
    expect(e).toBeInstanceOf(SingularMatrixError);
    expect((e as SingularMatrixError).pivot).toBe(2);
    expect((e as SingularMatrixError).batchIndex).toBe(2);
    // not read with a unit diagonal
    expect(() => ops.triangularInverse(t, { unitDiagonal: true })).not.toThrow();
  });

  it('NaN or ∞ in the triangle read is a NonFiniteError; in the other triangle it is ignored', () => {
    const t = wellConditioned([5, 5], rng(2));
    t.data[1 * 5 + 3] = Number.NaN; // upper triangle: not read by the lower inverse
    const x = ops.triangularInverse(t) as Tensor;
    expect(Array.from(x.data).every(Number.isFinite)).toBe(true);
    expect(thrown(() => ops.triangularInverse(t, { lower: false }))).toBeInstanceOf(NonFiniteError);
    t.data[3 * 5 + 1] = Number.POSITIVE_INFINITY;
    expect(thrown(() => ops.triangularInverse(t))).toBeInstanceOf(NonFiniteError);
    const d = wellConditioned([5, 5], rng(3));
    d.data[4 * 5 + 4] = Number.NaN; // the diagonal, read unless unitDiagonal
    expect(thrown(() => ops.triangularInverse(d))).toBeInstanceOf(NonFiniteError);
    expect(() => ops.triangularInverse(d, { unitDiagonal: true })).not.toThrow();
  });

  it('an inverse that overflows float64 is a NonFiniteError, not ∞', () => {
    const t = Tensor.from([[1e-300, 0], [1, 1e-300]]);
    const e = thrown(() => ops.triangularInverse(t));
    expect(e).toBeInstanceOf(NonFiniteError);
    expect(e.message).toContain('triangularInverse');
  });

  it('a non-square matrix is a ShapeError and a bad option an InvalidArgumentError', () => {
    expect(thrown(() => ops.triangularInverse(Tensor.zeros([2, 3])))).toBeInstanceOf(ShapeError);
    expect(thrown(() => ops.triangularInverse(Tensor.zeros([3])))).toBeInstanceOf(ShapeError);
    expect(thrown(() => ops.triangularInverse(ops.eye(2), { lower: 1 as unknown as boolean }))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => ops.triangularInverse(ops.eye(2), { upper: true } as never))).toBeInstanceOf(InvalidArgumentError);
  });

  it('an empty matrix inverts to an empty matrix', () => {
    expect((ops.triangularInverse(Tensor.zeros([2, 0, 0])) as Tensor).shape).toEqual([2, 0, 0]);
  });
});
