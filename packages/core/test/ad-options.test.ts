/**
 * Transform options and transform trees: hasAux on jvp / vjp / linearize (JAX's has_aux), validation of every
 * options object, and the precise leaf rule for arguments, tangents, cotangents and outputs.
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  ShapeError,
  Tensor,
  type Value,
  derivative,
  grad,
  jvp,
  linearize,
  ops,
  valueAndGrad,
  vjp,
} from '@natgrad/core';

const t = (x: unknown) => x as Tensor;

describe('hasAux on jvp, vjp and linearize', () => {
  const f = (x: Value) => [ops.sum(ops.square(x)), { scaled: ops.mul(x, 3), note: 'kept' }];
  const x = Tensor.from([1, 2]);
  it('jvp returns [out, tangent, aux]', () => {
    const [y, dy, aux] = jvp(f, [x], [Tensor.from([1, 0])], { hasAux: true });
    expect(t(y).item()).toBe(5);
    expect(t(dy).item()).toBe(2);
    expect(aux.note).toBe('kept');
    expect(aux.scaled).toBeInstanceOf(Tensor); // lowered out of the jvp
    expect(t(aux.scaled).toArray()).toEqual([3, 6]);
  });
  it('vjp returns [out, pullback, aux]; linearize returns [out, jvpFn, aux]', () => {
    const [y, pb, aux] = vjp(f, [x], { hasAux: true });
    expect(t(y).item()).toBe(5);
    expect(t(pb(Tensor.scalar(1))[0]).toArray()).toEqual([2, 4]);
    expect(t(aux.scaled).toArray()).toEqual([3, 6]);
    const [y2, lin, aux2] = linearize(f, [x], { hasAux: true });
    expect(t(y2).item()).toBe(5);
    expect(t(lin(Tensor.from([0, 1]))).item()).toBe(4);
    expect(aux2.scaled).toBeInstanceOf(Tensor);
  });
  it('aux stays traced by enclosing transforms', () => {
    for (const inner of [
      (s: Value) => jvp(f, [ops.mul(s, x)], [x], { hasAux: true })[2].scaled,
      (s: Value) => vjp(f, [ops.mul(s, x)], { hasAux: true })[2].scaled,
      (s: Value) => linearize(f, [ops.mul(s, x)], { hasAux: true })[2].scaled,
    ]) {
      expect(t(derivative(inner, 2)).toArray()).toEqual([3, 6]);
    }
  });
  it('f must return a pair', () => {
    expect(() => jvp((v: Value) => v, [x], [x], { hasAux: true })).toThrow(/jvp: with hasAux, f must return a pair/);
  });
});

describe('options are validated', () => {
  const f = (v: Value) => ops.sum(v);
  it('unknown keys, non-boolean flags (no truthy strings), bad argnums, non-functions', () => {
    expect(() => jvp(f, [1], [1], { hasaux: true } as never)).toThrow(/jvp: unknown option 'hasaux' \(allowed: hasAux\)/);
    expect(() => vjp(f, [1], { hasAux: 'no' } as never)).toThrow(InvalidArgumentError);
    expect(() => linearize(f, [1], 'x' as never)).toThrow(/linearize: options must be an object, got string/);
    expect(() => grad(f, { argnums: 1.5 })).toThrow(/argnums must be an integer or a non-empty array of integers, got 1.5/);
    expect(() => grad(f, { argnums: ['0'] } as never)).toThrow(InvalidArgumentError);
    expect(() => valueAndGrad(f, { hasAux: 1 } as never)).toThrow(/valueAndGrad: option hasAux must be a boolean, got 1/);
    expect(() => grad(null as never)).toThrow(/grad: f must be a function, got object/);
    expect(() => jvp(f, 'x' as never, [])).toThrow(/jvp: primals must be an array with one entry per argument/);
  });
  it('options are plain objects whose own keys are read: an object with another prototype is refused', () => {
    // As every options reader of core and distributions: a Date, a Map or an object inheriting hasAux is not options.
    const inherited = Object.create({ hasAux: true }) as { hasAux?: boolean };
    expect(() => jvp(f, [1], [1], inherited)).toThrow(/jvp: options must be a plain object, got object/);
    expect(() => grad(f, new Date(0) as never)).toThrow(/grad: options must be a plain object, got object \(Date\)/);
    const bare = Object.assign(Object.create(null), { hasAux: false }) as { hasAux?: boolean };
    expect(jvp(f, [1], [1], bare)).toHaveLength(2);
  });
});

describe('the leaf rule of transform trees', () => {
  it('arrays holding no numbers are tree nodes: arrays of tensors, empty arrays, arrays of objects', () => {
    const seen: unknown[] = [];
    const [, dy] = jvp(
      (xs: Value[], empty: unknown[], objs: { w: Value }[]) => {
        seen.push(Array.isArray(xs), xs.length, empty, objs.length);
        return ops.add(ops.mul(xs[0], xs[1]), objs[0].w);
      },
      [[Tensor.scalar(2), Tensor.scalar(3)], [], [{ w: 1 }]],
      [[Tensor.scalar(1), Tensor.scalar(0)], [], [{ w: 1 }]],
    );
    expect(seen).toEqual([true, 2, [], 1]);
    expect(t(dy).item()).toBe(4);
  });
  it('a list of numbers is one vector; the argument list itself is never one', () => {
    expect(t(jvp((v: Value) => ops.sum(v), [[1, 2, 3]], [[1, 1, 1]])[1]).item()).toBe(3);
    expect(t(jvp((a: Value, b: Value) => ops.mul(a, b), [2, 3], [1, 0])[1]).item()).toBe(3);
    expect(t(grad((v: Value) => ops.sum(ops.square(v)))([1, 2, 3])).toArray()).toEqual([2, 4, 6]);
  });
  it('tangents and cotangents must match the structure: a nested array of numbers is one leaf there too', () => {
    const e1 = (() => {
      try {
        jvp((v: Value) => v, [[[1, 2], [3, 4]]], [[Tensor.from([1, 2]), Tensor.from([3, 4])]]);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(e1).toBeInstanceOf(ShapeError);
    expect(e1!.message).toMatch(/jvp: tangents\[0\] should be an array leaf to match the structure, got an array of length 2/);
    expect(() => jvp((a: Value[]) => a[0], [[Tensor.from([1, 2]), Tensor.from([3, 4])]], [[[1, 2], [3, 4]]])).toThrow(
      /tangents\[0\] should be an array of 2 entries to match the structure, got a nested array of numbers \(one array leaf\)/,
    );
    expect(() => jvp((p: { a: Value }) => p.a, [{ a: 1 }], [{ b: 1 }])).toThrow(/tangents\[0\] has keys \{b\}, expected \{a\}/);
    expect(() => jvp((p: Value) => p, [[1, 2]], [[1, 2, 3]])).toThrow(/tangents\[0\] has shape \[3\], expected \[2\]/);
    expect(() => jvp((p: Value) => p, [1], [])).toThrow(/tangents has 0 entries, expected 1/);
    const [, pb] = vjp((v: Value) => ({ out: ops.mul(v, 2) }), [[1, 2]]);
    expect(t(pb({ out: [1, 1] })[0]).toArray()).toEqual([2, 2]);
    expect(() => pb({ out: [1, 1, 1] })).toThrow(/vjp pullback: cotangent\.out has shape \[3\], expected \[2\]/);
    expect(() => pb([1, 1])).toThrow(/cotangent should be an object with keys \{out\}/);
  });
  it('other leaf types, mixed arrays and outputs mixing tracers with numbers are typed errors with paths', () => {
    expect(() => grad((p: { a: unknown }) => ops.sum(p.a as Value))({ a: 'x' })).toThrow(
      /grad: argument 0\.a is a string; expected a tensor, a number, a nested array of numbers/,
    );
    expect(() => jvp((v: Value) => [v, 0], [1], [1])).toThrow(
      /jvp: the output of f\[0\] is a JvpTracer of shape \[\] inside a nested array of numbers \(the output of f\)/,
    );
    expect(() => jvp((v: Value) => v, [[[1, 2], [3, Number.NaN], [5]]], [[[1, 2], [3, 4], [5]]])).toThrow(
      /primals\[0\] is a ragged nested array of numbers: primals\[0\]\[2\] has length 1, expected length 2/,
    );
    expect(() => jvp((v: Value) => v, [{ 'odd key': [1, [2]] }], [{ 'odd key': [1, [2]] }])).toThrow(
      /primals\[0\]\["odd key"\] is a ragged nested array of numbers: primals\[0\]\["odd key"\]\[1\] is an array where a number was expected/,
    );
  });
  it('a "__proto__" key of an argument tree is an ordinary key of the result (no prototype change, no lost value)', () => {
    const p = JSON.parse('{"__proto__": 2, "b": 3}') as Record<string, number>;
    const g = grad((q: Record<string, Value>) => ops.mul(q['__proto__'], q.b))(p) as Record<string, Tensor>;
    expect(Object.getPrototypeOf(g)).toBe(Object.prototype);
    expect(Object.keys(g).sort()).toEqual(['__proto__', 'b']);
    expect(g['__proto__'].item()).toBe(3);
    expect(g.b.item()).toBe(2);
  });
});

describe('hostile transform trees', () => {
  it('cycles and absurd nesting are typed errors, not stack overflows or endless loops', () => {
    const cyclicArray: unknown[] = [];
    cyclicArray.push(cyclicArray);
    const cyclicObject: Record<string, unknown> = {};
    cyclicObject.self = cyclicObject;
    const numericCycle: unknown[] = [1];
    numericCycle.push(numericCycle);
    for (const bad of [cyclicArray, cyclicObject]) {
      expect(() => grad((x: unknown) => ops.sum(x as Value))(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => grad((x: unknown) => ops.sum(x as Value))(numericCycle)).toThrow(/ragged nested array/);
    expect(() => grad((x: unknown) => ops.sum(x as Value))(cyclicObject)).toThrow(/nested more than 1000 levels deep/);
  });
  it('holes of sparse arrays are read as undefined (no leaf), not skipped', () => {
    const sparse = new Array<unknown>(3);
    sparse[1] = Tensor.from([1, 2]);
    const g = grad((xs: (Value | undefined)[]) => ops.sum(xs[1]!))(sparse) as unknown[];
    expect(g).toHaveLength(3);
    expect(g[0]).toBeUndefined();
    expect(t(g[1]).toArray()).toEqual([1, 1]);
  });
});
