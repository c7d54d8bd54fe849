/**
 * Forward mode's first-order fast path (`Primitive.jvpFused`, the dual-number loops of kernels/dual.ts): for every
 * elementwise primitive that has one, the fused primal and tangent are bit-identical to the kernel plus the
 * derivative rule, on random and special values (±0, ±∞, NaN), for same-shape and scalar operands, with either or
 * both tangents; other broadcasts decline (the rule path runs); and `jvp` takes the fast path only where nothing
 * else is traced (nested transforms still differentiate the rules).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tensor, type Value, grad, jvp, ops } from '@natgrad/core';
import type { Primitive } from '../src/ad/primitive.js';
import { addPrim, mulPrim, subPrim } from '../src/primitives/binary.js';
import * as unary from '../src/primitives/unary.js';
import { checkDerivatives } from './util/check.js';

const SPECIAL = [0, -0, 1, -1, 0.5, 1e-300, -1e300, Infinity, -Infinity, NaN, Math.PI];

/** Bitwise equality of two tensors (NaN equals NaN, −0 differs from +0). */
function expectSameBits(a: Tensor, b: Tensor, what: string): void {
  expect(a.shape, `${what}: shape`).toEqual(b.shape);
  for (let i = 0; i < a.data.length; i++) {
    if (!Object.is(a.data[i], b.data[i])) throw new Error(`${what}: entry ${i} is ${a.data[i]}, the rule path gives ${b.data[i]}`);
  }
}

const values = (n: number) =>
  fc.array(fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(...SPECIAL)), { minLength: n, maxLength: n }).map((v) => Float64Array.from(v));

/** The rule path: the kernel, then the JVP rule on concrete values. */
function rulePath<P>(prim: Primitive<P>, xs: Tensor[], ts: (Tensor | null)[], p: P): [Tensor, Tensor] {
  const out = prim.impl(xs, p);
  return [out, prim.jvp!(ts, xs, out, p) as Tensor];
}

const UNARY = Object.values(unary).filter((p): p is Primitive => typeof p === 'object' && 'jvpFused' in p && p.jvpFused !== undefined);

describe('fused JVP ≡ kernel + rule, bit for bit', () => {
  it('the unary ops that have a dual loop', () => {
    expect(UNARY.map((p) => p.name).sort()).toEqual(['cos', 'exp', 'log', 'neg', 'sin', 'sqrt', 'square', 'tanh']);
    fc.assert(
      fc.property(values(7), values(7), (x, t) => {
        for (const prim of UNARY) {
          const X = new Tensor(x, [7]), T = new Tensor(t, [7]);
          const [o, dt] = prim.jvpFused!([X], [T], undefined)!;
          const [ro, rdt] = rulePath(prim, [X], [T], undefined);
          expectSameBits(o, ro, `${prim.name} primal`);
          expectSameBits(dt, rdt, `${prim.name} tangent`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it.each([['add', addPrim], ['sub', subPrim], ['mul', mulPrim]] as const)('%s: same shapes, scalars on either side, either or both tangents', (_, prim) => {
    fc.assert(
      fc.property(values(6), values(6), values(6), values(6), fc.constantFrom('same', 'scalarX', 'scalarY'), fc.constantFrom('both', 'x', 'y'), (a, b, ta, tb, layout, which) => {
        const xs = layout === 'scalarX' ? [1] : [2, 3], ys = layout === 'scalarY' ? [] : [2, 3];
        const n = (s: number[]) => s.reduce((p, q) => p * q, 1);
        const X = new Tensor(a.slice(0, n(xs)), xs), Y = new Tensor(b.slice(0, n(ys)), ys);
        const TX = which === 'y' ? null : new Tensor(ta.slice(0, n(xs)), xs), TY = which === 'x' ? null : new Tensor(tb.slice(0, n(ys)), ys);
        const fused = prim.jvpFused!([X, Y], [TX, TY], undefined);
        const [ro, rdt] = rulePath(prim, [X, Y], [TX, TY], undefined);
        // a lone tangent of a broadcast operand, with an identity derivative, would need a broadcast: declined
        if (fused === null) {
          expect(prim !== mulPrim && layout !== 'same' && which !== 'both').toBe(true);
          return;
        }
        expectSameBits(fused[0], ro, 'primal');
        expectSameBits(fused[1], rdt, 'tangent');
      }),
      { numRuns: 80 },
    );
  });

  it('other broadcasts decline, and jvp still gives the rule path\'s answer', () => {
    const X = Tensor.from([[1, 2, 3], [4, 5, 6]]), row = Tensor.from([10, 20, 30]);
    expect(mulPrim.jvpFused!([X, row], [X, row], undefined)).toBeNull();
    const [y, t] = jvp((a: Value, b: Value) => ops.mul(a, b), [X, row], [X, row]);
    expect((y as Tensor).toArray()).toEqual([[10, 40, 90], [40, 100, 180]]);
    expect((t as Tensor).toArray()).toEqual([[20, 80, 180], [80, 200, 360]]);
  });
});

describe('when jvp takes the fast path', () => {
  const f = (x: Value) => ops.sum(ops.mul(ops.square(ops.sub(ops.sin(x), 1)), ops.exp(ops.neg(x))));
  const x = Tensor.from([0.3, -1.2, 2.5, 0.7]), v = Tensor.from([1, -0.5, 0.25, 2]);

  it('first order: the same numbers as forward-over-reverse and finite differences', () => {
    checkDerivatives(f, [x], { secondOrder: true });
  });

  it('nested: jvp of jvp and jvp of grad (inputs traced by an outer transform take the rule path)', () => {
    const df = (y: Value) => jvp(f, [y], [v])[1] as Value;
    const [, second] = jvp(df, [x], [v]);
    const [, viaGrad] = jvp((y: Value) => ops.sum(ops.mul(grad(f)(y) as Value, v)), [x], [v]);
    expect(Math.abs((second as Tensor).item() - (viaGrad as Tensor).item())).toBeLessThan(1e-12 * Math.abs((viaGrad as Tensor).item()));
  });
});
