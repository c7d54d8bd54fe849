/**
 * Signatures of core's values and utilities: `Tensor` (constructor, statics, methods), the `ArrayValue` methods
 * (called on tensors) and `Tracer` methods (called inside a transform), conversions, shape helpers, the error
 * classes and the tree utilities.
 * @module
 */
import * as core from '@natgrad/core';
import { Tensor } from '@natgrad/core';
import { bad, hostileObjects, wrongTypes } from '../../harness/hostile.js';
import { type EntryOptions, type ExportSpec, call, constant, construct, getter, method } from '../../harness/entry.js';
import { anything, array, field, axis, bool, fn, int, list, num, receiver, shape, slot, str, tree, value } from '../../harness/slots.js';
import type { Entry, Slot } from '../../harness/types.js';
import { tensor } from '../../harness/values.js';

const t23 = () => receiver('this', { shape: [2, 3] });
const positive = () => receiver('this', { shape: [2, 3], range: [0.5, 2] });
const y3 = () => array('y', { shape: [3], badShapes: [[4]], seed: 2 });

/** `Tensor#m` / `ArrayValue#m` entries of a receiver method with the given argument slots. */
function methods(owner: string, specs: Readonly<Record<string, readonly Slot[] | { this: Slot; args: readonly Slot[] }>>, o: EntryOptions = {}): Entry[] {
  return Object.entries(specs).map(([m, s]) => {
    const [self, args] = Array.isArray(s) ? [t23(), s as readonly Slot[]] : [(s as { this: Slot }).this, (s as { args: readonly Slot[] }).args];
    return method(`${owner}#${m}`, self, m, args, o);
  });
}

/** Huge shapes are fine where nothing is allocated (shape arithmetic). */
const hugeAny = {
  'huge [2^31]': 'any', 'huge [1e9]': 'any', 'huge [2^53]': 'any', 'huge [65536, 65536]': 'any', 'huge [100000, 100000, 100000]': 'any',
} as const;

/** Index list of `slice` for a [2, 3] tensor (the full catalogue is in ops.ts; the method forwards to it). */
const sliceIndex: Slot = slot('...index', () => [[0, 1]], [
  bad('index 5 (out of range)', () => [5], 'reject', 'domain'),
  bad('step 0', () => [[null, null, 0]], 'reject', 'domain'),
  bad('index "0"', () => ['0'], 'reject', 'type'),
  bad('index {}', () => [{}], 'reject', 'type'),
]);

/** `null` is documented as "all axes" (`Axes`), as `axis=None` in NumPy. */
const allAxes = { expect: { null: 'any' } } as const;
const reduceArgs = () => [axis('axis', { rank: 2, list: true, optional: true, ...allAxes }), bool('keepdims', { optional: true })];

/** The elements of a Tensor's data: a Float64Array of the right length. */
const tensorData: Slot = slot('data', () => Float64Array.of(1, 2, 3, 4, 5, 6), [
  ...wrongTypes(),
  bad('plain array of numbers', () => [1, 2, 3, 4, 5, 6], 'reject', 'type'),
  bad('Float32Array', () => Float32Array.of(1, 2, 3, 4, 5, 6), 'reject', 'type'),
  bad('Int32Array', () => Int32Array.of(1, 2, 3, 4, 5, 6), 'reject', 'type'),
  bad('five elements for shape [2, 3]', () => new Float64Array(5), 'reject', 'shape'),
  bad('NaN element', () => Float64Array.of(NaN, 2, 3, 4, 5, 6), 'any', 'nonfinite'),
]);

const tensorShape = shape('shape', {
  expect: { 'scalar shape []': 'reject', 'empty [0]': 'reject', 'rank 8 of ones': 'reject', 'huge with a zero [1e12, 0]': 'reject' },
  extra: [
    bad('negative extents [-2, -3] (product 6)', () => [-2, -3], 'reject', 'size'),
    bad('fractional extents [1.5, 4] (product 6)', () => [1.5, 4], 'reject', 'size'),
    bad('[6, 1, 1] (same size)', () => [6, 1, 1], 'any', 'shape'),
  ],
});

/** Index list of `Tensor#get` for a [2, 3] tensor. */
const getIndex: Slot = slot('...index', () => [1, 2], [
  bad('index 5 (out of range)', () => [5, 0], 'reject', 'domain'),
  bad('too few indices', () => [0], 'reject', 'shape'),
  bad('too many indices', () => [0, 0, 0], 'reject', 'shape'),
  bad('index 0.5', () => [0.5, 0], 'reject', 'size'),
  bad('index "1"', () => ['1', 0], 'reject', 'type'),
  bad('index NaN', () => [NaN, 0], 'reject', 'nonfinite'),
  bad('index null', () => [null, 0], 'reject', 'type'),
  bad('negative indices [-1, -1]', () => [-1, -1], 'any', 'domain'),
]);

/** The JSON form of a [2, 3] tensor, as `JSON.parse(JSON.stringify(t))` gives it, and ways to break it. */
const tensorJson: Slot = slot('json', () => JSON.parse(JSON.stringify(tensor([2, 3]))), [
  ...wrongTypes(),
  bad('data too short for the shape', () => ({ dtype: 'float64', shape: [2, 3], data: [1, 2] }), 'reject', 'shape'),
  bad('data not an array', () => ({ dtype: 'float64', shape: [2], data: '12' }), 'reject', 'type'),
  bad('a string element "abc"', () => ({ dtype: 'float64', shape: [2], data: [1, 'abc'] }), 'reject', 'type'),
  bad('a null element', () => ({ dtype: 'float64', shape: [2], data: [1, null] }), 'reject', 'type'),
  bad('dtype "float32"', () => ({ dtype: 'float32', shape: [2], data: [1, 2] }), 'reject', 'domain'),
  bad('negative extent', () => ({ dtype: 'float64', shape: [-2], data: [1, 2] }), 'reject', 'size'),
  bad('huge shape [1e9] with no data', () => ({ dtype: 'float64', shape: [1e9], data: [] }), 'reject', 'size'),
  bad('huge shape [2^31] with no data', () => ({ dtype: 'float64', shape: [2 ** 31], data: [] }), 'reject', 'size'),
  bad('nested data', () => ({ dtype: 'float64', shape: [2, 2], data: [[1, 2], [3, 4]] }), 'reject', 'shape'),
  bad('"NaN" and "-Infinity" tokens', () => ({ dtype: 'float64', shape: [2], data: ['NaN', '-Infinity'] }), 'ieee', 'nonfinite'),
  bad('"-0" token', () => ({ dtype: 'float64', shape: [1], data: ['-0'] }), 'any', 'domain'),
  bad('no dtype', () => ({ shape: [2], data: [1, 2] }), 'any', 'shape'),
  bad('scalar shape []', () => ({ dtype: 'float64', shape: [], data: [5] }), 'any', 'shape'),
  ...hostileObjects(() => JSON.parse(JSON.stringify(tensor([2, 3]))) as Record<string, unknown>, true, 'data'),
]);

const message = () => field('message', () => 'fuzz message');
const errorEntry = (name: string, C: new (...a: any[]) => unknown, slots: readonly Slot[]) => construct(`new ${name}`, C, slots);

const treeValue = () => ({ a: tensor([2]), b: [tensor([3]), 1.5] });
const anyTree = (name: string) => tree(name, treeValue, { leaves: 'any', expect: Object.fromEntries(wrongTypes(['object', 'array']).map((b) => [b.label, 'any'])) });
const def = () => core.treeFlatten(treeValue())[1];
const treeDef: Slot = slot('def', def, [
  ...wrongTypes(),
  bad('unknown node kind', () => ({ kind: 'nope' }), 'reject', 'shape'),
  bad('children not an array', () => ({ kind: 'array', children: 'x' }), 'reject', 'shape'),
  bad('keys without children', () => ({ kind: 'object', keys: ['a'], children: [] }), 'reject', 'shape'),
  bad('"__proto__" key', () => ({ kind: 'object', keys: ['__proto__'], children: [{ kind: 'leaf' }] }), 'any', 'hostile'),
  bad('cyclic definition', () => {
    const d: { kind: string; children: unknown[] } = { kind: 'array', children: [] };
    d.children.push(d);
    return d;
  }, 'reject', 'hostile'),
]);

/** Tracer methods, called on a tracer inside `jvp` (their result is taken out of the transform by a closure). */
function traced(m: string, o: EntryOptions = {}): Entry {
  const run = (x: Tensor) => {
    let out: unknown;
    core.jvp((v: core.Value) => {
      const r = (v as unknown as Record<string, unknown>)[m];
      out = typeof r === 'function' ? (r as () => unknown).call(v) : r;
      return v;
    }, [x], [x]);
    return out;
  };
  return call(`Tracer#${m}`, run, [fixed23()], { result: 'none', ...o });
}
const fixed23 = () => slot('x', () => tensor([2, 3]), []);

/** An ArrayValue method called on a tracer (inside `jvp`), so the error paths of traced values are fuzzed too. */
function tracedMethod(m: string, args: readonly Slot[], spread = false): Entry {
  const run = (x: Tensor, ...rest: unknown[]) => {
    const a = spread ? (rest[0] as unknown[]) : rest;
    return core.jvp((v: core.Value) => (v as unknown as Record<string, (...z: unknown[]) => core.Value>)[m](...a), [x], [x])[1];
  };
  return call(`ArrayValue#${m} [traced]`, run, [fixed23(), ...args], { names: ['jvp'] });
}

/** Core's value classes and utilities, by export name. */
export const valuesTable: Readonly<Record<string, ExportSpec>> = {
  Tensor: [
    construct('new Tensor', Tensor, [tensorData, tensorShape]),
    // Tensor.from takes any ArrayLike<number> (its signature), so an array-like object of numbers is valid there.
    call('Tensor.from', Tensor.from, [array('values', { anyShape: true, expect: { 'array-like object': 'any' } }), shape('shape', { optional: true, valid: [6] })]),
    call('Tensor.fromJSON', Tensor.fromJSON, [tensorJson]),
    call('Tensor.scalar', Tensor.scalar, [num('value', { valid: 2, nonFinite: 'any' })]),
    call('Tensor.zeros', Tensor.zeros, [shape('shape')]),
    call('Tensor.ones', Tensor.ones, [shape('shape')]),
    call('Tensor.full', Tensor.full, [shape('shape'), num('value', { valid: 2, nonFinite: 'any' })]),
    call('Tensor.eye', Tensor.eye, [int('n', { valid: 3, size: true })]),
    method('Tensor#get', t23(), 'get', [getIndex], { spread: true }),
    ...methods('Tensor', {
      toArray: [],
      item: { this: receiver('this', { shape: [1], badShapes: [[2], [0]] }), args: [] },
      toFlatArray: [],
      toString: [],
      toJSON: [],
    }, { result: 'scan' }),
  ],
  ArrayValue: [
    ...methods('ArrayValue', {
      add: [y3()], sub: [y3()], mul: [y3()], div: [array('y', { shape: [3], range: [0.5, 2], badShapes: [[4]] })],
      pow: { this: positive(), args: [y3()] }, maximum: [y3()],
      neg: [], exp: [], log: { this: positive(), args: [] }, sqrt: { this: positive(), args: [] }, square: [], abs: [], tanh: [], sigmoid: [], softplus: [],
      sum: reduceArgs(), prod: reduceArgs(), mean: reduceArgs(), max: reduceArgs(), min: reduceArgs(),
      matmul: [array('y', { shape: [3, 2], minRank: 2, badShapes: [[2, 2]] })],
      dot: [array('y', { shape: [3], badShapes: [[2]] })],
      reshape: [shape('shape', { valid: [3, 2], expect: { 'scalar shape []': 'reject', 'empty [0]': 'reject', 'rank 8 of ones': 'reject', 'huge with a zero [1e12, 0]': 'reject', 'extent -1': 'any' } })],
      transpose: [axis('axes', { rank: 2, list: true, valid: [1, 0], optional: true, expect: { 'axis -0': 'reject', 'no axes []': 'reject' } })],
      tril: [int('k', { valid: 0, min: -Infinity, optional: true })],
      triu: [int('k', { valid: 0, min: -Infinity, optional: true })],
      diagonal: { this: receiver('this', { shape: [3, 3], badShapes: [[3, 2], [3]] }), args: [] },
    }),
    method('ArrayValue#slice', t23(), 'slice', [sliceIndex], { spread: true }),
    getter('ArrayValue#ndim', t23(), 'ndim'),
    getter('ArrayValue#size', t23(), 'size'),
    // The getters are the ops `transpose` and `matrixTranspose` (documented as such), whose errors name them.
    getter('ArrayValue#T', t23(), 'T', { names: ['transpose'] }),
    getter('ArrayValue#mT', receiver('this', { shape: [2, 3], badShapes: [[3]] }), 'mT', { names: ['matrixTranspose'] }),
    tracedMethod('add', [y3()]),
    tracedMethod('sum', reduceArgs()),
    tracedMethod('reshape', [shape('shape', { valid: [3, 2], expect: { 'scalar shape []': 'reject', 'empty [0]': 'reject', 'rank 8 of ones': 'reject', 'huge with a zero [1e12, 0]': 'reject', 'extent -1': 'any' } })]),
    tracedMethod('transpose', [axis('axes', { rank: 2, list: true, valid: [1, 0], optional: true, expect: { 'axis -0': 'reject', 'no axes []': 'reject' } })]),
    tracedMethod('slice', [sliceIndex], true),
  ],
  Tracer: [
    traced('shape', { result: 'scan' }),
    traced('toArray', { baselineThrows: true }),
    traced('toFlatArray', { baselineThrows: true }),
    traced('item', { baselineThrows: true }),
    traced('toString'),
  ],
  asValue: [call('asValue', core.asValue, [array('x', { anyShape: true })])],
  primalValue: [call('primalValue', core.primalValue, [value('x')])],
  broadcastShapes: [
    call('broadcastShapes', core.broadcastShapes, [
      shape('a', { valid: [2, 3], extra: [bad('[3, 2] (does not broadcast)', () => [3, 2], 'reject', 'shape')], expect: hugeAny }),
      shape('b', { valid: [3], expect: hugeAny }),
      str('where', { valid: 'fuzzWhere', optional: true }),
    ], { names: ['fuzzWhere'] }),
  ],
  sizeOf: [call('sizeOf', core.sizeOf, [shape('shape', { expect: hugeAny })])],
  NatgradError: [errorEntry('NatgradError', core.NatgradError, [field('code', () => 'FUZZ'), message()])],
  ShapeError: [errorEntry('ShapeError', core.ShapeError, [message()])],
  InvalidArgumentError: [errorEntry('InvalidArgumentError', core.InvalidArgumentError, [message()])],
  NotPositiveDefiniteError: [
    errorEntry('NotPositiveDefiniteError', core.NotPositiveDefiniteError, [
      field('pivot', () => 1), field('pivotValue', () => -1), field('batchIndex', () => 0, { optional: true }), field('where', () => 'fuzz', { optional: true }),
    ]),
  ],
  SingularMatrixError: [errorEntry('SingularMatrixError', core.SingularMatrixError, [field('pivot', () => 1), field('batchIndex', () => 0, { optional: true }), field('where', () => 'fuzz', { optional: true })])],
  NonFiniteError: [errorEntry('NonFiniteError', core.NonFiniteError, [field('where', () => 'fuzz'), field('index', () => 0), field('value', () => NaN)])],
  OutOfMemoryError: [errorEntry('OutOfMemoryError', core.OutOfMemoryError, [field('elements', () => 2 ** 30)])],
  TracerEscapeError: [errorEntry('TracerEscapeError', core.TracerEscapeError, [message()])],
  ClosedOverTracerError: [
    errorEntry('ClosedOverTracerError', core.ClosedOverTracerError, [field('fn', () => 'customJvp(f)'), field('role', () => 'rule'), field('detail', () => 'returned a tracer')]),
  ],
  CustomRuleError: [
    errorEntry('CustomRuleError', core.CustomRuleError, [field('fn', () => 'customVjp(f)'), field('role', () => 'bwd'), message()]),
  ],
  MAX_SIZE: constant(core.MAX_SIZE, 2 ** 31 - 1),
  MAX_RANK: constant(core.MAX_RANK, 64),
  MAX_ARRAY_LENGTH: constant(core.MAX_ARRAY_LENGTH, 2 ** 24),
  MAX_TREE_DEPTH: constant(core.MAX_TREE_DEPTH, 1000),
  MAX_TREE_NODES: constant(core.MAX_TREE_NODES, 2 ** 20),
  ConcretizationError: [errorEntry('ConcretizationError', core.ConcretizationError, [message()])],
  assertFinite: [
    call('assertFinite', core.assertFinite, [
      slot('data', () => Float64Array.of(1, 2, 3), [
        ...wrongTypes(['array']),
        bad('NaN element', () => Float64Array.of(1, NaN), 'reject', 'nonfinite'),
        bad('Infinity in a plain array', () => [1, Infinity], 'reject', 'nonfinite'),
        bad('string element', () => ['1', 2], 'reject', 'type'),
        bad('array-like { 0: NaN, length: 1 }', () => ({ 0: NaN, length: 1 }), 'reject', 'nonfinite'),
        bad('empty array', () => [], 'any', 'shape'),
      ]),
      str('where', { valid: 'fuzzWhere' }),
    ], { names: ['fuzzWhere'], result: 'none' }),
  ],
  isTreeNode: [call('isTreeNode', core.isTreeNode, [anything('x', () => ({ a: 1 }))], { result: 'none' })],
  treeFlatten: [call('treeFlatten', core.treeFlatten, [anyTree('tree')])],
  treeLeaves: [call('treeLeaves', core.treeLeaves, [anyTree('tree')])],
  treePaths: [call('treePaths', core.treePaths, [anyTree('tree')], { result: 'none' })],
  treeUnflatten: [
    call('treeUnflatten', core.treeUnflatten, [
      treeDef,
      slot('leaves', () => [tensor([2]), tensor([3]), 1.5], [
        ...wrongTypes(['array']),
        bad('too few leaves', () => [1], 'reject', 'shape'),
        bad('too many leaves', () => [1, 2, 3, 4], 'reject', 'shape'),
        bad('string "abc" (indexable)', () => 'abc', 'reject', 'type'),
      ]),
    ]),
  ],
  treeDefEqual: [call('treeDefEqual', core.treeDefEqual, [treeDef, { ...treeDef, name: 'b' }], { result: 'none' })],
  joinPath: [call('joinPath', core.joinPath, [str('a', { valid: 'q' }), str('b', { valid: 'mu' })], { result: 'none' })],
  treeFlattenWithPath: [call('treeFlattenWithPath', core.treeFlattenWithPath, [anyTree('tree')])],
  treeMapWithPath: [
    call('treeMapWithPath', core.treeMapWithPath, [
      fn('f', () => (_path: string, x: unknown) => x, { garbage: [['a string', 'abc', 'any']], expect: { 'async callback (returns a Promise)': 'any' } }),
      anyTree('tree'),
      // null/undefined in place of a tree of rest is documented ("nothing there", as Optimisers.jl's nothing)
      list('...rest', tree('tree', treeValue, { leaves: 'any' }), 1, { min: 0, holes: 'any', expect: { undefined: 'any', null: 'any' } }),
    ], { spread: true }),
  ],
  treeMap: [
    call('treeMap', core.treeMap, [
      fn('f', () => (x: unknown) => x, { garbage: [['a string', 'abc', 'any']], expect: { 'async callback (returns a Promise)': 'any' } }),
      anyTree('tree'),
      list('...rest', tree('tree', treeValue, { leaves: 'any' }), 1, { min: 0 }),
    ], { spread: true }),
  ],
  describeDiff: [
    call('describeDiff', core.describeDiff, [anything('a', treeValue), anything('b', () => ({ a: 1 })), str('path', { valid: 'p', optional: true })], { result: 'none' }),
  ],
};
