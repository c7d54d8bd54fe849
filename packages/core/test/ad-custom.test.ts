/**
 * Custom derivative rules (customJvp, customVjp): cases ported from JAX's tests/custom_api_test.py (CustomJVPTest,
 * CustomVJPTest: basic, invariance, control flow, pytrees, nones, closures, nesting, symbolic zeros, higher order,
 * error messages), the documented forward-mode fallback of customVjp, and derivative checks of correct rules
 * against finite differences and the other mode (util/check.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClosedOverTracerError,
  CustomRuleError,
  Tensor,
  type ArrayInput,
  type Value,
  customJvp,
  customVjp,
  derivative,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jvp,
  linearize,
  ops,
  primalValue,
  valueAndGrad,
  vjp,
} from '@natgrad/core';
import { checkDerivatives, finiteDifference, randomTensor, rng } from './util/check.js';

const t = (x: unknown) => x as Tensor;
const num = (x: unknown) => t(x).item();

/** JAX's running example: sin with the derivative 2cos, so it is visible which route runs. */
function sinTwice() {
  const f: (x: ArrayInput) => Value = customJvp(
    (x: Value) => ops.sin(x),
    ([x], [g]) => [f(x), ops.mul(ops.mul(2, ops.cos(x)), g)],
  );
  return f;
}

function sinTwiceVjp() {
  const f: (x: ArrayInput) => Value = customVjp((x: Value) => ops.sin(x), {
    fwd: (x: Value) => [f(x), ops.cos(x)],
    bwd: (cosX: Value, g: Value) => [ops.mul(ops.mul(2, cosX), g)],
  });
  return f;
}

describe('customJvp (JAX CustomJVPTest)', () => {
  it('test_basic: value, jvp and grad all use the rule', () => {
    const f = sinTwice();
    expect(num(f(3))).toBeCloseTo(Math.sin(3), 15);
    const [y, dy] = jvp(f, [3], [1]);
    expect([num(y), num(dy)]).toEqual([Math.sin(3), 2 * Math.cos(3)]);
    expect(num(grad(f)(3))).toBeCloseTo(2 * Math.cos(3), 15);
  });
  it('test_invariance: jvp of (the primal of a jvp) is the same jvp', () => {
    const f: (x: Value) => Value = customJvp((x: Value) => ops.div(ops.cos(ops.mul(2, x)), 2), ([x], [g]) => [f(x), ops.mul(3, g)]);
    const f2 = (x: Value) => jvp(f, [x], [x])[0];
    const f3 = (x: Value) => jvp(f2, [x], [x])[0];
    const ref = jvp(f, [1], [1]).map(num);
    expect(jvp(f2, [1], [1]).map(num)).toEqual(ref);
    expect(jvp(f3, [1], [1]).map(num)).toEqual(ref);
  });
  it('test_python_control_flow: the rule may branch on primalValue', () => {
    const f: (x: Value) => Value = customJvp(
      (x: Value) => (primalValue(x).item() > 0 ? ops.sin(x) : ops.cos(x)),
      ([x], [g]) => [f(x), ops.mul(primalValue(x).item() > 0 ? 2 : 3, g)],
    );
    expect(jvp(f, [2], [1]).map(num)).toEqual([Math.sin(2), 2]);
    expect(jvp(f, [-2], [1]).map(num)).toEqual([Math.cos(-2), 3]);
    expect([num(grad(f)(2)), num(grad(f)(-2))]).toEqual([2, 3]);
  });
  it('test_pytrees: tree arguments, outputs and tangents', () => {
    const f: (x: { a: Value }) => { b: Value } = customJvp(
      (x: { a: Value }) => ({ b: ops.sin(x.a) }),
      ([x], [g]) => [f(x), { b: ops.mul(ops.mul(2, ops.cos(x.a)), g.a) }],
    );
    const [y, dy] = jvp(f, [{ a: 3 }], [{ a: 3 }]);
    expect(num(y.b)).toBeCloseTo(Math.sin(3), 15);
    expect(num(dy.b)).toBeCloseTo(6 * Math.cos(3), 15);
    const g = grad((x: { a: Value }) => f(x).b)({ a: 3 }) as { a: Tensor };
    expect(g.a.item()).toBeCloseTo(2 * Math.cos(3), 15);
  });
  it('several outputs are transposed together (JAX test_dce: f(x, y) = (sin x, x + cos y))', () => {
    const f: (x: Value, y: Value) => [Value, Value] = customJvp(
      (x: Value, y: Value) => [ops.sin(x), ops.add(x, ops.cos(y))],
      ([x, y], [dx, dy]) => [f(x, y), [ops.mul(ops.mul(2, ops.cos(x)), dx), ops.sub(ops.mul(1.5, dx), ops.mul(ops.mul(0.5, ops.sin(y)), dy))]],
    );
    const [x, y] = [0.1, -1.3];
    // Jacobian of the rule: [[2cos x, 0], [1.5, −0.5 sin y]], by both modes.
    const expected = [[2 * Math.cos(x), 0], [1.5, -0.5 * Math.sin(y)]];
    const J = jacfwd(f, { argnums: [0, 1] })(x, y) as Tensor[][];
    const Jr = jacrev(f, { argnums: [0, 1] })(x, y) as Tensor[][];
    for (const [i, j] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
      expect(J[i][j].item()).toBeCloseTo(expected[i][j], 15);
      expect(Jr[i][j].item()).toBeCloseTo(expected[i][j], 15);
    }
  });
  it('test_closure over a concrete array constant is fine (test_initial_style_vmap_2)', () => {
    const y = Tensor.from([1, 2, 3]);
    const f: (x: Value) => Value = customJvp((x: Value) => ops.mul(ops.mul(3, x), ops.sum(y)), ([x], [g]) => [f(x), ops.mul(2, g)]);
    expect(num(grad(f)(1))).toBe(2);
  });
  it('a rule may close over a tracer of an enclosing transform (differentiated through, like test_closure_with_vmap2)', () => {
    const h = (z: Value) => {
      const g = customJvp((y: Value) => ops.sin(y), ([y], [dy]) => [ops.sin(y), ops.mul(z, dy)]);
      return jvp(g, [1], [1])[1] as Value; // = z
    };
    expect(num(derivative(h, 3))).toBe(1);
    expect(num(grad(h)(3))).toBe(1);
  });
  it('a rule closing over a tracer of the transform applying it is a ClosedOverTracerError naming the function', () => {
    const make = (z: Value) => customJvp(function scaled(y: Value) { return ops.sin(y); }, ([y], [dy]) => [ops.sin(y), ops.mul(z, dy)]);
    expect(() => jvp((z: Value) => make(z)(z), [3], [1])).toThrow(ClosedOverTracerError);
    expect(() => jvp((z: Value) => make(z)(z), [3], [1])).toThrow(/customJvp\(scaled\): the JVP rule returned a value traced by a running jvp/);
    expect(() => grad((z: Value) => make(z)(z))(3)).toThrow(/customJvp\(scaled\): the JVP rule used a traced value of a transform that has already returned/);
  });
  it('nested rules: a rule that calls the function itself (expit), to third order', () => {
    const expit: (x: Value) => Value = customJvp(
      (x: Value) => ops.div(1, ops.add(1, ops.exp(ops.neg(x)))),
      ([x], [g]) => {
        const a = expit(x);
        return [a, ops.mul(g, ops.mul(a, ops.sub(1, a)))];
      },
    );
    const x = 0.3;
    const s = 1 / (1 + Math.exp(-x));
    expect(num(grad(expit)(x))).toBeCloseTo(s * (1 - s), 15);
    expect(num(hessian(expit)(x))).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 15);
    expect(num(grad((v: Value) => grad(expit)(v))(x))).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 15);
    const third = s * (1 - s) * (1 - 6 * s + 6 * s * s);
    expect(num(derivative((v) => grad((w: Value) => grad(expit)(w))(v), x))).toBeCloseTo(third, 14);
  });
  it('custom functions inside custom functions (f and rule both call another custom function)', () => {
    const inner = sinTwice();
    const outer: (x: Value) => Value = customJvp(
      (x: Value) => ops.mul(inner(x), 3),
      ([x], [g]) => [outer(x), ops.mul(3, jvp(inner, [x], [g])[1] as Value)],
    );
    expect(num(grad(outer)(1))).toBeCloseTo(6 * Math.cos(1), 15);
    expect(num(derivative(outer, 1))).toBeCloseTo(6 * Math.cos(1), 15);
    expect(num(hessian(outer)(1))).toBeCloseTo(-6 * Math.sin(1), 14);
  });
  it('symbolic zeros: with symbolicZeros the rule sees null for arguments not differentiated (test_symbolic_zero_custom_jvp)', () => {
    const seen: string[] = [];
    const f: (s: ArrayInput, sa: ArrayInput, d: ArrayInput, da: ArrayInput) => Value[] = customJvp(
      (s: Value, sa: Value, d: Value, da: Value) => [ops.add(s, d), ops.add(sa, da)],
      ([s, sa, d, da], [ts, tsa, td, tda]) => {
        seen.push([ts, tsa, td, tda].map((x) => (x === null ? 'zero' : 'tensor')).join(','));
        return [f(s, sa, d, da), [ops.add(s, 90), ops.add(tda, 91)]];
      },
      { symbolicZeros: true },
    );
    const g = (d: Value, da: Value) => f(1, [2, 3], d, da);
    const [[p1, p2], [t1, t2]] = jvp(g, [4, [5, 6]], [7, [8, 9]]) as [Value[], Value[]];
    expect(num(p1)).toBe(5);
    expect(t(p2).toArray()).toEqual([7, 9]);
    expect(num(t1)).toBe(91);
    expect(t(t2).toArray()).toEqual([99, 100]);
    expect(seen).toEqual(['zero,zero,tensor,tensor']);
  });
  it('symbolic zeros: without the option zero tangents are tensors of zeros; a null output tangent is a zero', () => {
    const kinds: string[] = [];
    const f = customJvp(
      (x: Value, y: Value) => ops.mul(x, y),
      ([x, y], [dx, dy]) => {
        kinds.push(`${dx instanceof Tensor ? dx.toArray() : dx},${dy instanceof Tensor ? dy.toArray() : dy}`);
        return [ops.mul(x, y), null]; // "no derivative"
      },
    );
    expect(num(jvp((x: Value) => f(x, 2), [3], [1])[1])).toBe(0);
    expect(num(grad(f)(3, 2))).toBe(0); // transposed: a zero
    expect(kinds[0]).toBe('1,0');
  });
  it('linearize replays the rule', () => {
    const f = sinTwice();
    const [y, lin] = linearize((x: Value) => ops.mul(f(x), x), [Tensor.scalar(0.4)]);
    expect(num(y)).toBeCloseTo(0.4 * Math.sin(0.4), 15);
    expect(num(lin(1))).toBeCloseTo(2 * Math.cos(0.4) * 0.4 + Math.sin(0.4), 15);
  });
  it('rule errors: not a pair, structures differ, shapes differ (JAX *_error_message tests)', () => {
    const notPair = customJvp((x: Value) => ops.square(x), (_p, [t0]) => t0 as never);
    expect(() => jvp(notPair, [2], [1])).toThrow(CustomRuleError);
    expect(() => jvp(notPair, [2], [1])).toThrow(/customJvp\(anonymous\): the JVP rule must return a pair \[primalOut, tangentOut\]/);
    const structure: (x: Value) => [Value] = customJvp(
      (x: Value) => [ops.square(x)],
      ([x], [g]) => [structure(x), [ops.mul(ops.mul(2, x), g), x]] as never,
    );
    expect(() => jvp(structure, [2], [1])).toThrow(/tangent output of the JVP rule has 2 entries, expected 1/);
    const shape: (x: Value) => Value = customJvp((x: Value) => ops.square(x), ([x], [g]) => [shape(x), ops.reshape(g, [1])]);
    expect(() => jvp(shape, [2], [1])).toThrow(/tangent output of the JVP rule has shape \[1\], expected \[\]/);
    // A primal output that disagrees with f is caught wherever both run (here: reverse mode runs f, then the rule).
    const primal = customJvp((x: Value) => x, ([x], [g]) => [[x, x], [g, g]] as never);
    expect(() => grad(primal)(1)).toThrow(/primal output of structure \[\*, \*\], but the function's output has structure \*/);
    expect(() => customJvp((x: Value) => x, 'rule' as never)).toThrow(CustomRuleError);
    expect(() => customJvp((x: Value) => x, ([x], [g]) => [x, g], { symbolicZeros: 'yes' } as never)).toThrow(/symbolicZeros must be a boolean/);
  });
});

describe('customVjp (JAX CustomVJPTest)', () => {
  it('test_basic and test_invariance', () => {
    const f = sinTwiceVjp();
    expect(num(f(3))).toBeCloseTo(Math.sin(3), 15);
    expect(num(grad(f)(3))).toBeCloseTo(2 * Math.cos(3), 15);
    const [v, g] = valueAndGrad(f)(3);
    expect([num(v), num(g)]).toEqual([Math.sin(3), 2 * Math.cos(3)]);
    const f2 = (x: Value) => valueAndGrad(f)(x)[0];
    const f3 = (x: Value) => valueAndGrad(f2)(x)[0];
    expect(num(grad(f2)(1))).toBeCloseTo(num(grad(f)(1)), 15);
    expect(num(grad(f3)(1))).toBeCloseTo(num(grad(f)(1)), 15);
  });
  it('test_initial_style / higher order: the bwd rule is differentiated (grad of grad, hessian, jvp of grad)', () => {
    const f = sinTwiceVjp();
    expect(num(grad((x: Value) => grad(f)(x))(3))).toBeCloseTo(-2 * Math.sin(3), 15);
    expect(num(hessian(f)(3))).toBeCloseTo(-2 * Math.sin(3), 15);
    expect(num(derivative((x) => grad(f)(x), 3))).toBeCloseTo(-2 * Math.sin(3), 15);
    // g = f∘f: g' = 2cos(f(x))·2cos(x), so g'' = −4 sin(sin x)·2cos x·cos x − 4 cos(sin x) sin x (f'(x) is the custom 2cos x)
    const g = (x: Value) => f(f(x));
    const x = 0.8;
    const g2 = -4 * Math.sin(Math.sin(x)) * 2 * Math.cos(x) * Math.cos(x) - 4 * Math.cos(Math.sin(x)) * Math.sin(x);
    expect(num(grad((v: Value) => grad(g)(v))(x))).toBeCloseTo(g2, 14);
    expect(num(jacrev((v: Value) => grad(g)(v))(x))).toBeCloseTo(g2, 14);
  });
  it('test_pytrees', () => {
    const f: (x: { a: Value }) => { b: Value } = customVjp((x: { a: Value }) => ({ b: ops.sin(x.a) }), {
      fwd: (x: { a: Value }) => [f(x), { r: ops.cos(x.a) }],
      bwd: (res: { r: Value }, g: { b: Value }) => [{ a: ops.mul(ops.mul(2, res.r), g.b) }],
    });
    const g = grad((x: { a: Value }) => f(x).b)({ a: 3 }) as { a: Tensor };
    expect(g.a.item()).toBeCloseTo(2 * Math.cos(3), 15);
  });
  it('test_bwd_nones and test_bwd_nones_pytree: null is a zero cotangent for a whole argument', () => {
    const f = customVjp((x: Value, y: Value) => ops.mul(x, ops.sin(y)), {
      fwd: (x: Value, y: Value) => [ops.mul(x, ops.sin(y)), ops.cos(y)],
      bwd: (cos: Value, g: Value) => [null, ops.mul(ops.mul(2, cos), g)],
    });
    expect(num(grad((x: Value) => f(x, x))(3))).toBeCloseTo(2 * Math.cos(3), 15);
    const h = customVjp((xs: [Value, Value], y: Value) => ops.mul(ops.mul(xs[0], xs[1]), ops.sin(y)), {
      fwd: (xs: [Value, Value], y: Value) => [ops.mul(ops.mul(xs[0], xs[1]), ops.sin(y)), ops.cos(y)],
      bwd: (cos: Value, g: Value) => [null, ops.mul(ops.mul(2, cos), g)],
    });
    expect(num(grad((x: Value) => h([x, x], x))(3))).toBeCloseTo(2 * Math.cos(3), 15);
  });
  it('test_clip_gradient: residuals may be traced values computed from the arguments', () => {
    const clipGradient = customVjp((_lo: Value, _hi: Value, x: Value) => x, {
      fwd: (lo: Value, hi: Value, x: Value) => [x, [lo, hi]],
      bwd: ([lo, hi]: Value[], g: Value) => [null, null, ops.clip(g, lo, hi)],
    });
    expect(num(grad((x: Value) => clipGradient(-0.1, ops.add(x, 0.1), x))(0.1))).toBeCloseTo(0.2, 15);
  });
  it('test_nestable_vjp: fwd may keep a pullback as its residual', () => {
    const sq = (x: Value) => ops.square(x);
    const g = customVjp((x: Value) => sq(x), {
      fwd: (x: Value) => vjp(sq, [x]) as unknown as [Value, (c: Value) => Value[]],
      bwd: (pb: (c: Value) => Value[], ybar: Value) => pb(ybar),
    });
    const [, pullback] = vjp(g, [Tensor.scalar(1)]);
    expect(num(pullback(Tensor.scalar(1))[0])).toBe(2);
    expect(num(pullback(Tensor.scalar(3))[0])).toBe(6);
  });
  it('test_bwd_closes_over_tracer and test_fwd_closes_over_tracer: rules may capture tracers of enclosing transforms', () => {
    const viaBwd = (y: Value) => {
      const f = customVjp((x: Value) => ops.mul(2, ops.sin(x)), {
        fwd: (x: Value) => [ops.mul(2, ops.sin(x)), null],
        bwd: (_r: null, g: Value) => [ops.mul(ops.mul(2, ops.cos(y)), g)],
      });
      return grad(f)(1) as Value;
    };
    const viaFwd = (y: Value) => {
      const f = customVjp((x: Value) => ops.mul(2, ops.sin(x)), {
        fwd: (x: Value) => [ops.mul(2, ops.sin(x)), y],
        bwd: (yy: Value, g: Value) => [ops.mul(ops.mul(2, ops.cos(yy)), g)],
      });
      return grad(f)(1) as Value;
    };
    for (const h of [viaBwd, viaFwd]) {
      expect(num(h(Tensor.scalar(2)))).toBeCloseTo(2 * Math.cos(2), 15);
      expect(num(grad(h)(4))).toBeCloseTo(-2 * Math.sin(4), 15);
      expect(num(derivative(h, 4))).toBeCloseTo(-2 * Math.sin(4), 15);
    }
  });
  it('forward mode differentiates through f, while an enclosing reverse mode keeps using bwd for the primal', () => {
    const scaled = customVjp((x: Value) => ops.mul(x, 3), {
      fwd: (x: Value) => [ops.mul(x, 3), null],
      bwd: (_r: null, ct: Value) => [ops.mul(ct, 100)],
    });
    expect(num(jvp(scaled, [2], [1])[1])).toBe(3);
    expect(num(jacfwd(scaled)(2))).toBe(3);
    expect(num(linearize(scaled, [Tensor.scalar(2)])[1](1))).toBe(3);
    expect(num(grad((x: Value) => jvp(scaled, [x], [Tensor.scalar(1)])[0])(2))).toBe(100);
    expect(num(jacrev(scaled)(2))).toBe(100);
  });
  it('rule errors: fwd not a pair, fwd output disagreeing with f, bwd of the wrong structure', () => {
    const badFwd = customVjp((x: Value) => x, { fwd: (x: Value) => x as never, bwd: (_r: unknown, g: Value) => [g] });
    expect(() => grad(badFwd)(1)).toThrow(/customVjp\(anonymous\): the fwd rule must return a pair \[output, residuals\]/);
    const wrongShape = customVjp((x: Value) => x, { fwd: () => [Tensor.zeros([3]), null], bwd: (_r: null, g: Value) => [g] });
    // Forward mode runs both the custom call (fwd, under the enclosing grad) and f: they must agree.
    expect(() => grad((x: Value) => ops.sum(jvp(wrongShape, [x], [Tensor.scalar(1)])[0] as Value))(1)).toThrow(
      /primal output leaf 0 of shape \[\], but the function's output has shape \[3\]|shape \[3\], but the function's output has shape \[\]/,
    );
    const tree = customVjp((p: { a: Value; b: Value }) => ops.add(p.a, p.b), {
      fwd: (p: { a: Value; b: Value }) => [ops.add(p.a, p.b), null],
      bwd: (_r: null, g: Value) => [{ a: g }],
    });
    expect(() => grad(tree)({ a: 1, b: 2 })).toThrow(/bwd cotangent of argument 0 has keys \{a\}, expected \{a, b\}/);
    expect(() => customVjp((x: Value) => x, { fwd: (x: Value) => [x, null] } as never)).toThrow(CustomRuleError);
  });
});

describe('custom rules pass the derivative checks (finite differences, adjoint identity, linearize, second order)', () => {
  // log(1 + eˣ) with the stable derivative σ(x), as a customJvp and as a customVjp; both equal ops.softplus.
  const softplusJvp: (x: Value) => Value = customJvp(
    (x: Value) => ops.softplus(x),
    ([x], [g]) => [softplusJvp(x), ops.mul(g, ops.sigmoid(x))],
  );
  const softplusVjp: (x: Value) => Value = customVjp((x: Value) => ops.softplus(x), {
    fwd: (x: Value) => [softplusVjp(x), x],
    bwd: (x: Value, g: Value) => [ops.mul(g, ops.sigmoid(x))],
  });
  // A matrix function of two arguments: xᵀ A x with the rule dxᵀ(A + Aᵀ)x + xᵀ dA x.
  const quad: (A: Value, x: Value) => Value = customJvp(
    (A: Value, x: Value) => ops.dot(x, ops.matmul(A, x)),
    ([A, x], [dA, dx]) => [quad(A, x), ops.add(ops.dot(dx, ops.matmul(ops.add(A, ops.transpose(A)), x)), ops.dot(x, ops.matmul(dA, x)))],
  );
  it('property: softplus rules (both kinds) and a two-argument matrix rule', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 4 }), (seed, n) => {
        const next = rng(seed);
        const x = randomTensor([n], next, -3, 3);
        const A = randomTensor([n, n], next);
        checkDerivatives((v) => ops.sum(ops.mul(softplusJvp(v), v)), [x], { seed, secondOrder: true });
        checkDerivatives((v) => ops.sum(ops.mul(softplusVjp(v), v)), [x], { seed, secondOrder: true });
        checkDerivatives((M, v) => ops.mul(quad(M, v), quad(M, v)), [A, x], { seed, secondOrder: true });
        // The rules agree with the built-in op to round-off, in both modes.
        const ref = t(grad((v: Value) => ops.sum(ops.softplus(v)))(x));
        for (const f of [softplusJvp, softplusVjp]) {
          const g = t(grad((v: Value) => ops.sum(f(v)))(x));
          g.data.forEach((gi, i) => expect(gi).toBeCloseTo(ref.data[i], 14));
        }
      }),
      { numRuns: 20 },
    );
  });
  it('Hessians of custom functions equal finite differences of their gradients and jacfwd(jacrev)', () => {
    const x = Tensor.from([0.3, -1.1, 2.0]);
    const A = Tensor.from([[2, 1, 0], [0, 1, -1], [1, 0, 3]]);
    const f = (v: Value) => ops.mul(quad(A, v), ops.sum(softplusVjp(v)));
    const H = t(hessian(f)(x));
    const H2 = t(jacfwd(jacrev(f))(x));
    for (let j = 0; j < 3; j++) {
      const e = Tensor.zeros([3]);
      e.data[j] = 1;
      const col = finiteDifference((v: Value) => grad(f)(v), [x], [e], 1e-4);
      for (let i = 0; i < 3; i++) {
        expect(H.data[i * 3 + j]).toBeCloseTo(col.data[i], 6);
        expect(H.data[i * 3 + j]).toBeCloseTo(H2.data[i * 3 + j], 12);
      }
    }
  });
});
