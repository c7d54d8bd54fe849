/**
 * A property test over the public functions of @natgrad/core: each is called with valid arguments in which exactly
 * one argument slot is replaced by a bad value of its kind (wrong types, ragged or hostile arrays, NaN/∞ and fractions
 * in integer arguments, truthy strings for booleans (also from a getter), unknown options, huge sizes). Every such call must
 * throw a NatgradError whose message names the function, never an engine TypeError/RangeError, never a result.
 * NaN and ±∞ in *data* follow the documented IEEE policy instead: elementwise results carry NaN, linear algebra
 * raises NonFiniteError. (The cross-package fuzz harness lives in test/fuzz; this is the core-level property.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NatgradError,
  NonFiniteError,
  Tensor,
  asValue,
  broadcastShapes,
  ops,
  random,
  sizeOf,
} from '@natgrad/core';

type Kind = 'array' | 'arrayOrNull' | 'shape' | 'optShape' | 'seed' | 'reshape' | 'axis' | 'int' | 'optInt' | 'bool' | 'number' | 'finite'
  | 'spec' | 'indices' | 'list' | 'options' | 'key' | 'json' | 'factors';

/** One public function: its name in messages, how to call it, valid arguments, and the kind of each argument slot. */
interface Entry {
  readonly name: string;
  readonly call: (...args: any[]) => unknown;
  readonly args: () => unknown[];
  readonly kinds: readonly Kind[];
}

const throwingProxy = () => new Proxy({}, { getPrototypeOf: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } });
const nasty = { toString: () => { throw new Error('toString'); } };
const notIntegers = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, 0.5, -1.5, 2 ** 51 + 0.5),
  fc.double({ noNaN: true }).filter((v) => !Number.isInteger(v)),
);
const junk = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 'a', '0', '', 1n, Symbol('s'), {}, [], () => 1, new Map(), nasty),
  fc.string({ minLength: 1 }),
  fc.object({ maxDepth: 1 }),
);

const shapeBad = fc.oneof(
  junk.filter((v) => typeof v !== 'number' && !(Array.isArray(v) && v.length === 0)),
  fc.constantFrom<unknown>(undefined, [-1], [1.5], [NaN], [Infinity], ['2'], [2 ** 31], [2 ** 16, 2 ** 16], [2 ** 40, 0], new Array(65).fill(1), [Symbol('s')]),
  fc.array(notIntegers, { minLength: 1, maxLength: 3 }),
);

/** Bad values per kind of slot (never a value that slot accepts). */
const bad: Record<Kind, fc.Arbitrary<unknown>> = {
  array: fc.oneof(
    junk.filter((v) => !(Array.isArray(v) && v.length === 0)),
    fc.constantFrom<unknown>(undefined, ['a'], [[1, 2], [3]], [1, [2]], [[1], 2], [null], [1, undefined], [[[]], [1]], { length: 2, 0: 1, 1: 2 }),
    fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
    fc.constant(null).map(throwingProxy),
  ),
  arrayOrNull: fc.oneof(fc.constantFrom<unknown>('a', ['a'], [[1, 2], [3]], {}, true, Symbol('s'), 1n), fc.string({ minLength: 1 })),
  shape: shapeBad,
  optShape: fc.constant(null).chain(() => shapeBad.filter((v) => v !== undefined)),
  seed: fc.oneof(notIntegers, fc.constantFrom<unknown>(undefined, null, '1', true, {}, -1, 2 ** 60, -1n, 2n ** 64n)),
  reshape: fc.constantFrom<unknown>(undefined, null, 'a', [NaN], [1.5], ['4'], [-2], [-1, -1], [3], [5, -1], [2 ** 40], {}, [Symbol('s')]),
  axis: fc.oneof(notIntegers, fc.constantFrom<unknown>('0', true, {}, 50, -50, [0, 0], [NaN], ['0'], 1n, Symbol('s'), nasty)),
  int: fc.oneof(notIntegers, fc.constantFrom<unknown>(undefined, null, '1', true, {}, 1n, Symbol('s'))),
  optInt: fc.oneof(notIntegers, fc.constantFrom<unknown>(null, '1', true, {}, 1n)),
  bool: fc.oneof(fc.string(), fc.integer(), fc.constantFrom<unknown>(null, {}, [], 'false', 'no', 1n)),
  number: fc.constantFrom<unknown>(undefined, null, '1', true, {}, [1], 1n, Symbol('s')),
  finite: fc.oneof(fc.constantFrom<unknown>(NaN, Infinity, -Infinity, '1', true, {}, [1], null, 1n)),
  spec: fc.constantFrom<unknown>(5, -5, 0.5, NaN, '1', true, {}, [0, 'a'], [0, 1, 0], [0, 1, 1, 1], [NaN], [0.5, 1], Symbol('s')),
  indices: fc.constantFrom<unknown>(undefined, null, [5], [-5], [0.5], ['a'], 'a', [NaN], {}, Float64Array.of(0), true),
  list: fc.constantFrom<unknown>(undefined, null, 'a', [], ['a'], [[1, 2], 'b'], {}, 3, [[1, 2], [[1]]], [[1, 2], [1, 2, 3]]),
  options: fc.oneof(
    fc.constantFrom<unknown>(null, 'x', [1], 5, true, Object.create({ a: 1 }), Object.defineProperty({}, 'lower', { get: () => 'yes', enumerable: true })),
    fc.dictionary(fc.constantFrom('bogus', 'Lower', '__proto__', 'maxVal', 'sd'), fc.anything(), { minKeys: 1, maxKeys: 2 }),
    fc.constant(null).map(throwingProxy),
  ),
  key: fc.constantFrom<unknown>(undefined, null, [0, 0], { k0: 0, k1: 0 }, 'k', 1, Tensor.from([0, 0])),
  json: fc.constantFrom<unknown>(undefined, null, 'x', [1], { shape: [2], data: [1] }, { shape: [1], data: ['x'] }, { shape: [NaN], data: [] }, { shape: [1], data: [1], more: 0 }, { shape: [2 ** 31], data: [] }),
  // LU factors for luSolve: not an object, missing or extra keys, not a permutation, pivots out of range or
  // disagreeing, a factor of the wrong shape, an accessor
  factors: fc.constantFrom<unknown>(
    undefined, null, 'lu', [1], Tensor.eye(2), {}, { lu: [[4, 1], [0, 3]] }, { lu: [[4, 1], [0, 3]], permutation: [0, 0] },
    { lu: [[4, 1], [0, 3]], permutation: [0, 2] }, { lu: [[4, 1], [0, 3]], permutation: [0.5, 1] }, { lu: [[4, 1], [0, 3]], pivots: [0, 0] },
    { lu: [[4, 1], [0, 3]], pivots: [1, 1], permutation: [0, 1] }, { lu: [[4, 1], [0, 3]], permutation: [0, 1], extra: 1 },
    { lu: 'a', permutation: [0, 1] }, { lu: [[4, 1, 0], [0, 3, 0]], permutation: [0, 1] }, { lu: [[4, 1], [0, 3]], permutation: [[0, 1]] },
    { lu: [[4, 1], [0, 0]], permutation: [0, 1] }, { __proto__: { lu: [[4, 1], [0, 3]] }, permutation: [0, 1] },
    Object.defineProperty({ lu: [[4, 1], [0, 3]] }, 'permutation', { get: () => [0, 1], enumerable: true }),
  ),
};

const M = () => Tensor.from([[4, 1], [1, 3]]);
const V = () => Tensor.from([1, 2]);
const k0 = random.key(0);

const unary: [string, (x: any) => unknown][] = [
  ['neg', ops.neg], ['exp', ops.exp], ['log', ops.log], ['log1p', ops.log1p], ['expm1', ops.expm1], ['sqrt', ops.sqrt],
  ['square', ops.square], ['sin', ops.sin], ['cos', ops.cos], ['tanh', ops.tanh], ['sigmoid', ops.sigmoid],
  ['softplus', ops.softplus], ['logSigmoid', ops.logSigmoid], ['abs', ops.abs], ['sign', ops.sign],
  ['isFinite', ops.isFinite], ['isNaN', ops.isNaN], ['stopGradient', ops.stopGradient], ['ravel', ops.ravel],
  ['matrixTranspose', ops.matrixTranspose], ['diagonal', ops.diagonal], ['trace', ops.trace], ['cholesky', ops.cholesky],
  ['inv', ops.inv], ['logdet', ops.logdet], ['choleskyInverse', ops.choleskyInverse], ['diag', ops.diag],
  ['det', ops.det], ['slogdet', ops.slogdet], ['expm', ops.expm], ['lu', ops.lu], ['luFactor', ops.luFactor],
  ['zerosLike', ops.zerosLike], ['onesLike', ops.onesLike], ['asValue', asValue],
];
const binary: [string, (x: any, y: any) => unknown][] = [
  ['add', ops.add], ['sub', ops.sub], ['mul', ops.mul], ['div', ops.div], ['pow', ops.pow], ['maximum', ops.maximum],
  ['minimum', ops.minimum], ['greater', ops.greater], ['greaterEqual', ops.greaterEqual], ['less', ops.less],
  ['lessEqual', ops.lessEqual], ['equal', ops.equal], ['notEqual', ops.notEqual], ['dot', ops.dot], ['outer', ops.outer],
  ['matmul', ops.matmul], ['solve', ops.solve], ['choleskySolve', ops.choleskySolve], ['expmFrechet', ops.expmFrechet],
];

const entries: Entry[] = [
  ...unary.map(([name, f]): Entry => ({ name, call: f, args: () => [M()], kinds: ['array'] })),
  ...binary.map(([name, f]): Entry => ({ name, call: f, args: () => [M(), M()], kinds: ['array', 'array'] })),
  { name: 'where', call: ops.where, args: () => [M(), V(), 0], kinds: ['array', 'array', 'array'] },
  { name: 'clip', call: ops.clip, args: () => [M(), 0, 3], kinds: ['array', 'arrayOrNull', 'arrayOrNull'] },
  ...(['sum', 'prod', 'mean', 'max', 'min', 'logsumexp'] as const).map((name): Entry => ({
    name,
    call: (x, a, kd) => (ops[name] as (...a: unknown[]) => unknown)(x, a, kd),
    args: () => [M(), 0, true],
    kinds: ['array', 'axis', 'bool'],
  })),
  { name: 'reshape', call: ops.reshape, args: () => [M(), [4]], kinds: ['array', 'reshape'] },
  { name: 'expandDims', call: ops.expandDims, args: () => [M(), 0], kinds: ['array', 'axis'] },
  { name: 'squeeze', call: ops.squeeze, args: () => [Tensor.from([[1, 2]]), 0], kinds: ['array', 'axis'] },
  { name: 'broadcastTo', call: ops.broadcastTo, args: () => [V(), [3, 2]], kinds: ['array', 'shape'] },
  { name: 'transpose', call: ops.transpose, args: () => [M(), [1, 0]], kinds: ['array', 'axis'] },
  { name: 'flip', call: ops.flip, args: () => [M(), 0], kinds: ['array', 'axis'] },
  { name: 'slice', call: (x, s) => ops.slice(x as Tensor, s as never), args: () => [M(), [0, 1]], kinds: ['array', 'spec'] },
  { name: 'take', call: ops.take, args: () => [M(), [1, 0], 1], kinds: ['array', 'indices', 'axis'] },
  { name: 'concat', call: ops.concat, args: () => [[M(), M()], 1], kinds: ['list', 'axis'] },
  { name: 'stack', call: ops.stack, args: () => [[M(), M()], 0], kinds: ['list', 'axis'] },
  { name: 'tril', call: ops.tril, args: () => [M(), 0], kinds: ['array', 'optInt'] },
  { name: 'triu', call: ops.triu, args: () => [M(), 0], kinds: ['array', 'optInt'] },
  { name: 'triangularSolve', call: ops.triangularSolve, args: () => [M(), V(), { lower: true }], kinds: ['array', 'array', 'options'] },
  { name: 'triangularSolve', call: ops.triangularSolve, args: () => [M(), V(), { left: false, unitDiagonal: true }], kinds: ['array', 'array', 'options'] },
  { name: 'cholesky', call: ops.cholesky, args: () => [M(), { upper: true }], kinds: ['array', 'options'] },
  { name: 'solve', call: ops.solve, args: () => [M(), V(), { assumeA: 'pos' }], kinds: ['array', 'array', 'options'] },
  { name: 'luSolve', call: ops.luSolve, args: () => [ops.luFactor(M()), V(), { transpose: true }], kinds: ['factors', 'array', 'options'] },
  { name: 'matrixPower', call: ops.matrixPower, args: () => [M(), -2], kinds: ['array', 'int'] },
  { name: 'zeros', call: ops.zeros, args: () => [[2, 3]], kinds: ['shape'] },
  { name: 'ones', call: ops.ones, args: () => [[2, 3]], kinds: ['shape'] },
  { name: 'full', call: ops.full, args: () => [[2], 1], kinds: ['shape', 'number'] },
  { name: 'eye', call: ops.eye, args: () => [2, 3, 1], kinds: ['int', 'optInt', 'optInt'] },
  { name: 'arange', call: ops.arange, args: () => [0, 5, 1], kinds: ['finite', 'finite', 'finite'] },
  { name: 'linspace', call: ops.linspace, args: () => [0, 1, 5], kinds: ['finite', 'finite', 'optInt'] },
  { name: 'Tensor.from', call: (v, s) => Tensor.from(v as never, s as never), args: () => [[1, 2, 3, 4], [2, 2]], kinds: ['array', 'optShape'] },
  { name: 'Tensor.fromJSON', call: Tensor.fromJSON, args: () => [{ shape: [1], data: [1] }], kinds: ['json'] },
  { name: 'Tensor.zeros', call: Tensor.zeros, args: () => [[2]], kinds: ['shape'] },
  { name: 'Tensor.full', call: Tensor.full, args: () => [[2], 1], kinds: ['shape', 'number'] },
  { name: 'Tensor.scalar', call: Tensor.scalar, args: () => [1], kinds: ['number'] },
  { name: 'Tensor.eye', call: Tensor.eye, args: () => [2], kinds: ['int'] },
  { name: 'Tensor', call: (d, s) => new Tensor(d as never, s as never), args: () => [new Float64Array(2), [2]], kinds: ['array', 'shape'] },
  { name: 'Tensor.get', call: (i, j) => M().get(i as number, j as number), args: () => [0, 1], kinds: ['int', 'int'] },
  { name: 'sizeOf', call: sizeOf, args: () => [[2, 3]], kinds: ['shape'] },
  { name: 'broadcastShapes', call: broadcastShapes, args: () => [[2, 1], [3]], kinds: ['shape', 'shape'] },
  { name: 'random.key', call: random.key, args: () => [1], kinds: ['seed'] },
  { name: 'random.split', call: random.split, args: () => [k0, 3], kinds: ['key', 'optInt'] },
  { name: 'random.foldIn', call: random.foldIn, args: () => [k0, 3], kinds: ['key', 'seed'] },
  { name: 'random.keyData', call: random.keyData, args: () => [k0], kinds: ['key'] },
  { name: 'random.uniform', call: random.uniform, args: () => [k0, [2], { minval: 0 }], kinds: ['key', 'optShape', 'options'] },
  { name: 'random.normal', call: random.normal, args: () => [k0, [2], { std: 2 }], kinds: ['key', 'optShape', 'options'] },
  { name: 'random.randint', call: random.randint, args: () => [k0, [2], 0, 5], kinds: ['key', 'shape', 'int', 'int'] },
  { name: 'random.bernoulli', call: random.bernoulli, args: () => [k0, 0.5, [2]], kinds: ['key', 'finite', 'optShape'] },
  { name: 'random.permutation', call: random.permutation, args: () => [k0, 4], kinds: ['key', 'int'] },
];

function outcome(e: Entry, args: unknown[]): { error?: unknown; result?: unknown } {
  try {
    return { result: e.call(...args) };
  } catch (error) {
    return { error };
  }
}

describe('every public core function rejects a bad argument with a NatgradError naming it', () => {
  it('the valid arguments of the table are valid (the property below only varies one slot)', () => {
    for (const e of entries) expect(outcome(e, e.args()).error, e.name).toBeUndefined();
  });

  it('property: one corrupted slot → NatgradError, message starting with the function name', () => {
    const slotCases = entries.flatMap((e) => e.kinds.map((_, slot) => [e, slot] as const));
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    let tried = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...slotCases).chain(([e, slot]) => fc.tuple(fc.constant(e), fc.constant(slot), bad[e.kinds[slot]])),
        ([e, slot, value]) => {
          const args = e.args();
          args[slot] = value;
          const { error, result } = outcome(e, args);
          tried++;
          const described = `${e.name} slot ${slot} = ${typeof value === 'symbol' ? 'symbol' : (() => { try { return JSON.stringify(value); } catch { return typeof value; } })()}`;
          expect(error, `${described} returned ${String(result)}`).toBeInstanceOf(NatgradError);
          const message = (error as Error).message;
          expect(message.startsWith(`${e.name}:`) || message.startsWith(`${e.name} `), `${described}: ${message}`).toBe(true);
        },
      ),
      { numRuns: 4000 },
    );
    expect(tried).toBe(4000);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });
});

describe('NaN and ±∞ in data follow the documented IEEE policy', () => {
  const propagating = unary.filter(([n]) => ['neg', 'exp', 'log1p', 'expm1', 'sqrt', 'square', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'logSigmoid', 'abs', 'sign', 'stopGradient'].includes(n));
  const linalg = ['cholesky', 'inv', 'logdet', 'choleskyInverse', 'solve', 'choleskySolve', 'triangularSolve', 'det', 'slogdet', 'expm', 'lu', 'luFactor'];

  it('elementwise ops put NaN where the input had NaN; linear algebra raises NonFiniteError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.constantFrom(NaN, Infinity, -Infinity), (at, v) => {
        const data = Float64Array.of(4, 1, 1, 3);
        data[at] = v;
        const x = new Tensor(data, [2, 2]);
        for (const [name, f] of propagating) {
          const y = f(x) as Tensor;
          if (Number.isNaN(v)) expect(Number.isNaN(y.data[at]), name).toBe(true);
          else expect(y.data.length, name).toBe(4);
        }
        for (const [name, f] of binary.filter(([n]) => ['add', 'sub', 'mul', 'maximum', 'minimum'].includes(n))) {
          if (Number.isNaN(v)) expect(Number.isNaN((f(x, M()) as Tensor).data[at]), name).toBe(true);
        }
        for (const name of linalg) {
          const f = (ops as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
          // Only the part a kernel reads is checked (cholesky reads the lower triangle).
          const reads = name === 'cholesky' || name === 'choleskyInverse' || name === 'choleskySolve' || name === 'triangularSolve' ? at !== 1 : true;
          const run = () => (f.length >= 2 || name.includes('olve') ? f(x, V()) : f(x));
          if (reads) expect(run, name).toThrow(NonFiniteError);
        }
      }),
      { numRuns: 40 },
    );
  });
});
