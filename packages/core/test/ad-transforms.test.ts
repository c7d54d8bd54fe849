/**
 * The transforms themselves: nesting without perturbation confusion (../shared/MATH.md), escaped tracers,
 * Jacobians in every mode and chunk size, Hessians, custom rules, trees, options and errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConcretizationError,
  ShapeError,
  Tensor,
  TracerEscapeError,
  type Value,
  customJvp,
  customVjp,
  derivative,
  grad,
  hessian,
  hvp,
  jacobian,
  jacrev,
  jvp,
  linearize,
  ops,
  primalValue,
  valueAndGrad,
  vjp,
} from '@natgrad/core';
import { expectClose, randomTensor, rng } from './util/check.js';

const t = (x: unknown) => x as Tensor;

describe('perturbation confusion (MATH.md)', () => {
  it('D(x ↦ x · D(y ↦ x + y)(1))(1) = 1', () => {
    expect(t(derivative((x) => ops.mul(x, derivative((y) => ops.add(x, y), 1)), 1)).item()).toBe(1);
  });
  it('D(x ↦ x · D(y ↦ x · y)(1))(4) = 8', () => {
    expect(t(derivative((x) => ops.mul(x, derivative((y) => ops.mul(x, y), 1)), 4)).item()).toBe(8);
  });
  it('d²/dx² x³ at 2 = 12, by forward-over-forward, forward-over-reverse and reverse-over-reverse', () => {
    const cube = (x: Value) => ops.mul(x, ops.mul(x, x));
    expect(t(derivative((x) => derivative(cube, x), 2)).item()).toBe(12);
    expect(t(derivative((x) => grad(cube)(x), 2)).item()).toBe(12);
    expect(t(grad((x: Value) => grad(cube)(x))(2)).item()).toBe(12);
  });
  it('the same closure over an outer tracer differentiated inside reverse mode', () => {
    // d/dx [ x · d/dy (x·y) ] = d/dx x² = 2x
    const f = (x: Value) => ops.mul(x, grad((y: Value) => ops.mul(x, y))(Tensor.scalar(1)));
    expect(t(grad(f)(3)).item()).toBe(6);
  });
  it('third derivative mixing all three nestings', () => {
    // d³/dx³ x⁴ = 24x
    const f = (x: Value) => ops.mul(ops.mul(x, x), ops.mul(x, x));
    const d3 = derivative((x) => grad((y: Value) => derivative(f, y))(x), 1.5);
    expect(t(d3).item()).toBeCloseTo(36, 12);
  });
});

describe('escaped tracers and concretisation', () => {
  it('a tracer captured from jvp cannot be used after jvp returns', () => {
    let leaked: Value | undefined;
    jvp((x: Value) => {
      leaked = ops.mul(x, 2);
      return leaked;
    }, [Tensor.scalar(1)], [Tensor.scalar(1)]);
    expect(() => ops.add(leaked!, 1)).toThrow(TracerEscapeError);
  });
  it('a tracer captured from grad cannot be returned from a later transform', () => {
    let leaked: Value | undefined;
    grad((x: Value) => {
      leaked = x;
      return ops.sum(x);
    })(Tensor.from([1, 2]));
    expect(() => jvp(() => leaked!, [Tensor.scalar(0)], [Tensor.scalar(1)])).toThrow(TracerEscapeError);
  });
  it('asking a tracer for numbers is a ConcretizationError; primalValue gives a constant', () => {
    expect(() => grad((x: Value) => ops.mul(x, x.item()))(3)).toThrow(ConcretizationError);
    expect(() => grad((x: Value) => ops.sum(ops.mul(x, x.toFlatArray()[0])))(Tensor.from([3]))).toThrow(ConcretizationError);
    expect(() => grad((x: Value) => ops.mul(x, x.toArray() as number))(3)).toThrow(ConcretizationError);
    // primalValue is a constant: d/dx [x · value(x)] = value(x) = 3
    expect(t(grad((x: Value) => ops.mul(x, primalValue(x).item()))(3)).item()).toBe(3);
  });
});

describe('Jacobians', () => {
  const f = (x: Value) => ops.stack([ops.sum(ops.sin(x)), ops.mul(ops.slice(x, 0), ops.slice(x, 1)), ops.exp(ops.slice(x, 2))]);
  it('jacobian (every chunk size) equals jacrev and the closed form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 5 }), (seed, chunkSize) => {
        const x = randomTensor([4], rng(seed));
        const [a, b, c] = [x.data[0], x.data[1], x.data[2]];
        const expected = Tensor.from([
          Array.from(x.data, Math.cos),
          [b, a, 0, 0],
          [0, 0, Math.exp(c), 0],
        ]);
        expectClose(t(jacobian(f, { chunkSize })(x)), expected, 1e-15, 1e-15, 'jacfwd');
        expectClose(t(jacrev(f)(x)), expected, 1e-15, 1e-15, 'jacrev');
      }),
      { numRuns: 25 },
    );
  });
  it('has shape [...out, ...in] for matrix inputs and outputs', () => {
    const A = Tensor.from([[1, 2], [3, 4], [5, 6]]);
    const J = jacobian((a) => ops.matmul(ops.transpose(a), a))(A);
    expect(J.shape).toEqual([2, 2, 3, 2]);
    expect(jacrev((a) => ops.matmul(ops.transpose(a), a))(A).shape).toEqual([2, 2, 3, 2]);
    expectClose(t(J), t(jacrev((a) => ops.matmul(ops.transpose(a), a))(A)), 1e-14, 1e-14, 'matrix jac');
  });
  it('rejects an invalid chunk size', () => {
    expect(() => jacobian(f, { chunkSize: 0 })).toThrow(/chunkSize/);
  });
});

describe('Hessians', () => {
  it('hessian of a quadratic form ½xᵀAx is sym(A); hvp matches H·v', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 6 }), (seed, n) => {
        const next = rng(seed);
        const A = randomTensor([n, n], next);
        const x = randomTensor([n], next);
        const v = randomTensor([n], next);
        const q = (y: Value) => ops.mul(0.5, ops.dot(y, ops.matmul(A, y)));
        const H = t(hessian(q)(x));
        const sym = t(ops.mul(0.5, ops.add(A, ops.transpose(A))));
        expectClose(H, sym, 1e-14, 1e-14, 'hessian');
        expectClose(t(hvp(q, x, v)), t(ops.matmul(sym, v)), 1e-13, 1e-13, 'hvp');
      }),
      { numRuns: 25 },
    );
  });
  it('hessian of log-sum-exp is diag(p) − ppᵀ', () => {
    const x = Tensor.from([0.3, -1.2, 2.0]);
    const p = x.data.map(Math.exp);
    const z = p.reduce((a, b) => a + b);
    const pn = Array.from(p, (v) => v / z);
    const expected = Tensor.from(pn.map((pi, i) => pn.map((pj, j) => (i === j ? pi : 0) - pi * pj)));
    expectClose(t(hessian((y) => ops.logsumexp(y))(x)), expected, 1e-14, 1e-15, 'hessian lse');
  });
});

describe('vjp, grad and linearize', () => {
  it('grad with argnums, trees and hasAux', () => {
    const f = (p: { w: Value; b: Value }, x: Value) => ops.sum(ops.square(ops.add(ops.mul(p.w, x), p.b)));
    const p = { w: Tensor.from([1, 2]), b: Tensor.scalar(0.5) };
    const x = Tensor.from([3, -1]);
    const g = grad(f)(p, x) as { w: Tensor; b: Tensor };
    // r = w·x + b = [3.5, -1.5]; ∂/∂w = 2 r x, ∂/∂b = Σ 2 r
    expect(g.w.toArray()).toEqual([21, 3]);
    expect(g.b.item()).toBe(4);
    const [gp, gx] = grad(f, { argnums: [0, 1] })(p, x) as [{ w: Tensor }, Tensor];
    expect(gp.w.toArray()).toEqual([21, 3]);
    expect(gx.toArray()).toEqual([7, -6]);
    const [[value, aux], gw] = valueAndGrad((w: Value) => [ops.sum(ops.square(w)), 'aux-data'], { hasAux: true })(
      Tensor.from([1, 2]),
    );
    expect(t(value).item()).toBe(5);
    expect(aux).toBe('aux-data');
    expect(t(gw).toArray()).toEqual([2, 4]);
  });
  it('hasAux returns aux as plain values, usable after the transform (and still traced by outer transforms)', () => {
    const f = (x: Value) => [ops.sum(ops.mul(x, x)), ops.mul(x, 2)];
    const [[, aux]] = valueAndGrad(f, { hasAux: true })(Tensor.from([1, 2]));
    expect(t(ops.add(aux, 1)).toArray()).toEqual([3, 5]);
    // Under an outer jvp, aux keeps the outer tangent: d/dx (2x) = 2.
    const [, daux] = jvp((x: Value) => valueAndGrad(f, { hasAux: true })(x)[0][1], [Tensor.from([1, 2])], [Tensor.from([1, 1])]);
    expect(t(daux).toArray()).toEqual([2, 2]);
  });
  it('grad requires a scalar output and valid argnums', () => {
    expect(() => grad((x: Value) => ops.mul(x, 2))(Tensor.from([1, 2]))).toThrow(ShapeError);
    expect(() => grad((x: Value) => ops.sum(x), { argnums: 2 })(Tensor.from([1]))).toThrow(/argnums/);
  });
  it('inputs that do not affect the output get zero gradients of the right shape', () => {
    const g = grad((a: Value, _b: Value) => ops.sum(a), { argnums: [0, 1] })(Tensor.from([1, 2]), Tensor.zeros([2, 3]));
    expect((g as Tensor[])[1].shape).toEqual([2, 3]);
    expect(Array.from((g as Tensor[])[1].data)).toEqual([0, 0, 0, 0, 0, 0]);
  });
  it('the pullback checks cotangent structure and shape', () => {
    const [, pb] = vjp((x: Value) => ops.mul(x, 2), [Tensor.from([1, 2])]);
    expect(() => pb(Tensor.from([1, 2, 3]))).toThrow(ShapeError);
    expect(t(pb(Tensor.from([1, 1]))[0]).toArray()).toEqual([2, 2]);
  });
  it('jvp checks tangent shapes', () => {
    expect(() => jvp((x: Value) => x, [Tensor.from([1, 2])], [Tensor.from([1])])).toThrow(ShapeError);
  });
  it('linearize evaluates the primal once and then only tangents', () => {
    let calls = 0;
    const f = (x: Value) => {
      calls++;
      return ops.sum(ops.exp(x));
    };
    const [y, lin] = linearize(f, [Tensor.from([0, 1])]);
    expect(t(y).item()).toBeCloseTo(1 + Math.E, 14);
    expect(t(lin(Tensor.from([1, 0]))).item()).toBeCloseTo(1, 14);
    expect(t(lin(Tensor.from([0, 1]))).item()).toBeCloseTo(Math.E, 14);
    expect(calls).toBe(1);
  });
});

describe('custom rules', () => {
  it('customJvp: the rule is used in forward mode and, transposed, in reverse mode', () => {
    const f = customJvp(
      (x: Value) => ops.log1p(ops.exp(x)),
      ([x], [dx]) => [ops.log1p(ops.exp(x)), ops.mul(dx, 42)], // deliberately "wrong" to see which route runs
    );
    expect(t(jvp(f, [Tensor.scalar(0)], [Tensor.scalar(1)])[1]).item()).toBe(42);
    expect(t(grad((x: Value) => f(x))(0)).item()).toBe(42);
  });
  it('customVjp: fwd/bwd with residuals in reverse mode, forward mode differentiates through f', () => {
    const clipGrad = customVjp((x: Value) => ops.mul(x, 3), {
      fwd: (x: Value) => [ops.mul(x, 3), x],
      bwd: (_res: Value, ct: Value) => [ops.clip(ops.mul(ct, 3), -1, 1)],
    });
    expect(t(grad((x: Value) => clipGrad(x))(2)).item()).toBe(1);
    expect(t(derivative((x) => clipGrad(x), 2)).item()).toBe(3);
  });
  it('custom rules nest: second derivative through a customJvp rule written with ops', () => {
    const sq = customJvp((x: Value) => ops.mul(x, x), ([x], [dx]) => [ops.mul(x, x), ops.mul(ops.mul(2, x), dx)]);
    expect(t(derivative((x) => derivative((y) => sq(y), x), 3)).item()).toBe(2);
  });
});

describe('NaN policy', () => {
  it('elementwise ops propagate NaN (IEEE) in value and derivatives', () => {
    const x = Tensor.from([1, Number.NaN, 3]);
    const y = t(ops.exp(x));
    expect(Number.isNaN(y.data[1])).toBe(true);
    expect(y.data[0]).toBe(Math.E);
    const g = t(grad((v: Value) => ops.sum(ops.square(v)))(x));
    expect(Number.isNaN(g.data[1])).toBe(true);
    expect(g.data[2]).toBe(6);
  });
  it('matmul keeps NaN even against zeros (0 · NaN = NaN)', () => {
    const r = t(ops.matmul(Tensor.from([[0, 1]]), Tensor.from([[Number.NaN], [1]])));
    expect(Number.isNaN(r.data[0])).toBe(true);
  });
});
