/**
 * matmul's transposeA / transposeB (a primitive with transpose params): the same values as transposing first, on
 * batches with broadcasting, under both backends; derivatives by checkDerivatives (finite differences, VJP as the
 * adjoint of the JVP, second order) and against the independent route through matrixTranspose; typed errors.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError, Tensor, type Value, grad, ops, setBackend, vjp } from '@natgrad/core';
import { checkDerivatives, randomTensor, rng } from './util/check.js';
import { relDiff } from './util/dense-reference.js';

const FLAGS = [[false, false], [false, true], [true, false], [true, true]] as const;

/** Stored shapes of x and y so that op(x)·op(y) is [..., n, m] with inner k. */
function shapes(ta: boolean, tb: boolean, n: number, k: number, m: number, bx: number[], by: number[]) {
  return { x: [...bx, ...(ta ? [k, n] : [n, k])], y: [...by, ...(tb ? [m, k] : [k, m])] };
}

const viaTranspose = (x: Value, y: Value, ta: boolean, tb: boolean) =>
  ops.matmul(ta ? ops.matrixTranspose(x) : x, tb ? ops.matrixTranspose(y) : y);

describe.each(['js', 'wasm'] as const)('%s backend', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('equals the product of the materialised transposes, with broadcast batch axes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FLAGS), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }),
        fc.constantFrom<[number[], number[]]>([[], []], [[3], []], [[2, 1], [3]], [[1], [2]]), fc.integer(),
        ([ta, tb], n, k, m, [bx, by], seed) => {
          const next = rng(seed);
          const s = shapes(ta, tb, n, k, m, bx, by);
          const x = randomTensor(s.x, next), y = randomTensor(s.y, next);
          const got = ops.matmul(x, y, { transposeA: ta, transposeB: tb }) as Tensor;
          const want = viaTranspose(x, y, ta, tb) as Tensor;
          expect(got.shape).toEqual(want.shape);
          expect(relDiff(got.data, want.data)).toBeLessThanOrEqual(1e-14);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('derivatives: checkDerivatives (first and second order) for every transpose pair', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FLAGS), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.integer(), ([ta, tb], n, k, m, batched, seed) => {
          const next = rng(seed);
          const s = shapes(ta, tb, n, k, m, batched ? [2] : [], []);
          const f = (x: Value, y: Value) => ops.sin(ops.matmul(x, y, { transposeA: ta, transposeB: tb }));
          checkDerivatives(f, [randomTensor(s.x, next), randomTensor(s.y, next)], { secondOrder: true, seed });
        }),
      { numRuns: 25 },
    );
  });

  it('gradients equal those of the route through matrixTranspose (an independent set of rules)', () => {
    const next = rng(5);
    for (const [ta, tb] of FLAGS) {
      const s = shapes(ta, tb, 3, 4, 2, [2], [1]);
      const x = randomTensor(s.x, next), y = randomTensor(s.y, next), ct = randomTensor([2, 3, 2], next);
      const [, pullA] = vjp((a: Value, b: Value) => ops.matmul(a, b, { transposeA: ta, transposeB: tb }), [x, y]);
      const [, pullB] = vjp((a: Value, b: Value) => viaTranspose(a, b, ta, tb), [x, y]);
      const [ga, gb] = pullA(ct) as Tensor[], [ha, hb] = pullB(ct) as Tensor[];
      expect(ga.shape).toEqual(x.shape);
      expect(gb.shape).toEqual(y.shape);
      expect(relDiff(ga.data, ha.data)).toBeLessThanOrEqual(1e-14);
      expect(relDiff(gb.data, hb.data)).toBeLessThanOrEqual(1e-14);
      // and a second-order quantity: the gradient of ⟨V, ∇ₓ⟩ through both routes
      const v = randomTensor(s.x, next);
      const inner = (route: typeof viaTranspose) => (a: Value) =>
        ops.sum(ops.mul(v, grad((z: Value) => ops.sum(ops.square(route(z, y, ta, tb))))(a)));
      const direct = (a: Value, b: Value, p: boolean, q: boolean) => ops.matmul(a, b, { transposeA: p, transposeB: q });
      const h1 = grad(inner(direct))(x) as Tensor, h2 = grad(inner(viaTranspose))(x) as Tensor;
      expect(relDiff(h1.data, h2.data)).toBeLessThanOrEqual(1e-13);
    }
  });
});

describe('matmul transpose options: errors', () => {
  it('a transposed vector is an InvalidArgumentError; mismatched inner dimensions name the transposes', () => {
    const v = Tensor.from([1, 2, 3]), A = Tensor.from([[1, 2, 3], [4, 5, 6]]);
    expect(() => ops.matmul(v, A, { transposeA: true })).toThrow(InvalidArgumentError);
    expect(() => ops.matmul(A, v, { transposeB: true })).toThrow(/transposeB needs an operand of rank ≥ 2/);
    expect(() => ops.matmul(A, A, { transposeB: false })).toThrow(ShapeError);
    expect(() => ops.matmul(A, A, { transposeA: true, transposeB: true })).toThrow(/\[2, 3\]ᵀ @ \[2, 3\]ᵀ/);
    // the valid combinations of the same operands
    expect((ops.matmul(A, A, { transposeB: true }) as Tensor).toArray()).toEqual([[14, 32], [32, 77]]);
    expect((ops.matmul(A, A, { transposeA: true }) as Tensor).shape).toEqual([3, 3]);
    // vectors keep NumPy semantics when not transposed
    expect((ops.matmul(A, v) as Tensor).toArray()).toEqual([14, 32]);
  });
});
