/**
 * User-defined primitives (`definePrimitive`, `bind`): a primitive with its kernel and rules works in every mode and
 * order like a built-in one (checked against finite differences and the closed form), its definition is checked once,
 * and what its kernel and rules return is checked where they run (issue 10: a kernel returning a string is a typed
 * error naming the primitive, not a TypeError inside a transform).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  NatgradError,
  Tensor,
  type Value,
  bind,
  definePrimitive,
  grad,
  hessian,
  jvp,
  ops,
} from '@natgrad/core';
import { checkDerivatives, randomTensor, rng } from './util/check.js';

/** Deliberately ill-typed arguments. */
const bad = (x: unknown): any => x;

/** sin as a user primitive: kernel by hand, rules written with ops (so they are differentiable again). */
const mySin = definePrimitive({
  name: 'mySin',
  impl: ([x]) => Tensor.from(x.data.map(Math.sin), [...x.shape]),
  jvp: ([t], [x]) => (t === null ? null : ops.mul(t, ops.cos(x))),
  vjp: (ct, [x]) => [ops.mul(ct, ops.cos(x))],
});
const applySin = (x: Value) => bind(mySin, [x], undefined);

describe('a user primitive works like a built-in one', () => {
  it('values, first and second derivatives in both modes agree with finite differences and with cos/−sin', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const x = randomTensor([3], rng(seed), -2, 2);
        checkDerivatives((v) => applySin(v), [x], { secondOrder: true });
        const g = grad((v: Value) => ops.sum(applySin(v)))(x) as Tensor;
        const h = hessian((v: Value) => ops.sum(applySin(v)))(x) as Tensor;
        for (let i = 0; i < 3; i++) {
          expect(g.data[i]).toBeCloseTo(Math.cos(x.data[i]), 14);
          expect(h.data[i * 4]).toBeCloseTo(-Math.sin(x.data[i]), 14);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('bind converts numbers and nested arrays like any op, and names the input it cannot convert', () => {
    expect((bind(mySin, [[0, Math.PI / 2]], undefined) as Tensor).toArray()).toEqual([0, 1]);
    expect(() => bind(mySin, [[1, 'a']] as never, undefined)).toThrow(/^bind: argument inputs\[0\]/);
    expect(() => bind(mySin, bad([Tensor.from([1]), , 2]), undefined)).toThrow(/^bind: argument inputs\[1\] must be a tensor/);
  });
});

describe('definePrimitive checks the definition', () => {
  const impl = ([x]: readonly Tensor[]) => x;
  it.each<[string, unknown, RegExp]>([
    ['no definition', undefined, /^definePrimitive: def must be an object/],
    ['a string', 'exp', /^definePrimitive: def must be an object, got string "exp"/],
    ['a name that is not a string', { name: 5, impl }, /^definePrimitive: def\.name must be a string/],
    ['no impl', { name: 'p' }, /^definePrimitive: def\.impl must be a function, got undefined/],
    ['a class as impl', { name: 'p', impl: class Impl {} }, /^definePrimitive: def\.impl must be a function, got a class constructor/],
    ['a jvp that is not a function', { name: 'p', impl, jvp: 'rule' }, /^definePrimitive: def\.jvp must be a function/],
    ['a truthy string for nondifferentiable', { name: 'p', impl, nondifferentiable: 'yes' }, /^definePrimitive: def\.nondifferentiable must be true or false/],
    ['a misspelt member', { name: 'p', impl, vjpRule: () => [] }, /^definePrimitive: unknown member 'vjpRule' \(known members: name, impl, jvp, vjp, nondifferentiable\)/],
    ['an inherited impl', Object.create({ name: 'p', impl }), /^definePrimitive: def must be a plain object/],
  ])('%s is refused', (_label, def, message) => {
    expect(() => definePrimitive(bad(def))).toThrow(InvalidArgumentError);
    expect(() => definePrimitive(bad(def))).toThrow(message);
  });

  it('the primitive is frozen, and only primitives made by definePrimitive can be bound', () => {
    expect(Object.isFrozen(mySin)).toBe(true);
    const lookalike = { name: 'mySin', impl: mySin.impl };
    expect(() => bind(bad(lookalike), [1], undefined)).toThrow(/^bind: prim must be a primitive made by definePrimitive/);
    expect(() => bind(bad(null), [1], undefined)).toThrow(/^bind: prim must be a primitive made by definePrimitive, got null/);
    expect(() => bind(mySin, bad('x'), undefined)).toThrow(/^bind: inputs must be a non-empty array of arrays, got string "x"/);
    expect(() => bind(mySin, [], undefined)).toThrow(/^bind: inputs must be a non-empty array/);
  });
});

describe('what a user primitive returns is checked where it runs', () => {
  const x = Tensor.from([0.5, 1]);

  it('a kernel must return a Tensor', () => {
    for (const out of ['abc', [1, 2], undefined, Promise.resolve(x), { data: x.data, shape: [2] }]) {
      const p = definePrimitive({ name: 'broken', impl: () => out as never });
      const e = (() => {
        try {
          bind(p, [x], undefined);
        } catch (err) {
          return err as NatgradError;
        }
        throw new Error('bind returned');
      })();
      expect(e).toBeInstanceOf(NatgradError);
      expect(e.code).toBe('BAD_PRIMITIVE');
      expect(e.message).toMatch(/^broken: impl must return a Tensor, got /);
    }
  });

  it('a JVP rule must return a value or null, a VJP rule one cotangent (or null) per input', () => {
    const p = definePrimitive({ name: 'rules', impl: ([v]) => v, jvp: () => 'abc' as never, vjp: () => 'abc' as never });
    expect(() => jvp((v: Value) => bind(p, [v], undefined), [x], [x])).toThrow(/^rules: the JVP rule must return a value or null, got string "abc"/);
    expect(() => grad((v: Value) => ops.sum(bind(p, [v], undefined)))(x)).toThrow(/^rules: the VJP rule must return an array of 1 cotangents/);
    const two = definePrimitive({ name: 'two', impl: ([v]) => v, vjp: (ct) => [ct, ct] });
    expect(() => grad((v: Value) => ops.sum(bind(two, [v], undefined)))(x)).toThrow(/^two: the VJP rule must return an array of 1 cotangents/);
  });

  it('a primitive without rules is refused by the transforms, one marked nondifferentiable has zero derivative', () => {
    const plain = definePrimitive({ name: 'plain', impl: ([v]) => v });
    expect(() => jvp((v: Value) => bind(plain, [v], undefined), [x], [x])).toThrow(/'plain' has no forward-mode \(JVP\) rule/);
    const flat = definePrimitive({ name: 'flat', impl: ([v]) => Tensor.from(v.data.map(Math.round), [...v.shape]), nondifferentiable: true });
    const [y, dy] = jvp((v: Value) => bind(flat, [v], undefined), [x], [x]) as [Tensor, Tensor];
    expect([y.toArray(), dy.toArray()]).toEqual([[1, 1], [0, 0]]);
  });
});
