/**
 * The fused tangent of the lower Cholesky factor, `L·Φ(L⁻¹ sym(Ȧ) L⁻ᵀ)` in one array: equal to the composition of
 * primitives it replaces (bit-identical up to two panels, to rounding beyond), on both backends and across the
 * blocked kernels and panels; its own rules to second
 * order in both modes against finite differences; and the NaN policy of the solves it replaces.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { NonFiniteError, Tensor, type Value, jvp, ops, setBackend } from '@natgrad/core';
import { bind } from '../src/ad/trace.js';
import { choleskyTangentPrim } from '../src/linalg/cholesky-tangent.js';
import { phi, sym } from '../src/linalg/helpers.js';
import { multiplyTriangular } from '../src/linalg/triangular-matmul.js';
import { solveTriangular } from '../src/linalg/triangular-solve.js';
import { PANEL } from '../src/linalg/kernels/triangle-blocks.js';
import { checkDerivatives, expectClose, randomTensor, rng, thrown } from './util/check.js';

const fused = (l: Value, a: Value) => bind(choleskyTangentPrim, [l, a], undefined);

/** The composition the primitive replaces: each step its own primitive and array. */
const composed = (l: Value, a: Value) =>
  multiplyTriangular(l, phi(solveTriangular(l, solveTriangular(l, sym(a), true, true, false), false, true, true)), true, true, false);

/** A lower Cholesky factor of a well-conditioned SPD matrix, with junk in its strict upper triangle (never read). */
function factor(shape: number[], next: () => number): Tensor {
  const n = shape[shape.length - 1];
  const b = randomTensor(shape, next);
  const l = ops.cholesky(ops.add(ops.matmul(b, b, { transposeB: true }), ops.mul(ops.eye(n), n))) as Tensor;
  return ops.add(l, ops.triu(randomTensor(shape, next), 1)) as Tensor;
}

afterAll(() => setBackend('auto'));

describe.each(['js', 'wasm'] as const)('choleskyTangent (%s backend)', (backend) => {
  it('equals the composition of sym, two solves, Φ and the triangular product', () => {
    setBackend(backend);
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 7, 16, 33, 70, 128, 129, 200), fc.constantFrom<number[]>([], [2]), fc.integer(), (n, batch, seed) => {
        const next = rng(seed);
        const l = factor([...batch, n, n], next), a = randomTensor([...batch, n, n], next);
        const got = fused(l, a) as Tensor, want = composed(l, a) as Tensor;
        if (n > 2 * PANEL) {
          expectClose(got, want, 1e-12, 1e-13, 'panels');
          expect(Array.from((ops.triu(got, 1) as Tensor).data).every((v) => v === 0)).toBe(true);
          return;
        }
        expect(got.shape).toEqual(want.shape);
        for (let i = 0; i < got.size; i++) if (!Object.is(got.data[i], want.data[i])) expect([i, got.data[i]]).toEqual([i, want.data[i]]);
      }),
      { numRuns: 30 },
    );
  });

  it('its rules match finite differences to second order in both modes, in L and in Ȧ', () => {
    setBackend(backend);
    const next = rng(7);
    checkDerivatives(fused, [factor([4, 4], next), randomTensor([4, 4], next)], { seed: 1, secondOrder: true });
    checkDerivatives(fused, [factor([2, 3, 3], next), randomTensor([2, 3, 3], next)], { seed: 2, secondOrder: true });
    // through cholesky itself (of ½(A + Aᵀ), consistent along every direction): its second derivatives go through the
    // fused tangent's own rules
    const b = randomTensor([5, 5], next);
    const a = ops.add(ops.matmul(b, b, { transposeB: true }), ops.mul(ops.eye(5), 5)) as Tensor;
    checkDerivatives((x) => ops.cholesky(ops.mul(ops.add(x, ops.matrixTranspose(x)), 0.5)), [a], { seed: 3, secondOrder: true });
  });
});

describe('choleskyTangent non-finite input', () => {
  it('a NaN tangent is a NonFiniteError naming the tangent, as the solves it replaces did', () => {
    const a = ops.add(ops.eye(3), 1) as Tensor;
    const dir = Tensor.from([[0, 0, 0], [0, Number.NaN, 0], [0, 0, 0]]);
    const e = thrown(() => jvp((x: Value) => ops.cholesky(x), [a], [dir]));
    expect(e).toBeInstanceOf(NonFiniteError);
    expect(e.message).toContain('cholesky (tangent)');
  });
});
