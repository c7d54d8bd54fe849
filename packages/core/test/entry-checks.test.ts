/**
 * Argument checks at public entry points that the hostile-input fuzz harness (test/fuzz, issue 10) found missing:
 * callbacks that are class constructors, options that are not plain objects, composite functions whose errors named
 * the function they are built from (hvp, hessian, trace, clip, dot, choleskySolve), sparse lists, helpers that
 * accepted anything (primalValue, assertFinite, broadcastShapes' label), and `null` read as "absent". Each bad
 * argument must give a NatgradError naming the function the user called.
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  NatgradError,
  NonFiniteError,
  OutOfMemoryError,
  ShapeError,
  Tensor,
  type Value,
  assertFinite,
  broadcastShapes,
  customJvp,
  customVjp,
  grad,
  hessian,
  hvp,
  jacfwd,
  jacrev,
  jvp,
  ops,
  primalValue,
  random,
  valueAndGrad,
  vjp,
} from '@natgrad/core';

/** Deliberately ill-typed arguments. */
const bad = (x: unknown): any => x;

/** f throws a NatgradError of class `type` whose message matches `message`. */
function rejects(f: () => unknown, type: new (...args: any[]) => NatgradError, message: RegExp): void {
  let e: unknown;
  try {
    f();
  } catch (err) {
    e = err;
  }
  expect(e, 'expected a throw').toBeInstanceOf(type);
  expect((e as Error).message).toMatch(message);
}

class Fuzz {}
const x3 = Tensor.from([0.1, 0.2, 0.3]);
const sumSin = (v: Value) => ops.sum(ops.sin(v));

describe('a class constructor is not a callback (it throws when called without new)', () => {
  it.each<[string, () => unknown]>([
    ['jvp', () => jvp(bad(Fuzz), [x3], [x3])],
    ['vjp', () => vjp(bad(Fuzz), [x3])],
    ['grad', () => grad(bad(Fuzz))],
    ['valueAndGrad', () => valueAndGrad(bad(Fuzz))],
    ['jacfwd', () => jacfwd(bad(Fuzz))],
    ['jacrev', () => jacrev(bad(Fuzz))],
    ['hessian', () => hessian(bad(Fuzz))],
    ['hvp', () => hvp(bad(Fuzz), x3, x3)],
    ['customJvp', () => customJvp(bad(Fuzz), () => [0, 0])],
  ])('%s', (name, f) => rejects(f, InvalidArgumentError, new RegExp(`^${name}: f must be a function, got a class constructor`)));

  it('customJvp rules and customVjp halves too', () => {
    rejects(() => customJvp(ops.sin, bad(Fuzz)), NatgradError, /^customJvp\(sin\): the JVP rule must be a function \(not a class\)/);
    rejects(() => customVjp(ops.sin, bad({ fwd: Fuzz, bwd: () => [null] })), NatgradError, /^customVjp\(sin\): the fwd rule and bwd must be given as functions \(not classes\)/);
  });

  it('ordinary functions of every kind are still callbacks', () => {
    function declared(v: Value) {
      return sumSin(v);
    }
    const bound = declared.bind(null);
    const method = { m(v: Value) { return sumSin(v); } }.m;
    for (const f of [declared, bound, method, sumSin]) expect((grad(f)(x3) as Tensor).shape).toEqual([3]);
  });
});

describe('transform options are plain objects', () => {
  it.each<[string, () => unknown]>([
    ['grad', () => grad(sumSin, bad(new Date(0)))],
    ['valueAndGrad', () => valueAndGrad(sumSin, bad(new Map()))],
    ['jacfwd', () => jacfwd(ops.sin, bad(new Number(2)))],
    ['hessian', () => hessian(sumSin, bad(Object.create({ chunkSize: 2 })))],
  ])('%s refuses a Date, a Map, a boxed number, an object inheriting its options', (name, f) =>
    rejects(f, InvalidArgumentError, new RegExp(`^${name}: options must be a plain object`)),
  );
});

describe('composite functions name themselves, not what they are built from', () => {
  it('hvp checks f, x and v under its own name', () => {
    rejects(() => hvp(bad('f'), x3, x3), InvalidArgumentError, /^hvp: f must be a function/);
    rejects(() => hvp(sumSin, bad('abc'), x3), InvalidArgumentError, /^hvp: x is a string/);
    rejects(() => hvp(sumSin, x3, Tensor.from([1, 2])), ShapeError, /^hvp: v has shape \[2\], expected \[3\]/);
    rejects(() => hvp((v: Value) => ops.sin(v), x3, x3), ShapeError, /^hvp: f must return a scalar/);
    const hv = hvp(sumSin, x3, Tensor.from([1, 0, 0])) as Tensor;
    expect(hv.data[0]).toBeCloseTo(-Math.sin(0.1), 14); // H = diag(−sin x)
    expect(Math.abs(hv.data[1]) + Math.abs(hv.data[2])).toBe(0);
  });

  it('the function hessian returns names hessian, not the jacfwd it is built on', () => {
    rejects(() => hessian(sumSin)(bad('abc')), InvalidArgumentError, /^hessian: argument 0 is a string/);
    rejects(() => hessian(sumSin)(bad([[1, 2], [3]])), ShapeError, /^hessian: argument 0 is a ragged nested array/);
  });

  it('trace, clip and dot check shapes under their own names', () => {
    rejects(() => ops.trace(Tensor.zeros([3, 2])), ShapeError, /^trace: matrix must be square/);
    rejects(() => ops.trace(x3), ShapeError, /^trace: matrix must be square/);
    rejects(() => ops.clip(Tensor.zeros([2, 3]), Tensor.zeros([4]), 1), ShapeError, /^clip: shapes \[2, 3\] and \[4\] cannot be broadcast/);
    rejects(() => ops.clip(Tensor.zeros([2, 3]), 0, Tensor.zeros([2, 2])), ShapeError, /^clip: shapes/);
    rejects(() => ops.dot(Tensor.zeros([2, 3]), Tensor.zeros([2])), ShapeError, /^dot: inner dimensions differ/);
    rejects(() => ops.dot(Tensor.zeros([2, 2, 3]), Tensor.zeros([4, 3, 1])), ShapeError, /^dot \(batch axes\)/);
    expect((ops.clip(Tensor.from([-2, 0.5, 2]), -1, 1) as Tensor).toArray()).toEqual([-1, 0.5, 1]);
  });
});

describe('lists, helpers and options read what they are given', () => {
  it('concat and stack report a hole in their list instead of skipping it', () => {
    const holey = bad([x3, , x3]); // eslint-disable-line no-sparse-arrays
    rejects(() => ops.concat(holey), InvalidArgumentError, /^concat: argument xs\[1\] must be a tensor/);
    rejects(() => ops.stack(holey), InvalidArgumentError, /^stack: argument xs\[1\] must be a tensor/);
  });

  it('primalValue takes a value', () => {
    for (const v of [undefined, 3, [1, 2], { data: x3.data, shape: [3] }]) {
      rejects(() => primalValue(bad(v)), InvalidArgumentError, /^primalValue: x must be a tensor or a traced value/);
    }
    let inside: Tensor | undefined;
    jvp((v: Value) => ((inside = primalValue(v)), v), [x3], [x3]);
    expect(inside).toBeInstanceOf(Tensor);
  });

  it('assertFinite checks its arguments before the data', () => {
    rejects(() => assertFinite(bad('12'), 'here'), InvalidArgumentError, /^assertFinite: data must be a typed array or an array of numbers, got string/);
    rejects(() => assertFinite(bad(undefined), 'here'), InvalidArgumentError, /^assertFinite: data must be/);
    rejects(() => assertFinite(bad({ 0: NaN, length: 1 }), 'here'), InvalidArgumentError, /^assertFinite: data must be/);
    rejects(() => assertFinite(bad(['1', 2]), 'here'), InvalidArgumentError, /^assertFinite: data must hold numbers, got string "1" at index 0/);
    rejects(() => assertFinite([1], bad(7)), InvalidArgumentError, /^assertFinite: where must be a string, got number 7/);
    rejects(() => assertFinite([1], 'here', bad('2')), InvalidArgumentError, /^assertFinite: shape must be an array/);
    rejects(() => assertFinite([1, Infinity], 'here', [2]), NonFiniteError, /^here: non-finite value Infinity at flat index 1/);
    expect(() => assertFinite(Float32Array.of(1, 2), 'here')).not.toThrow();
  });

  it('broadcastShapes: where is a string', () => {
    rejects(() => broadcastShapes([2], [3], bad(7)), InvalidArgumentError, /^broadcastShapes: where must be a string/);
    rejects(() => broadcastShapes([2], [3], 'mine'), ShapeError, /^mine: /);
  });

  it('random options: null is not "absent" (it would silently mean the default)', () => {
    const k = random.key(0);
    rejects(() => random.uniform(k, [2], bad({ minval: null })), InvalidArgumentError, /^random\.uniform: minval must be a finite number, got null/);
    rejects(() => random.normal(k, [2], bad({ std: null })), InvalidArgumentError, /^random\.normal: std must be a finite number, got null/);
  });

  it('random.wrapKeyData names itself for bad words, and takes a Uint32Array of two words', () => {
    rejects(() => random.wrapKeyData([-1, 0]), InvalidArgumentError, /^random\.wrapKeyData: words must be integers in \[0, 2\^32\), got \[number -1, number 0\]/);
    rejects(() => random.wrapKeyData(bad(['0', '1'])), InvalidArgumentError, /^random\.wrapKeyData: words must be integers/);
    rejects(() => random.wrapKeyData(bad(Uint32Array.of(1))), InvalidArgumentError, /^random\.wrapKeyData: expected an array of two uint32 words/);
    expect(random.keyData(random.wrapKeyData(Uint32Array.of(3, 4)))).toEqual([3, 4]);
  });

  it('error constructors format any field without throwing', () => {
    expect(new OutOfMemoryError(bad(2n)).message).toContain('cannot allocate 2 float64 elements');
    expect(new OutOfMemoryError(2 ** 30).message).toBe('cannot allocate 1073741824 float64 elements (8192 MiB): out of memory');
  });
});
