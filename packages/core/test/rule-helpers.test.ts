/**
 * The fused helpers of the factorisations' derivative rules — `sym` (½(X + Xᵀ)) and Φ/Ψ (a triangle with its
 * diagonal halved) as single-pass primitives — are bit-identical to the compositions of ops they replace, on
 * batches and on special values (NaN, ±∞, −0, subnormals, near-overflow), and differentiate as the linear maps they
 * are, to second order in both modes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tensor, type Value, ops } from '@natgrad/core';
import { phi, psi, sym } from '../src/linalg/helpers.js';
import { checkDerivatives, randomTensor, rng } from './util/check.js';

const special = fc.oneof(
  fc.double({ min: -4, max: 4, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 5e-324, -2e-308, 1.7e308, -1.7e308),
);

const matrices = fc.tuple(fc.constantFrom<number[]>([], [2], [2, 3]), fc.integer({ min: 0, max: 7 })).chain(([batch, n]) =>
  fc.array(special, { minLength: batch.reduce((a, b) => a * b, 1) * n * n, maxLength: batch.reduce((a, b) => a * b, 1) * n * n })
    .map((d) => new Tensor(Float64Array.from(d), [...batch, n, n])));

/** Element by element with Object.is: NaN equals NaN, −0 differs from 0. */
function same(a: Value, b: Value): void {
  const x = (a as Tensor).data, y = (b as Tensor).data;
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) expect.fail(`element ${i}: ${x[i]} vs ${y[i]}`);
}

describe('fused rule helpers', () => {
  it('sym, Φ and Ψ are bit-identical to the compositions of ops', () => {
    fc.assert(
      fc.property(matrices, (x) => {
        same(sym(x), ops.mul(ops.add(x, ops.matrixTranspose(x)), 0.5));
        const d = ops.diag(ops.diagonal(x));
        same(phi(x), ops.sub(ops.tril(x), ops.mul(d, 0.5)));
        same(psi(x), ops.sub(ops.triu(x), ops.mul(d, 0.5)));
        expect((sym(x) as Tensor).shape).toEqual(x.shape);
      }),
      { numRuns: 200 },
    );
  });

  it('derivatives to second order (linear maps: JVP = VJP = the map itself)', () => {
    const next = rng(3);
    for (const f of [sym, phi, psi]) {
      checkDerivatives((x: Value) => ops.mul(f(ops.mul(x, x)), 1), [randomTensor([2, 4, 4], next)], { seed: 5, secondOrder: true });
    }
  });
});
