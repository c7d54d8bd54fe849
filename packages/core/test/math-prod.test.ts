/**
 * `prod` (issue 14, item 4): values against exp(Σ log) on positive inputs and against plain loops over every axis
 * combination (keepdims, empty reductions), and derivatives that stay exact where the input has zeros — the gradient
 * ∏_{j≠i} xⱼ from loops, one zero (the gradient is nonzero only there), two zeros (the gradient vanishes but the
 * Hessian does not) — through `checkDerivatives` to second order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Tensor, type Value, grad, hessian, ops } from '@natgrad/core';
import { checkDerivatives, expectClose, randomTensor, rng } from './util/check.js';

/** Product over `axes` by nested loops on the multi-index (independent of the kernels). */
function prodLoop(x: Tensor, axes: number[]): { data: number[]; shape: number[] } {
  const shape = x.shape.filter((_, i) => !axes.includes(i));
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Array<number>(size).fill(1);
  const idx = new Array<number>(x.shape.length).fill(0);
  for (let q = 0; q < x.size; q++) {
    let o = 0;
    for (let i = 0, k = 0; i < x.shape.length; i++) if (!axes.includes(i)) o = o * shape[k++] + idx[i];
    out[o] *= x.data[q];
    for (let i = x.shape.length - 1; i >= 0; i--) {
      if (++idx[i] < x.shape[i]) break;
      idx[i] = 0;
    }
  }
  return { data: out, shape };
}

const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
const axesOf = (rank: number) => fc.subarray(Array.from({ length: rank }, (_, i) => i), { minLength: 1 });

describe('prod', () => {
  it('equals loops over every axis combination, with keepdims; exp(Σ log x) on positive inputs', () => {
    fc.assert(
      fc.property(shapes.chain((s) => fc.tuple(fc.constant(s), axesOf(s.length))), fc.integer(), fc.boolean(), ([shape, axes], seed, keep) => {
        const x = randomTensor(shape, rng(seed), 0.5, 1.5);
        const ref = prodLoop(x, axes);
        const p = ops.prod(x, axes, keep) as Tensor;
        expect(p.shape).toEqual(keep ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : ref.shape);
        expectClose(ops.reshape(p, ref.shape) as Tensor, new Tensor(Float64Array.from(ref.data), ref.shape), 1e-14, 0, 'loops');
        expectClose(ops.reshape(p, ref.shape) as Tensor, ops.exp(ops.sum(ops.log(x), axes)) as Tensor, 1e-13, 0, 'exp(Σ log x)');
      }),
      { numRuns: 60 },
    );
    expect((ops.prod(Tensor.from([[1, 2], [3, 4]])) as Tensor).item()).toBe(24);
    expect((Tensor.from([[1, 2], [3, 4]]).prod(0) as Tensor).toArray()).toEqual([3, 8]);
    expect((ops.prod(Tensor.zeros([2, 0]), 1) as Tensor).toArray()).toEqual([1, 1]);
    expect((ops.prod(Tensor.zeros([0])) as Tensor).item()).toBe(1);
    expect(Number.isNaN((ops.prod([1, NaN, 0]) as Tensor).item())).toBe(true);
  });

  it('the gradient is ∏_{j≠i} xⱼ exactly, zeros included', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, -0.5, 1, 2, 3, -1.25), { minLength: 1, maxLength: 8 }), (vals) => {
        const g = grad((x: Value) => ops.prod(x))(Tensor.from(vals)) as Tensor;
        vals.forEach((_, i) => expect(g.data[i]).toBe(vals.reduce((p: number, v, j) => (j === i ? p : p * v), 1)));
      }),
      { numRuns: 60 },
    );
  });

  it('checkDerivatives to second order with zeros in the input, along any axes', () => {
    fc.assert(
      fc.property(shapes.chain((s) => fc.tuple(fc.constant(s), axesOf(s.length))), fc.integer(), fc.integer({ min: 0, max: 3 }), ([shape, axes], seed, zeros) => {
        const next = rng(seed);
        const x = randomTensor(shape, next);
        const d = x.data.slice();
        for (let z = 0; z < zeros; z++) d[Math.floor(next() * d.length)] = 0;
        checkDerivatives((v) => ops.prod(v, axes), [new Tensor(d, shape)], { seed, secondOrder: true });
      }),
      { numRuns: 40 },
    );
  });

  it('two zeros: the gradient vanishes, the Hessian is ∏ of the others at the two zeros (closed form)', () => {
    const x = Tensor.from([2, 0, 3, 0, 5]);
    expect((grad((v: Value) => ops.prod(v))(x) as Tensor).data.every((v) => v === 0)).toBe(true);
    const h = hessian((v: Value) => ops.prod(v))(x) as Tensor;
    const expected = new Float64Array(25);
    expected[1 * 5 + 3] = expected[3 * 5 + 1] = 30;
    expectClose(h, new Tensor(expected, [5, 5]), 0, 0, 'Hessian');
  });

  it('bad axes and keepdims are typed errors', () => {
    expect(() => ops.prod([1, 2], 1)).toThrow(InvalidArgumentError);
    expect(() => ops.prod([1, 2], [0, 0])).toThrow(InvalidArgumentError);
    expect(() => ops.prod([1, 2], 0, 'yes' as never)).toThrow(/prod: keepdims must be true or false/);
  });
});
