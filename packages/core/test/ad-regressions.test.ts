/**
 * Regressions for issue 10 (items 7 and 13): custom rules under both modes, closed-over tracers, bad bwd results,
 * dead tracers as inputs, negative/duplicate argnums, nested arrays of numbers as array leaves. Every test here
 * failed on the code before the fix; it uses only APIs that existed then, so it can be run against it.
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  NatgradError,
  ShapeError,
  Tensor,
  TracerEscapeError,
  type Value,
  cholesky,
  customJvp,
  customVjp,
  derivative,
  grad,
  hessian,
  jacobian,
  jacrev,
  jvp,
  linearize,
  ops,
  vjp,
} from '@natgrad/core';
import { expectClose, finiteDifference } from './util/check.js';

const t = (x: unknown) => x as Tensor;

function caught(fn: () => unknown): NatgradError {
  try {
    fn();
  } catch (e) {
    return e as NatgradError;
  }
  throw new Error('expected an error, none was thrown');
}

/** The brief's example: sin with a deliberately doubled derivative, so it is visible which route runs. */
const sin2 = customJvp(
  (x: Value) => ops.sin(x),
  ([x], [dx]) => [ops.sin(x), ops.mul(ops.mul(2, ops.cos(x)), dx)],
);

describe('A1: a customJvp rule holds under reverse mode and to higher order', () => {
  it('grad(f)(3) is 2cos(3) = −1.980 (was −0.990: reverse mode ignored the rule)', () => {
    expect(t(grad(sin2)(3)).item()).toBeCloseTo(2 * Math.cos(3), 15);
    const [, pullback] = vjp(sin2, [Tensor.scalar(3)]);
    expect(t(pullback(Tensor.scalar(1))[0]).item()).toBeCloseTo(2 * Math.cos(3), 15);
  });
  it('linearize agrees with jvp and the rule', () => {
    const [y, lin] = linearize(sin2, [Tensor.scalar(3)]);
    expect(t(y).item()).toBeCloseTo(Math.sin(3), 15);
    expect(t(lin(Tensor.scalar(0.5))).item()).toBeCloseTo(Math.cos(3), 15);
  });
  it('second derivatives by every nesting: −2 sin x (closed form) and finite differences of the gradient', () => {
    const x = 0.7;
    const closed = -2 * Math.sin(x);
    const fd = finiteDifference((v: Value) => grad(sin2)(v), [Tensor.scalar(x)], [Tensor.scalar(1)], 1e-3).item();
    expect(fd).toBeCloseTo(closed, 9);
    expect(t(hessian(sin2)(x)).item()).toBeCloseTo(closed, 14); // forward over reverse
    expect(t(grad((v: Value) => grad(sin2)(v))(x)).item()).toBeCloseTo(closed, 14); // reverse over reverse
    expect(t(derivative((v) => grad(sin2)(v), x)).item()).toBeCloseTo(closed, 14); // jvp of grad
    expect(t(derivative((v) => derivative(sin2, v), x)).item()).toBeCloseTo(closed, 14); // forward over forward
  });
  it('a rule of several arguments is transposed per argument, including one it ignores (JAX test_custom_jvp_transpose_vjp3)', () => {
    // The rule deliberately drops dA: reverse mode must then give no cotangent for A (through f it would be u bᵀ).
    const mv = customJvp(
      (A: Value, b: Value) => ops.matmul(A, b),
      ([A, b], [, db]) => [ops.matmul(A, b), ops.matmul(A, db)],
    );
    const A = Tensor.from([[1, 2], [3, 4], [5, 6]]);
    const b = Tensor.from([0.5, -1]);
    const u = Tensor.from([1, -2, 3]);
    const [, pb] = vjp(mv, [A, b]);
    const [gA, gb] = pb(u) as Tensor[];
    expect(gA.toArray()).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(gb.toArray()).toEqual([1 * 1 - 2 * 3 + 3 * 5, 2 * 1 - 2 * 4 + 3 * 6]); // Aᵀ u
  });
});

describe('A2: closing over a tracer is a typed error naming the function', () => {
  const expectClosedOver = (e: NatgradError, fn: RegExp) => {
    expect(e).toBeInstanceOf(TracerEscapeError);
    expect(e.code).toBe('CLOSED_OVER_TRACER');
    expect(e.message).toMatch(fn);
    expect(e.message).toMatch(/as an argument/);
  };
  it('a rule closing over the jvp tracer no longer leaks it as the primal', () => {
    const e = caught(() =>
      jvp(
        (x: Value) => customJvp((y: Value) => ops.mul(x, y), ([y], [dy]) => [ops.mul(x, y), ops.mul(x, dy)])(x),
        [Tensor.scalar(3)],
        [Tensor.scalar(1)],
      ),
    );
    expectClosedOver(e, /customJvp\(/);
  });
  it('a perturbation closed over by f no longer silently skips the rule (forward and reverse)', () => {
    const g = (x: Value) =>
      customJvp((y: Value) => ops.mul(x, y), ([y], [dy]) => [ops.mul(x, y), ops.mul(dy, 42)])(Tensor.scalar(2));
    expectClosedOver(caught(() => jvp(g, [Tensor.scalar(3)], [Tensor.scalar(1)])), /customJvp\(/);
    expectClosedOver(caught(() => grad(g)(3)), /customJvp\(/);
  });
  it('JAX test_closed_over_tracers_error_message', () => {
    const f = (x: Value) => {
      const g: (y: Value) => Value = customJvp(
        (y: Value) => ops.add(x, y),
        ([y]) => [g(x), ops.mul(2, y)],
      );
      return g(Tensor.scalar(1));
    };
    expectClosedOver(caught(() => jvp(f, [Tensor.scalar(3)], [Tensor.scalar(1)])), /customJvp\(/);
    expectClosedOver(caught(() => grad(f)(3)), /customJvp\(/);
  });
  it('customVjp: f closing over the grad tracer, and bwd closing over it', () => {
    const viaF = (x: Value) =>
      customVjp((y: Value) => ops.mul(x, y), { fwd: (y: Value) => [ops.mul(x, y), null], bwd: (_r: null, ct: Value) => [ct] })(
        Tensor.scalar(2),
      );
    expectClosedOver(caught(() => grad(viaF)(3)), /customVjp\(/);
    const viaBwd = (y: Value) =>
      customVjp((x: Value) => ops.sin(x), { fwd: (x: Value) => [ops.sin(x), null], bwd: (_r: null, ct: Value) => [ops.mul(ops.cos(y), ct)] })(y);
    expectClosedOver(caught(() => grad(viaBwd)(1)), /customVjp\(/);
  });
});

describe('A3: a bad bwd result is a typed error, never a silent zero gradient', () => {
  const withBwd = (bwd: (r: null, ct: Value) => unknown) =>
    customVjp((x: Value) => ops.mul(x, 1), { fwd: (x: Value) => [ops.mul(x, 1), null], bwd: bwd as never });
  it('a bare tensor instead of [ct]', () => {
    const e = caught(() => grad(withBwd((_r, ct) => ops.mul(2, ct)))(3));
    expect(e).toBeInstanceOf(NatgradError);
    expect(e.code).toBe('BAD_CUSTOM_RULE');
    expect(e.message).toMatch(/one cotangent .* per argument: 1 here .*return \[ct\]/);
  });
  it('the wrong number of cotangents', () => {
    const e = caught(() => grad(withBwd((_r, ct) => [ct, ct]))(3));
    expect(e.code).toBe('BAD_CUSTOM_RULE');
    expect(e.message).toMatch(/1 here.*length 2/);
  });
  it('a cotangent of the wrong shape names the argument and both shapes', () => {
    const e = caught(() => grad((x: Value) => ops.sum(withBwd(() => [Tensor.zeros([3])])(x)))(Tensor.from([1, 2])));
    expect(e.code).toBe('BAD_CUSTOM_RULE');
    expect(e.message).toMatch(/argument 0 has shape \[3\], expected \[2\]/);
  });
});

describe('A4: a dead tracer is rejected as a transform input', () => {
  let leaked: Value | undefined;
  jvp((x: Value) => {
    leaked = x;
    return x;
  }, [Tensor.scalar(1)], [Tensor.scalar(1)]);
  it.each([
    ['jvp primal', () => jvp((y: Value) => y, [leaked!], [Tensor.scalar(1)])],
    ['jvp tangent', () => jvp((y: Value) => y, [Tensor.scalar(1)], [leaked!])],
    ['grad', () => grad((y: Value) => y)(leaked!)],
    ['vjp', () => vjp((y: Value) => y, [leaked!])],
    ['linearize', () => linearize((y: Value) => y, [leaked!])],
    ['jacobian', () => jacobian((y: Value) => y)(leaked!)],
    ['jacrev', () => jacrev((y: Value) => y)(leaked!)],
  ])('%s', (_name, fn) => {
    expect(fn).toThrow(TracerEscapeError);
  });
});

describe('A5: argnums as in JAX', () => {
  const f = (a: Value, b: Value, c: Value) => ops.mul(ops.mul(a, b), ops.square(c));
  it('negative argnums count from the end', () => {
    expect(t(grad(f, { argnums: -1 })(2, 3, 5)).item()).toBe(60); // 2ab·c… ∂/∂c = 2abc
    const [gc, ga] = grad(f, { argnums: [-1, 0] })(2, 3, 5) as Tensor[];
    expect([gc.item(), ga.item()]).toEqual([60, 75]);
  });
  it('naming an argument twice (also via a negative index) is an error', () => {
    expect(() => grad(f, { argnums: [0, 0] })(2, 3, 5)).toThrow(InvalidArgumentError);
    expect(() => grad(f, { argnums: [2, -1] })(2, 3, 5)).toThrow(/more than once/);
    expect(() => grad(f, { argnums: -4 })(2, 3, 5)).toThrow(/out of range/);
  });
});

describe('B: a nested array of numbers is one array leaf of a transform', () => {
  const halfLogDet = (x: Value) => ops.sum(ops.log(ops.diagonal(cholesky(x))));
  const A = [[4, 1], [1, 3]];
  const Ainv = Tensor.from([[3 / 11, -1 / 11], [-1 / 11, 4 / 11]]);
  it('jvp(f, [[[4, 1], [1, 3]]], [E]) (the issue: "Tensor.from: expected numbers … got object")', () => {
    const [y, dy] = jvp(halfLogDet, [A], [Tensor.eye(2)]);
    expect(t(y).item()).toBeCloseTo(0.5 * Math.log(11), 14);
    expect(t(dy).item()).toBeCloseTo(7 / 22, 14); // ½ tr(A⁻¹)
    expect(t(jvp(halfLogDet, [Tensor.from(A)], [[[1, 0], [0, 1]]])[1]).item()).toBeCloseTo(7 / 22, 14);
  });
  it('grad and vjp return one tensor for the matrix; cotangents may be nested arrays', () => {
    expectClose(t(grad(halfLogDet)(A)), t(ops.mul(0.5, Ainv)), 1e-14, 1e-15, 'grad');
    const [, pb] = vjp((x: Value) => ops.mul(x, 2), [A]);
    expect(t(pb([[1, 2], [3, 4]])[0]).toArray()).toEqual([[2, 4], [6, 8]]);
    const g = grad((p: { w: Value; b: Value }) => ops.add(ops.sum(ops.square(p.w)), p.b))({ w: [[1, 2], [3, 4]], b: 0.5 });
    expect(t(g.w).toArray()).toEqual([[2, 4], [6, 8]]);
    expect(t(g.b).item()).toBe(1);
  });
  it('an output nested array of numbers is one tensor (its tangent a tensor of zeros)', () => {
    const [y, dy] = jvp(() => [[1, 2], [3, 4]], [], []);
    expect(y).toBeInstanceOf(Tensor);
    expect(t(y).shape).toEqual([2, 2]);
    expect(t(dy).toArray()).toEqual([[0, 0], [0, 0]]);
  });
  it('ragged arrays and arrays mixing numbers with tensors are typed errors naming the path', () => {
    const e = caught(() => jvp((x: Value) => x, [{ m: [[1, 2], [3]] }], [{ m: [[1, 1], [1]] }]));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/primals\[0\]\.m is a ragged nested array.*primals\[0\]\.m\[1\] has length 1, expected length 2/);
    const mixed = caught(() => grad((x: Value[]) => ops.sum(x[1]))([1, Tensor.scalar(2)]));
    expect(mixed).toBeInstanceOf(InvalidArgumentError);
    expect(mixed.message).toMatch(/argument 0\[1\] is a Tensor .* inside a nested array of numbers/);
  });
});
