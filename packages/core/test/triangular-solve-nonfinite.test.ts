/**
 * `triangularSolve` scans its input only when the result does not vouch for it (see `checkSolveInput` in
 * src/linalg/triangular-solve.ts): a NaN/∞ anywhere in the triangle read or in B must still be a `NonFiniteError`
 * naming that entry and that argument — including an infinite diagonal entry, which only divides, and input whose
 * result is empty — on both backends, on both sides of the blocked kernels, from either side and transposed, and
 * inside the derivative rules (a non-finite tangent).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { NonFiniteError, SingularMatrixError, Tensor, jvp, ops, setBackend } from '@natgrad/core';
import { rng, thrown } from './util/check.js';

/** A well-conditioned lower (or upper) triangular factor with junk in the other triangle. */
function factor(n: number, seed: number): Float64Array {
  const next = rng(seed);
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[i * n + j] = i === j ? 1.5 + next() : (next() - 0.5) / Math.sqrt(n);
  return t;
}

const bad = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

afterAll(() => setBackend('auto'));

describe.each(['js', 'wasm'] as const)('triangularSolve of non-finite input (%s backend)', (backend) => {
  it('a NaN/±∞ in the triangle read or in B is a NonFiniteError at its index, naming the argument', () => {
    setBackend(backend);
    fc.assert(
      fc.property(
        fc.constantFrom(3, 17, 70), fc.constantFrom(1, 5), fc.nat(), fc.nat(), bad, fc.boolean(), fc.boolean(), fc.boolean(),
        fc.boolean(), (n, m, r, c, v, inB, lower, transpose, left) => {
          const t = factor(n, n + m), b = new Float64Array(n * m).fill(0.25);
          let at: number;
          if (inB) {
            at = (r % n) * m + (c % m);
            if (!left) at = (c % m) * n + (r % n);
            b[at] = v;
          } else {
            const i = r % n, j = c % (i + 1); // (i, j) in the lower triangle
            at = lower ? i * n + j : j * n + i;
            t[at] = v;
          }
          const e = thrown(() => ops.triangularSolve(new Tensor(t, [n, n]), new Tensor(b, left ? [n, m] : [m, n]), { lower, transpose, left }));
          expect(e).toBeInstanceOf(NonFiniteError);
          expect((e as NonFiniteError).index).toBe(at);
          expect((e as Error).message).toMatch(inB ? /^triangularSolve \(right-hand side\): / : /^triangularSolve \(matrix\): /);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('an infinite diagonal entry (which leaves X finite) and a NaN with an empty result are still reported', () => {
    setBackend(backend);
    for (const n of [4, 70]) {
      const t = factor(n, 2);
      t[(n - 1) * n + (n - 1)] = Number.POSITIVE_INFINITY;
      const e = thrown(() => ops.triangularSolve(new Tensor(t, [n, n]), new Tensor(new Float64Array(n).fill(1), [n, 1])));
      expect(e).toBeInstanceOf(NonFiniteError);
      expect((e as NonFiniteError).index).toBe((n - 1) * n + n - 1);
      const t2 = factor(n, 3);
      t2[n] = Number.NaN;
      expect(() => ops.triangularSolve(new Tensor(t2, [n, n]), new Tensor(new Float64Array(0), [n, 0]))).toThrow(NonFiniteError);
    }
  });

  it('a non-finite input is reported before a zero pivot anywhere in the batch; junk in the other triangle is fine', () => {
    setBackend(backend);
    const n = 40;
    const t = new Float64Array(2 * n * n);
    t.set(factor(n, 4), 0);
    t.set(factor(n, 5), n * n);
    t[3 * n + 3] = 0; // matrix 0: zero pivot 3
    const b = new Float64Array(2 * n).fill(1);
    b[n + 7] = Number.NaN; // matrix 1's right-hand side
    expect(thrown(() => ops.triangularSolve(new Tensor(t, [2, n, n]), new Tensor(b, [2, n, 1])))).toBeInstanceOf(NonFiniteError);
    b[n + 7] = 1;
    expect(thrown(() => ops.triangularSolve(new Tensor(t, [2, n, n]), new Tensor(b, [2, n, 1])))).toBeInstanceOf(SingularMatrixError);
    const ok = factor(n, 6);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) ok[i * n + j] = Number.NaN;
    const x = ops.triangularSolve(new Tensor(ok, [n, n]), new Tensor(new Float64Array(n * 3).fill(1), [n, 3])) as Tensor;
    expect(x.data.every(Number.isFinite)).toBe(true);
  });

  it('inside a derivative rule: a non-finite tangent of the right-hand side is named, not returned', () => {
    setBackend(backend);
    const n = 70;
    const l = new Tensor(factor(n, 8), [n, n]);
    const b = new Tensor(new Float64Array(n * 2).fill(1), [n, 2]);
    const tb = new Float64Array(n * 2);
    tb[9] = Number.POSITIVE_INFINITY;
    const e = thrown(() => jvp((y) => ops.triangularSolve(l, y), [b], [new Tensor(tb, [n, 2])]));
    expect(e).toBeInstanceOf(NonFiniteError);
    expect((e as Error).message).toMatch(/^triangularSolve \(right-hand side\): non-finite value Infinity at flat index 9/);
  });
});
