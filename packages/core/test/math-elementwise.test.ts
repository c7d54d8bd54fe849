import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError, Tensor, type Value, derivative, grad, jvp, ops, vjp } from '@natgrad/core';
import { checkDerivatives, randomTensor, rng } from './util/check.js';

type Gen = (shape: number[], next: () => number) => Tensor;

const uniform = (lo: number, hi: number): Gen => (shape, next) => randomTensor(shape, next, lo, hi);

/** Uniform magnitudes in [0.2, 2] with a random sign: away from the kink of abs/sign at 0. */
const awayFromZero: Gen = (shape, next) => {
  const t = randomTensor(shape, next, 0.2, 2);
  for (let i = 0; i < t.size; i++) if (next() < 0.5) t.data[i] = -t.data[i];
  return t;
};

/**
 * Values on a 0.2-spaced grid shifted by `offset` plus noise < 0.03: tensors with offsets 0, 0.07 and 0.14 never come
 * within 0.03 of each other, so maximum/minimum/clip stay away from ties under finite differences.
 */
const grid = (offset: number): Gen => (shape, next) => {
  const t = randomTensor(shape, next, 0, 1);
  for (let i = 0; i < t.size; i++) t.data[i] = -2 + 0.2 * Math.floor(next() * 20) + offset + 0.03 * t.data[i];
  return t;
};

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 });

/** A shape that broadcasts against `s`: a suffix of `s` with some extents replaced by 1. */
function partner(s: number[], next: () => number): number[] {
  const drop = Math.floor(next() * (s.length + 1));
  return s.slice(drop).map((d) => (next() < 0.3 ? 1 : d));
}

/** Tensor from a nested array (transforms treat plain arrays as trees of scalar leaves). */
const T = (x: number | number[] | number[][]): Tensor => Tensor.from(x);

function data(v: Value): number[] {
  return Array.from((v as Tensor).data);
}

describe('derivatives of unary elementwise ops (random shapes)', () => {
  const cases: [string, (x: Value) => Value, Gen][] = [
    ['log1p', (x) => ops.log1p(x), uniform(-0.5, 2)],
    ['expm1', (x) => ops.expm1(x), uniform(-2, 2)],
    ['sqrt', (x) => ops.sqrt(x), uniform(0.3, 3)],
    ['square', (x) => ops.square(x), uniform(-2, 2)],
    ['sin', (x) => ops.sin(x), uniform(-3, 3)],
    ['cos', (x) => ops.cos(x), uniform(-3, 3)],
    ['tanh', (x) => ops.tanh(x), uniform(-3, 3)],
    ['sigmoid', (x) => ops.sigmoid(x), uniform(-4, 4)],
    ['softplus', (x) => ops.softplus(x), uniform(-4, 4)],
    ['logSigmoid', (x) => ops.logSigmoid(x), uniform(-4, 4)],
    ['abs', (x) => ops.abs(x), awayFromZero],
    ['sign (zero derivative)', (x) => ops.mul(ops.sign(x), ops.square(x)), awayFromZero],
    ['pow, constant exponent 3, negative base', (x) => ops.pow(x, 3), uniform(-2, -0.2)],
    ['pow, constant exponent 2', (x) => ops.pow(x, 2), uniform(-2, 2)],
    ['pow, constant exponent -1.5', (x) => ops.pow(x, -1.5), uniform(0.3, 2)],
    ['pow, constant exponent 1', (x) => ops.pow(x, 1), uniform(-2, 2)],
    ['pow, constant base', (x) => ops.pow(2.5, x), uniform(-2, 2)],
    ['chain sin(sqrt(1 + x²))', (x) => ops.sin(ops.sqrt(ops.add(1, ops.square(x)))), uniform(-2, 2)],
  ];
  for (const [name, f, gen] of cases) {
    it(`${name}: jvp, vjp, linearize, second order`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), shapeArb, (seed, shape) => {
          checkDerivatives(f, [gen(shape, rng(seed))], { seed, secondOrder: true });
        }),
        { numRuns: 20 },
      );
    });
  }
});

describe('derivatives of binary ops with broadcasting (random shapes)', () => {
  const cases: [string, (...a: Value[]) => Value, Gen[]][] = [
    ['pow', (x, y) => ops.pow(x, y), [uniform(0.3, 2), uniform(-2, 2)]],
    ['maximum', (x, y) => ops.maximum(x, y), [grid(0), grid(0.1)]],
    ['minimum', (x, y) => ops.minimum(x, y), [grid(0), grid(0.1)]],
    // x, lo and hi on three disjoint grids: no pair ties, including lo = hi when lo > hi
    ['clip (bounds differentiated too)', (x, lo, hi) => ops.clip(x, lo, hi), [grid(0), grid(0.07), grid(0.14)]],
    ['where (cond as a traced argument)', (c, x, y) => ops.where(c, x, y), [(s, n) => randomTensor(s, n, -1, 1), uniform(-2, 2), uniform(-2, 2)]],
  ];
  for (const [name, f, gens] of cases) {
    it(`${name}: jvp, vjp, linearize, second order`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), shapeArb, (seed, shape) => {
          const next = rng(seed);
          // The first argument has the full shape, the others broadcast against it (or the other way round).
          const shapes = gens.map((_, i) => (i === 0 ? shape : partner(shape, next)));
          if (next() < 0.3) shapes.reverse();
          const args = gens.map((g, i) => g(shapes[i], next));
          const wrt = name.startsWith('where') ? [1, 2] : undefined;
          if (wrt) for (let i = 0; i < args[0].size; i++) args[0].data[i] = args[0].data[i] > 0 ? 1 : 0;
          checkDerivatives(f, args, { seed, secondOrder: true, wrt });
        }),
        { numRuns: 20 },
      );
    });
  }

  it('clip with constant bounds and clip with only one bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), shapeArb, (seed, shape) => {
        const x = grid(0)(shape, rng(seed));
        checkDerivatives((v) => ops.clip(v, -0.9, 0.9), [x], { seed, secondOrder: true });
        checkDerivatives((v) => ops.clip(v, null, 0.3), [x], { seed, secondOrder: true });
        checkDerivatives((v) => ops.clip(v, -0.3), [x], { seed, secondOrder: true });
      }),
      { numRuns: 10 },
    );
  });
});

describe('primal values against Math.*', () => {
  const values = fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 16 });
  const table: [string, (x: number[]) => Tensor, (v: number) => number][] = [
    ['log1p', (x) => ops.log1p(x), Math.log1p],
    ['expm1', (x) => ops.expm1(x), Math.expm1],
    ['sqrt', (x) => ops.sqrt(x), Math.sqrt],
    ['square', (x) => ops.square(x), (v) => v * v],
    ['sin', (x) => ops.sin(x), Math.sin],
    ['cos', (x) => ops.cos(x), Math.cos],
    ['tanh', (x) => ops.tanh(x), Math.tanh],
    ['abs', (x) => ops.abs(x), Math.abs],
    ['sign', (x) => ops.sign(x), Math.sign],
  ];
  for (const [name, op, ref] of table) {
    it(`${name} matches its Math.* counterpart exactly`, () => {
      fc.assert(
        fc.property(values, (xs) => {
          expect(data(op(xs))).toEqual(xs.map(ref));
        }),
      );
    });
  }

  it('sigmoid, softplus and logSigmoid match the textbook formulas where those are accurate', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const s = data(ops.sigmoid(xs)), sp = data(ops.softplus(xs)), ls = data(ops.logSigmoid(xs));
        xs.forEach((v, i) => {
          expect(s[i]).toBeCloseTo(1 / (1 + Math.exp(-v)), 15);
          expect(Math.abs(sp[i] - Math.log(1 + Math.exp(v)))).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(v)));
          expect(Math.abs(ls[i] + Math.log(1 + Math.exp(-v)))).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(v)));
        });
      }),
    );
  });

  it('pow, maximum, minimum and the comparisons match plain-number computations elementwise', () => {
    const pair = fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.integer({ min: -3, max: 3 })), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(pair, (ps) => {
        const x = ps.map((p) => p[0]), y = ps.map((p) => p[1]);
        expect(data(ops.pow(x, y))).toEqual(ps.map(([a, b]) => a ** b));
        expect(data(ops.maximum(x, y))).toEqual(ps.map(([a, b]) => Math.max(a, b)));
        expect(data(ops.minimum(x, y))).toEqual(ps.map(([a, b]) => Math.min(a, b)));
        expect(data(ops.greater(x, y))).toEqual(ps.map(([a, b]) => Number(a > b)));
        expect(data(ops.greaterEqual(x, y))).toEqual(ps.map(([a, b]) => Number(a >= b)));
        expect(data(ops.less(x, y))).toEqual(ps.map(([a, b]) => Number(a < b)));
        expect(data(ops.lessEqual(x, y))).toEqual(ps.map(([a, b]) => Number(a <= b)));
        expect(data(ops.equal(x, y))).toEqual(ps.map(([a, b]) => Number(a === b)));
        expect(data(ops.notEqual(x, y))).toEqual(ps.map(([a, b]) => Number(a !== b)));
      }),
    );
  });

  it('pow follows IEEE 754 where JavaScript does not: 1^y = 1 and (-1)^±∞ = 1', () => {
    expect(data(ops.pow([1, 1, 1, -1, -1, -1], [NaN, Infinity, -Infinity, Infinity, -Infinity, NaN]))).toEqual([1, 1, 1, 1, 1, NaN]);
    expect(data(ops.pow([NaN, -8, 0, 0], [0, 1 / 3, -1, 0]))).toEqual([1, NaN, Infinity, 1]);
  });

  it('maximum and minimum order signed zeros like Math.max / Math.min (+0 > -0)', () => {
    const mx = data(ops.maximum([-0, 0], [0, -0])), mn = data(ops.minimum([-0, 0], [0, -0]));
    expect(mx.map((v) => Object.is(v, 0))).toEqual([true, true]);
    expect(mn.map((v) => Object.is(v, -0))).toEqual([true, true]);
  });

  it('isFinite and isNaN', () => {
    const x = [0, -1.5, Infinity, -Infinity, NaN, 1e308, -0];
    expect(data(ops.isFinite(x))).toEqual([1, 1, 0, 0, 0, 1, 1]);
    expect(data(ops.isNaN(x))).toEqual([0, 0, 0, 0, 1, 0, 0]);
  });

  it('sign keeps ±0 and NaN', () => {
    const s = data(ops.sign([-0, 0, NaN, -3, 4]));
    expect(Object.is(s[0], -0)).toBe(true);
    expect(Object.is(s[1], 0)).toBe(true);
    expect(s.slice(2)).toEqual([NaN, -1, 1]);
  });

  it('ops on concrete inputs return concrete tensors', () => {
    for (const r of [ops.sqrt([1, 4]), ops.pow(2, [1, 2]), ops.where([1, 0], 1, 2), ops.greater(3, [1, 5])]) {
      expect(r).toBeInstanceOf(Tensor);
    }
  });
});

describe('broadcasting', () => {
  it('binary ops broadcast by NumPy rules', () => {
    const col = [[1], [2], [3]], row = [2, 0.5];
    expect(ops.pow(col, row).toArray()).toEqual([[1, 1], [4, Math.SQRT2], [9, Math.sqrt(3)]]);
    expect(ops.maximum(col, [2, 0]).toArray()).toEqual([[2, 1], [2, 2], [3, 3]]);
    expect(ops.minimum(col, 2).toArray()).toEqual([[1], [2], [2]]);
    expect(ops.greater(col, [1.5, 2.5]).toArray()).toEqual([[0, 0], [1, 0], [1, 1]]);
    expect(ops.equal(col, [[2]]).toArray()).toEqual([[0], [1], [0]]);
    expect(ops.clip([[-5, 0, 5]], [[-1], [1]], 2).toArray()).toEqual([[-1, 0, 2], [1, 1, 2]]);
  });

  it('where broadcasts cond, x and y together', () => {
    const r = ops.where([[1], [0]], [10, 20, 30], -1);
    expect(r.shape).toEqual([2, 3]);
    expect(r.toArray()).toEqual([[10, 20, 30], [-1, -1, -1]]);
    expect(ops.where(1, [1, 2], [[3], [4]]).toArray()).toEqual([[1, 2], [1, 2]]);
  });

  it('where treats any non-zero cond, including NaN and negatives, as true', () => {
    expect(data(ops.where([0, -0, 2, -1, NaN, Infinity], 1, 0))).toEqual([0, 0, 1, 1, 1, 1]);
  });

  it('gradients of broadcast operands are summed back to their shapes', () => {
    const [gx, gy] = grad((x: Value, y: Value) => ops.sum(ops.pow(x, y)), { argnums: [0, 1] })(T([[1], [2]]), T([1, 2, 3]));
    // d/dx Σ_j x^y_j = Σ_j y_j x^(y_j - 1); d/dy_j Σ_i x_i^y_j = Σ_i log(x_i) x_i^y_j
    expect(gx.toArray()[0][0]).toBeCloseTo(1 + 2 + 3, 12);
    expect(gx.toArray()[1][0]).toBeCloseTo(1 + 2 * 2 + 3 * 4, 12);
    const gyExpected = [1, 2, 3].map((y) => Math.log(2) * 2 ** y);
    (gy.toArray() as number[]).forEach((g, j) => expect(g).toBeCloseTo(gyExpected[j], 12));
  });

  it('incompatible shapes raise ShapeError naming the op', () => {
    const a = [1, 2, 3], b = [1, 2];
    for (const [name, f] of [
      ['pow', () => ops.pow(a, b)],
      ['maximum', () => ops.maximum(a, b)],
      ['minimum', () => ops.minimum(a, b)],
      ['greater', () => ops.greater(a, b)],
      ['notEqual', () => ops.notEqual(a, b)],
      ['where', () => ops.where(a, b, 0)],
      ['where', () => ops.where([1, 0], 0, a)],
    ] as const) {
      expect(f).toThrow(ShapeError);
      expect(f).toThrow(name);
    }
  });
});

describe('numerical stability at large |x|', () => {
  it('softplus is finite and correct at ±1000 and accurate in the tails', () => {
    const y = data(ops.softplus([1000, -1000, 0, -30, 30, 1e-300]));
    expect(y[0]).toBe(1000);
    expect(y[1]).toBe(0);
    expect(y[2]).toBeCloseTo(Math.LN2, 15);
    // log(1 + e^-30) ≈ e^-30 - e^-60/2, which log(1 + exp(x)) gets wrong in the 4th digit
    const tail = Math.exp(-30) - Math.exp(-60) / 2;
    expect(Math.abs(y[3] - tail) / tail).toBeLessThan(1e-15);
    expect(y[4]).toBe(30 + Math.log1p(Math.exp(-30)));
    expect(y[5]).toBeCloseTo(Math.LN2, 15);
    expect(data(grad((x: Value) => ops.sum(ops.softplus(x)))(T([1000, -1000, 0])))).toEqual([1, 0, 0.5]);
  });

  it('logSigmoid is finite and correct at ±1000', () => {
    const y = data(ops.logSigmoid([-1000, 1000, 0, -30]));
    expect(y[0]).toBe(-1000);
    expect(y[1]).toBeCloseTo(0, 300);
    expect(y[2]).toBeCloseTo(-Math.LN2, 15);
    expect(y[3]).toBe(-(30 + Math.log1p(Math.exp(-30))));
    expect(data(grad((x: Value) => ops.sum(ops.logSigmoid(x)))(T([-1000, 1000, 0])))).toEqual([1, 0, 0.5]);
  });

  it('sigmoid is finite and correct at ±1000 and keeps tiny tail values', () => {
    const y = data(ops.sigmoid([1000, -1000, 0, -700, 40]));
    expect(y.slice(0, 3)).toEqual([1, 0, 0.5]);
    expect(Math.abs(y[3] - Math.exp(-700)) / Math.exp(-700)).toBeLessThan(1e-13);
    expect(y[4]).toBe(1 / (1 + Math.exp(-40)));
    const g = data(grad((x: Value) => ops.sum(ops.sigmoid(x)))(T([1000, -1000, 0])));
    expect(g).toEqual([0, 0, 0.25]);
  });

  it('tanh saturates without NaN', () => {
    expect(data(ops.tanh([1000, -1000]))).toEqual([1, -1]);
    expect(data(grad((x: Value) => ops.sum(ops.tanh(x)))(T([1000, -1000])))).toEqual([0, 0]);
  });
});

describe('NaN propagation (IEEE)', () => {
  it('elementwise ops return NaN for NaN input and outside their domain, without throwing', () => {
    const unary = [ops.log1p, ops.expm1, ops.sqrt, ops.square, ops.sin, ops.cos, ops.tanh, ops.sigmoid, ops.softplus];
    for (const op of [...unary, ops.logSigmoid, ops.abs, ops.sign]) {
      expect(Number.isNaN(op(NaN).item())).toBe(true);
    }
    expect(Number.isNaN(ops.sqrt(-1).item())).toBe(true);
    expect(Number.isNaN(ops.log1p(-2).item())).toBe(true);
    expect(ops.log1p(-1).item()).toBe(-Infinity);
    expect(Number.isNaN(ops.pow(-2, 0.5).item())).toBe(true);
  });

  it('maximum and minimum propagate NaN from either side', () => {
    expect(data(ops.maximum([NaN, 1, NaN], [1, NaN, NaN])).every(Number.isNaN)).toBe(true);
    expect(data(ops.minimum([NaN, 1, NaN], [1, NaN, NaN])).every(Number.isNaN)).toBe(true);
    expect(data(ops.clip([NaN], 0, 1)).every(Number.isNaN)).toBe(true);
  });

  it('comparisons with NaN are false, except notEqual', () => {
    for (const op of [ops.greater, ops.greaterEqual, ops.less, ops.lessEqual, ops.equal]) {
      expect(data(op([NaN, 1, NaN], [1, NaN, NaN]))).toEqual([0, 0, 0]);
    }
    expect(data(ops.notEqual([NaN, 1, NaN], [1, NaN, NaN]))).toEqual([1, 1, 1]);
  });

  it('a NaN derivative propagates through the rules', () => {
    expect(Number.isNaN(derivative((x: Value) => ops.sqrt(x), -1).item())).toBe(true);
  });
});

describe('derivative conventions', () => {
  it('abs has derivative sign(x): 0 at 0 in forward and reverse mode', () => {
    expect(data(grad((x: Value) => ops.sum(ops.abs(x)))(T([-2, 0, 3])))).toEqual([-1, 0, 1]);
    expect(data(jvp((x: Value) => ops.abs(x), [T([-2, 0, 3])], [T([1, 1, 1])])[1] as Value)).toEqual([-1, 0, 1]);
  });

  it('sign, comparisons and isFinite/isNaN have zero derivatives in every mode', () => {
    const f = (x: Value) =>
      ops.sum(ops.add(ops.add(ops.sign(x), ops.greater(x, 0)), ops.mul(ops.isFinite(x), ops.lessEqual(x, 1))));
    expect(data(grad(f)(T([-1, 0.5, 2])))).toEqual([0, 0, 0]);
    expect((jvp(f, [T([-1, 0.5, 2])], [T([1, 1, 1])])[1] as Tensor).item()).toBe(0);
  });

  it('maximum and minimum split the derivative ½/½ on ties', () => {
    const [gx, gy] = grad((x: Value, y: Value) => ops.sum(ops.maximum(x, y)), { argnums: [0, 1] })(T([1, 2, 3]), T([1, 5, 0]));
    expect(data(gx)).toEqual([0.5, 0, 1]);
    expect(data(gy)).toEqual([0.5, 1, 0]);
    const [hx, hy] = grad((x: Value, y: Value) => ops.sum(ops.minimum(x, y)), { argnums: [0, 1] })(T([1, 2, 3]), T([1, 5, 0]));
    expect(data(hx)).toEqual([0.5, 1, 0]);
    expect(data(hy)).toEqual([0.5, 0, 1]);
    // maximum(x, x) = x has derivative 1 = ½ + ½, in both modes
    expect(derivative((x: Value) => ops.maximum(x, x), 2).item()).toBe(1);
    expect(grad((x: Value) => ops.minimum(x, x))(2).item()).toBe(1);
    // relu at 0
    expect(derivative((x: Value) => ops.maximum(x, 0), 0).item()).toBe(0.5);
  });

  it('clip has derivative 1 inside, 0 outside and ½ on a bound', () => {
    expect(data(grad((x: Value) => ops.sum(ops.clip(x, -1, 1)))(T([-2, -1, 0, 1, 2])))).toEqual([0, 0.5, 1, 0.5, 0]);
  });

  it('pow: derivative in x for a negative base and constant exponent, and JAX conventions at 0', () => {
    expect(derivative((x: Value) => ops.pow(x, 3), -2).item()).toBe(12);
    expect(grad((x: Value) => ops.pow(x, 2))(-3).item()).toBe(-6);
    expect(derivative((x: Value) => ops.pow(x, 0), 0).item()).toBe(0);
    // differentiating both x and y: at x = 0 the log(x) factor is taken as 0 (0^y is constant for y > 0)
    const [gx, gy] = grad((x: Value, y: Value) => ops.pow(x, y), { argnums: [0, 1] })(0, 2);
    expect([gx.item(), gy.item()]).toEqual([0, 0]);
    const [hx, hy] = grad((x: Value, y: Value) => ops.sum(ops.pow(x, y)), { argnums: [0, 1] })(T([0, 3]), T([0, 0]));
    expect(data(hx)).toEqual([0, 0]);
    expect(data(hy)).toEqual([0, Math.log(3)]);
    // a traced exponent: d/dy 2^y = log 2 · 2^y
    expect(derivative((y: Value) => ops.pow(2, y), 3).item()).toBeCloseTo(8 * Math.LN2, 14);
  });

  it('pow: exponent derivative of a negative base is NaN only when the exponent is traced (as JAX)', () => {
    expect(Number.isNaN(grad((y: Value) => ops.pow(-2, y))(2).item())).toBe(true);
    expect(grad((x: Value) => ops.pow(x, 2))(-2).item()).toBe(-4);
  });
});

describe('where and its gradients', () => {
  it('gives the unselected branch an exact zero cotangent, so a finite branch derivative leaks nothing', () => {
    // log(-1) is NaN in the primal, but its derivative 1/x is finite there: the gradient stays clean.
    const f = (x: Value) => ops.sum(ops.where(ops.greater(x, 0), ops.log(x), ops.mul(x, 3)));
    expect(data(f(Tensor.from([-1, 2])))).toEqual([-3 + Math.log(2)]);
    expect(data(grad(f)(T([-1, 2])))).toEqual([3, 0.5]);
    expect(data(jvp(f, [T([-1, 2])], [T([1, 1])])[1] as Value)).toEqual([3.5]);
  });

  it('no derivative flows to cond', () => {
    const [gc, gx] = grad((c: Value, x: Value) => ops.sum(ops.where(c, x, ops.mul(c, x))), { argnums: [0, 1] })(T([1, 0, 2]), T([5, 6, 7]));
    // cond's only derivative comes through mul(c, x) on the unselected/selected y branch
    expect(data(gc)).toEqual([0, 6, 0]);
    expect(data(gx)).toEqual([1, 0, 1]);
  });

  it('documents the where-NaN issue: a branch whose derivative is infinite where unselected gives NaN', () => {
    // sqrt'(0) = ∞ and 0·∞ = NaN: the same behaviour as JAX's jnp.where
    const naive = (x: Value) => ops.sum(ops.where(ops.greater(x, 0), ops.sqrt(x), 0));
    const g = data(grad(naive)(T([0, 4])));
    expect(Number.isNaN(g[0])).toBe(true);
    expect(g[1]).toBe(0.25);
    // the documented fix: make the unselected input safe ("double where")
    const safe = (x: Value) => {
      const pos = ops.greater(x, 0);
      return ops.sum(ops.where(pos, ops.sqrt(ops.where(pos, x, 1)), 0));
    };
    expect(data(grad(safe)(T([0, 4])))).toEqual([0, 0.25]);
  });

  it('where with a constant selector inside a nested derivative', () => {
    // f(x) = x³ for x > 0 else x²: f''(2) = 12, f''(-2) = 2
    const f = (x: Value) => ops.where(ops.greater(x, 0), ops.pow(x, 3), ops.square(x));
    const d2 = (x: number) => derivative((y: Value) => derivative(f, y), x).item();
    expect(d2(2)).toBe(12);
    expect(d2(-2)).toBe(2);
  });

  it('vjp cotangent shapes with broadcasting', () => {
    const [, pb] = vjp((x: Value, y: Value) => ops.where([[1], [0]], x, y), [T([1, 2, 3]), T(5)]);
    const [gx, gy] = pb(Tensor.ones([2, 3]));
    expect(gx.toArray()).toEqual([1, 1, 1]);
    expect(gy.item()).toBe(3);
  });
});

describe('logSigmoid and sigmoid reject non-arrays', () => {
  it('InvalidArgumentError for a non-array argument', () => {
    expect(() => ops.sigmoid('x' as unknown as number)).toThrow(InvalidArgumentError);
  });
});

describe('reverse-over-reverse and reverse-over-forward agree with forward-over-forward', () => {
  // Scalar functions built from the new ops; every rule is then differentiated by the other mode too.
  const fns: [string, (x: Value) => Value, number][] = [
    ['square', (x) => ops.square(x), 0.7],
    ['pow(x, 3)', (x) => ops.pow(x, 3), -1.3],
    ['pow(x, 2)', (x) => ops.pow(x, 2), 1.1],
    ['pow(x, -0.5)', (x) => ops.pow(x, -0.5), 1.7],
    ['pow(2, x)', (x) => ops.pow(2, x), 0.4],
    ['pow(x, x)', (x) => ops.pow(x, x), 1.3],
    ['pow(x, [2, 3])', (x) => ops.sum(ops.pow(x, [2, 3])), 0.9],
    ['sqrt', (x) => ops.sqrt(x), 2.1],
    ['log1p', (x) => ops.log1p(x), 0.6],
    ['expm1', (x) => ops.expm1(x), -0.4],
    ['sin', (x) => ops.sin(x), 0.8],
    ['cos', (x) => ops.cos(x), 0.8],
    ['tanh', (x) => ops.tanh(x), 0.5],
    ['sigmoid', (x) => ops.sigmoid(x), -0.9],
    ['softplus', (x) => ops.softplus(x), 1.2],
    ['logSigmoid', (x) => ops.logSigmoid(x), -1.2],
    ['abs', (x) => ops.abs(ops.mul(x, x)), -1.5],
    ['maximum', (x) => ops.maximum(ops.sin(x), ops.mul(x, x)), 1.4],
    ['minimum', (x) => ops.minimum(ops.sin(x), ops.mul(x, x)), 1.4],
    ['where', (x) => ops.where(ops.greater(x, 0), ops.pow(x, 3), ops.exp(x)), 0.6],
    ['clip', (x) => ops.clip(ops.mul(x, x), ops.sin(x), 3), 1.2],
    ['max', (x) => ops.max(ops.stack([ops.sin(x), ops.square(x), x])), 1.3],
    ['min', (x) => ops.min(ops.stack([ops.sin(x), ops.square(x), x])), 0.5],
    ['logsumexp', (x) => ops.logsumexp(ops.stack([x, ops.square(x), ops.sin(x)])), 0.3],
    ['mean', (x) => ops.mean(ops.stack([ops.square(x), ops.sin(x)])), 0.3],
    ['take', (x) => ops.sum(ops.square(ops.take(ops.stack([x, ops.sin(x)]), [1, 1, 0]))), 0.9],
    ['dot', (x) => ops.dot(ops.stack([x, ops.sin(x)]), ops.stack([ops.cos(x), ops.square(x)])), 0.9],
    ['outer', (x) => ops.sum(ops.sin(ops.outer(ops.stack([x, ops.square(x)]), ops.stack([x, 2])))), 0.9],
  ];
  for (const [name, f, x0] of fns) {
    it(name, () => {
      const x = Tensor.scalar(x0);
      const ff = derivative((y: Value) => derivative(f, y), x).item();
      const rr = grad((y: Value) => grad(f)(y))(x).item();
      const rf = grad((y: Value) => derivative(f, y))(x).item();
      const fr = derivative((y: Value) => grad(f)(y), x).item();
      expect(Number.isFinite(ff)).toBe(true);
      for (const v of [rr, rf, fr]) expect(v).toBeCloseTo(ff, 11);
      // reverse over a jvp whose tangent depends on x: d/dx [f'(x)·sin(x)]
      const g = (y: Value) => jvp(f, [y], [ops.sin(y)])[1] as Value;
      const expected = derivative((y: Value) => ops.mul(derivative(f, y), ops.sin(y)), x).item();
      expect(grad(g)(x).item()).toBeCloseTo(expected, 11);
    });
  }
});
