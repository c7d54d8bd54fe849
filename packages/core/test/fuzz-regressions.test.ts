/**
 * Regressions of the fuzz harness's findings in core's linear algebra part B (issue 10) where a typed error alone
 * does not say enough: the power and the Fréchet derivative of matrices whose results overflow must end, and end in
 * a NonFiniteError naming the function (finite input, non-finite result), while well-scaled input is unaffected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonFiniteError, Tensor, expmFrechet, joinPath, matmul, matrixPower, solve, treeMapWithPath } from '@natgrad/core';

const a = Tensor.from([[2, 1, 0], [0, 1, 3], [1, 0, 1]]);

describe('matrixPower and the overflow policy', () => {
  it('a power that overflows float64 is a NonFiniteError naming matrixPower, never ∞ or NaN', () => {
    expect(() => matrixPower(a, 2 ** 31)).toThrow(NonFiniteError);
    expect(() => matrixPower(a, 2 ** 31)).toThrow(/^matrixPower: the power overflows/);
    expect(() => matrixPower(Tensor.from(a.data.map((x) => x * 1e300), a.shape), 2)).toThrow(/matrixPower/);
    // a negative power of a tiny matrix: its inverse is finite (~1e300), its square is not
    expect(() => matrixPower(Tensor.from(a.data.map((x) => x * 1e-300), a.shape), -2)).toThrow(/^matrixPower/);
  });

  it('a power that fits is the repeated product (independent route: matmul)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), (k) => {
        let want = Tensor.eye(3);
        for (let i = 0; i < k; i++) want = matmul(want, a) as Tensor;
        const got = matrixPower(a, k) as Tensor;
        for (let i = 0; i < 9; i++) expect(got.data[i]).toBeCloseTo(want.data[i], 6);
      }),
    );
  });
});

describe('expmFrechet of entries near the float64 maximum', () => {
  it('ends (a bounded number of squarings) with a NonFiniteError instead of looping forever', () => {
    const huge = Tensor.from(a.data.map((x) => (x / 3) * 1.5e308), a.shape);
    const started = Date.now();
    expect(() => expmFrechet(huge, Tensor.eye(3))).toThrow(NonFiniteError);
    expect(Date.now() - started).toBeLessThan(10_000); // a hang, not a speed assertion: the loop once never ended
  });
});

describe('argument checks found by the harness', () => {
  it('joinPath refuses non-strings; treeMapWithPath refuses a class constructor', () => {
    expect(joinPath('q', 'mu')).toBe('q.mu');
    expect(() => joinPath(undefined as never, 'mu')).toThrow(/joinPath: a must be a string/);
    expect(() => joinPath('q', 7 as never)).toThrow(/joinPath: b must be a string/);
    expect(() => treeMapWithPath(class Fuzz {} as never, { a: 1 })).toThrow(/treeMapWithPath: .*class constructor/);
  });

  it('solve: assumeA null is an error, not the default', () => {
    expect(() => solve(a, Tensor.from([1, 2, 3]), { assumeA: null as never })).toThrow(/solve: option assumeA must be 'gen' or 'pos'/);
  });
});
