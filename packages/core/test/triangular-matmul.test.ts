/**
 * The internal triangular-product primitive the factorisations' derivative rules use (`op(T)·B` / `B·op(T)` through
 * the `trmm` kernel): its value against a general product with the masked triangle, and its JVP and VJP against
 * finite differences and each other to second order, on both backends, for every side, triangle, transpose and a
 * unit diagonal, with batches that broadcast.
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { Tensor, type Value, jvp, ops, setBackend } from '@natgrad/core';
import { bind } from '../src/ad/trace.js';
import { triangularMatmulParams, triangularMatmulPrim } from '../src/linalg/triangular-matmul.js';
import { checkDerivatives, expectClose, randomTensor, rng } from './util/check.js';

const product = (t: Value, b: Value, left: boolean, lower: boolean, transpose: boolean, unit: boolean, negate = false) =>
  bind(triangularMatmulPrim, [t, b], triangularMatmulParams(left, lower, transpose, unit, negate));

/** The same product written with general ops: the triangle masked (the diagonal replaced by ones for `unit`). */
function reference(t: Tensor, b: Tensor, left: boolean, lower: boolean, transpose: boolean, unit: boolean): Value {
  const n = t.shape[t.shape.length - 1];
  let tri: Value = lower ? ops.tril(t, unit ? -1 : 0) : ops.triu(t, unit ? 1 : 0);
  if (unit) tri = ops.add(tri, ops.eye(n));
  return left ? ops.matmul(tri, b, { transposeA: transpose }) : ops.matmul(b, tri, { transposeB: transpose });
}

afterAll(() => setBackend('auto'));

describe.each(['js', 'wasm'] as const)('triangularMatmul (%s backend)', (backend) => {
  it('equals the product with the masked triangle (junk in the other triangle unread), batches broadcasting', () => {
    setBackend(backend);
    fc.assert(
      fc.property(
        fc.constantFrom(1, 3, 8, 17, 40), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(),
        fc.constantFrom<number[][]>([[], []], [[2], []], [[], [3]], [[2], [2]]), fc.integer(), fc.boolean(),
        (n, m, left, lower, transpose, unit, [tb, bb], seed, negate) => {
          const next = rng(seed);
          const t = randomTensor([...tb, n, n], next), b = randomTensor([...bb, ...(left ? [n, m] : [m, n])], next);
          const got = product(t, b, left, lower, transpose, unit, negate) as Tensor;
          const want = reference(t, b, left, lower, transpose, unit);
          expectClose(got, (negate ? ops.neg(want) : want) as Tensor, 1e-12, 1e-12, 'triangularMatmul');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('derivatives to second order in both modes against finite differences, every variant', () => {
    setBackend(backend);
    let seed = 1;
    for (const left of [true, false]) {
      for (const lower of [true, false]) {
        for (const transpose of [true, false]) {
          for (const unit of [false, true]) {
            const next = rng(seed++);
            const t = randomTensor([4, 4], next), b = randomTensor(left ? [4, 3] : [3, 4], next);
            const negate = seed % 3 === 0; // a third of the variants negated
            checkDerivatives((x, y) => product(x, y, left, lower, transpose, unit, negate), [t, b], { seed, secondOrder: true });
          }
        }
      }
    }
    const next = rng(99); // a broadcast batch of factors against one right-hand side, and the reverse
    checkDerivatives((x, y) => product(x, y, true, true, false, false), [randomTensor([2, 5, 5], next), randomTensor([5, 2], next)], { seed: 3, secondOrder: true });
    checkDerivatives((x, y) => product(x, y, false, false, true, false), [randomTensor([5, 5], next), randomTensor([3, 2, 5], next)], { seed: 4, secondOrder: true });
  });

  it('the Cholesky and triangular-solve rules built on it still match the general products at D = 70 (blocked kernels)', () => {
    setBackend(backend);
    const next = rng(5);
    const n = 70;
    const b = randomTensor([n, n], next);
    const a = ops.add(ops.matmul(b, b, { transposeB: true }), ops.mul(ops.eye(n), n)) as Tensor;
    const l = ops.cholesky(a) as Tensor;
    const dir = randomTensor([n, n], next);
    const s = ops.mul(ops.add(dir, ops.matrixTranspose(dir)), 0.5);
    // dL = L Φ(L⁻¹ S L⁻ᵀ), written here with general products
    const inner = ops.triangularSolve(l, ops.matrixTranspose(ops.triangularSolve(l, s)));
    const phi = ops.sub(ops.tril(inner), ops.mul(ops.diag(ops.diagonal(inner)), 0.5));
    const [, dl] = jvp((x: Value) => ops.cholesky(x), [a], [s as Tensor]);
    expectClose(dl as Tensor, ops.matmul(l, phi) as Tensor, 1e-10, 1e-12, 'rule');
    // the solve's rule: d(L⁻¹B) = −L⁻¹ dL L⁻¹B, with a lower dL
    const dT = ops.tril(dir) as Tensor;
    const [, dx] = jvp((x: Value) => ops.triangularSolve(x, b), [l], [dT]);
    const x = ops.triangularSolve(l, b);
    expectClose(dx as Tensor, ops.neg(ops.triangularSolve(l, ops.matmul(dT, x))) as Tensor, 1e-10, 1e-12, 'rule');
    checkDerivatives((y: Value) => ops.cholesky(y), [a], { seed: 7, direction: (_, d) => ops.mul(ops.add(d, ops.matrixTranspose(d)), 0.5) as Tensor });
  });
});
