/**
 * Signatures of core's array ops: elementwise maths (IEEE: NaN data propagates), comparisons, reductions, shape ops
 * and creation functions.
 * @module
 */
import * as core from '@natgrad/core';
import { bad } from '../../harness/hostile.js';
import { type ExportSpec, call } from '../../harness/entry.js';
import { type ArrayOptions, array, axis, bool, int, list, num, shape, slot } from '../../harness/slots.js';
import type { Slot } from '../../harness/types.js';

type Op = (...args: any[]) => unknown;

/** Elementwise `f(x)` for x in `range` (its domain); any shape works, NaN propagates. */
function unary(name: string, f: Op, range: readonly [number, number] = [-2, 2]): ExportSpec {
  return [call(name, f, [array('x', { range, anyShape: true })])];
}

/** Elementwise `f(x, y)` with broadcasting: x [2, 3], y [3]; shapes that do not broadcast must be rejected. */
function binary(name: string, f: Op, x: readonly [number, number] = [-2, 2], y: readonly [number, number] = [-2, 2]): ExportSpec {
  return [
    call(name, f, [
      array('x', { range: x, badShapes: [[3, 2]], anyShape: true }),
      array('y', { shape: [3], range: y, badShapes: [[4], [2, 2]], anyShape: true, seed: 2 }),
    ]),
  ];
}

/** `null` is documented as "all axes" (`Axes`), as `axis=None` in NumPy. */
const allAxes = { expect: { null: 'any' } } as const;

/** A reduction `f(x, axis?, keepdims?)` over x [2, 3]. */
function reduction(name: string, f: Op, x: ArrayOptions = {}): ExportSpec {
  return [
    call(name, f, [
      array('x', { shape: [2, 3], ...x }),
      axis('axis', { rank: 2, list: true, optional: true, ...allAxes }),
      bool('keepdims', { optional: true }),
    ]),
  ];
}

const x23 = (o: ArrayOptions = {}) => array('x', { shape: [2, 3], ...o });

/** The index list of `slice(x, ...index)` for x of shape [2, 3]: one spec per axis. */
const sliceIndex: Slot = slot('...index', () => [[0, 1], null], [
  bad('three specs for rank 2', () => [0, 0, 0], 'reject', 'shape'),
  bad('index 5 (out of range)', () => [5], 'reject', 'domain'),
  bad('index -3 (out of range)', () => [-3], 'reject', 'domain'),
  bad('index 0.5', () => [0.5], 'reject', 'size'),
  bad('index NaN', () => [NaN], 'reject', 'nonfinite'),
  bad('index 2^53', () => [2 ** 53], 'reject', 'size'),
  bad('index "0"', () => ['0'], 'reject', 'type'),
  bad('index true', () => [true], 'reject', 'type'),
  bad('index {}', () => [{}], 'reject', 'type'),
  bad('step 0', () => [[null, null, 0]], 'reject', 'domain'),
  bad('step 0.5', () => [[null, null, 0.5]], 'reject', 'size'),
  bad('step NaN', () => [[null, null, NaN]], 'reject', 'nonfinite'),
  bad('step "1"', () => [[null, null, '1']], 'reject', 'type'),
  bad('bound "a"', () => [['a', 1]], 'reject', 'type'),
  bad('bound NaN', () => [[NaN, 1]], 'reject', 'nonfinite'),
  bad('bound Infinity', () => [[0, Infinity]], 'any', 'nonfinite'),
  bad('bound 2^53 (clamped)', () => [[0, 2 ** 53]], 'any', 'size'),
  bad('negative step', () => [[null, null, -1]], 'any', 'domain'),
  bad('empty range [2, 1]', () => [[2, 1]], 'any', 'domain'),
  bad('four-element slice spec', () => [[0, 1, 1, 1]], 'reject', 'shape'),
]);

/** The indices of `take`. */
const takeIndices: Slot = slot('indices', () => [2, 0], [
  bad('index 3 (out of range)', () => [3], 'reject', 'domain'),
  bad('index -4 (out of range)', () => [-4], 'reject', 'domain'),
  bad('index 1.5', () => [1.5], 'reject', 'size'),
  bad('index NaN', () => [NaN], 'reject', 'nonfinite'),
  bad('index "0"', () => ['0'], 'reject', 'type'),
  bad('index 2^40', () => [2 ** 40], 'reject', 'size'),
  bad('string "0"', () => '0', 'reject', 'type'),
  bad('null', () => null, 'reject', 'type'),
  bad('undefined', () => undefined, 'reject', 'type'),
  bad('object {}', () => ({}), 'reject', 'type'),
  bad('Float64Array', () => Float64Array.of(0, 1), 'any', 'type'),
  bad('Int32Array', () => Int32Array.of(0, 1), 'any', 'type'),
  bad('single number 1', () => 1, 'any', 'type'),
  bad('empty list', () => [], 'any', 'shape'),
  bad('nested [[0]]', () => [[0]], 'reject', 'type'),
]);

const shapeOpts = { expect: { 'scalar shape []': 'reject', 'empty [0]': 'reject', 'rank 8 of ones': 'reject', 'huge with a zero [1e12, 0]': 'reject' } } as const;

/** The ops of `@natgrad/core` (also `ops.*`), by export name. */
export const opsTable: Readonly<Record<string, ExportSpec>> = {
  add: binary('add', core.add),
  sub: binary('sub', core.sub),
  mul: binary('mul', core.mul),
  div: binary('div', core.div, [-2, 2], [0.5, 2]),
  pow: binary('pow', core.pow, [0.5, 2], [-2, 2]),
  maximum: binary('maximum', core.maximum),
  minimum: binary('minimum', core.minimum),
  greater: binary('greater', core.greater),
  greaterEqual: binary('greaterEqual', core.greaterEqual),
  less: binary('less', core.less),
  lessEqual: binary('lessEqual', core.lessEqual),
  equal: binary('equal', core.equal),
  notEqual: binary('notEqual', core.notEqual),
  neg: unary('neg', core.neg),
  exp: unary('exp', core.exp),
  log: unary('log', core.log, [0.5, 2]),
  log1p: unary('log1p', core.log1p, [-0.5, 2]),
  expm1: unary('expm1', core.expm1),
  sqrt: unary('sqrt', core.sqrt, [0.5, 2]),
  square: unary('square', core.square),
  sin: unary('sin', core.sin),
  cos: unary('cos', core.cos),
  tanh: unary('tanh', core.tanh),
  sigmoid: unary('sigmoid', core.sigmoid),
  softplus: unary('softplus', core.softplus),
  logSigmoid: unary('logSigmoid', core.logSigmoid),
  abs: unary('abs', core.abs),
  sign: unary('sign', core.sign),
  isFinite: unary('isFinite', core.isFinite),
  isNaN: unary('isNaN', core.isNaN),
  stopGradient: unary('stopGradient', core.stopGradient),
  where: [
    call('where', core.where, [
      x23({ range: [-1, 1] }),
      array('x', { shape: [2, 3], badShapes: [[3, 2]], seed: 2 }),
      array('y', { shape: [3], badShapes: [[4]], seed: 3 }),
    ]),
  ],
  clip: [
    call('clip', core.clip, [
      x23({ anyShape: true }),
      array('lo', { shape: [], range: [-1, -0.5], optional: true, present: true, drop: ['null'], badShapes: [[4]] }),
      array('hi', { shape: [3], range: [0.5, 1], optional: true, present: true, drop: ['null'], badShapes: [[4]], seed: 2 }),
    ]),
  ],
  sum: reduction('sum', core.sum),
  prod: reduction('prod', core.prod),
  mean: reduction('mean', core.mean, { expect: { 'empty array []': 'ieee' } }),
  max: reduction('max', core.max),
  min: reduction('min', core.min),
  logsumexp: reduction('logsumexp', core.logsumexp, { expect: { 'empty array []': 'ieee' } }),
  reshape: [call('reshape', core.reshape, [x23(), shape('shape', { valid: [3, 2], ...shapeOpts, expect: { ...shapeOpts.expect, 'extent -1': 'any' }, extra: [bad('shape [4] (wrong size)', () => [4], 'reject', 'shape'), bad('two -1 [-1, -1]', () => [-1, -1], 'reject', 'shape')] })])],
  ravel: [call('ravel', core.ravel, [array('x', { anyShape: true })])],
  expandDims: [call('expandDims', core.expandDims, [x23(), axis('axis', { rank: 3 })])],
  squeeze: [
    call('squeeze', core.squeeze, [
      array('x', { shape: [2, 1, 3] }),
      axis('axis', { rank: 3, list: true, valid: 1, optional: true, extra: [bad('axis 0 (extent 2)', () => 0, 'reject', 'shape')] }),
    ]),
  ],
  broadcastTo: [
    call('broadcastTo', core.broadcastTo, [
      array('x', { shape: [3] }),
      shape('shape', { valid: [2, 3], ...shapeOpts, extra: [bad('huge compatible [1e9, 3]', () => [1e9, 3], 'reject', 'size'), bad('incompatible [2, 4]', () => [2, 4], 'reject', 'shape')] }),
    ]),
  ],
  transpose: [
    call('transpose', core.transpose, [
      array('x', { shape: [2, 3, 4] }),
      axis('axes', { rank: 3, list: true, valid: [2, 0, 1], optional: true, expect: { 'axis -0': 'reject', 'no axes []': 'reject' }, extra: [bad('bare number 0', () => 0, 'reject', 'type')] }),
    ]),
  ],
  flip: [call('flip', core.flip, [array('x', { shape: [2, 3], anyShape: true }), axis('axis', { rank: 2, list: true, valid: 1, optional: true, ...allAxes })])],
  matrixTranspose: [call('matrixTranspose', core.matrixTranspose, [array('x', { shape: [2, 3], minRank: 2, badShapes: [[3]] })])],
  slice: [call('slice', core.slice, [x23(), sliceIndex], { spread: true })],
  concat: [
    call('concat', core.concat, [
      list('xs', array('x', { shape: [2, 3], minRank: 1, badShapes: [[2, 4]] }), 2),
      int('axis', { valid: 1, min: -2, max: 1, optional: true }),
    ]),
  ],
  stack: [
    call('stack', core.stack, [
      list('xs', array('x', { shape: [2, 3], badShapes: [[3, 2]] }), 2),
      int('axis', { valid: 2, min: -3, max: 2, optional: true }),
    ]),
  ],
  matmul: [
    call('matmul', core.matmul, [
      array('x', { shape: [2, 3], minRank: 1, badShapes: [[2, 4]] }),
      array('y', { shape: [3, 4], minRank: 1, badShapes: [[4, 4], [2, 4, 3]], seed: 2 }),
    ]),
  ],
  dot: [call('dot', core.dot, [array('x', { shape: [3], badShapes: [[4]] }), array('y', { shape: [3], badShapes: [[2]], seed: 2 })])],
  outer: [call('outer', core.outer, [array('x', { shape: [3], anyShape: true }), array('y', { shape: [2], anyShape: true, seed: 2 })])],
  take: [call('take', core.take, [array('x', { shape: [3, 4], minRank: 1 }), takeIndices, int('axis', { valid: 0, min: -2, max: 1, optional: true })])],
  zeros: [call('zeros', core.zeros, [shape('shape', { number: true })])],
  ones: [call('ones', core.ones, [shape('shape', { number: true })])],
  full: [call('full', core.full, [shape('shape', { number: true }), num('value', { valid: 1.5, nonFinite: 'any' })])],
  zerosLike: [call('zerosLike', core.zerosLike, [array('x', { anyShape: true, expect: { 'NaN entry': 'any', '+Infinity entry': 'any', '-Infinity entry': 'any' } })])],
  onesLike: [call('onesLike', core.onesLike, [array('x', { anyShape: true })])],
  eye: [
    call('eye', core.eye, [
      int('n', { valid: 3, size: true }),
      int('m', { valid: 2, size: true, optional: true }),
      int('k', { valid: 1, min: -Infinity, optional: true }),
    ]),
  ],
  arange: [
    call('arange', core.arange, [
      num('start', { valid: 1 }),
      num('stop', { valid: 5, optional: true, present: true, extra: [bad('1e12 (a huge length)', () => 1e12, 'reject', 'size')] }),
      num('step', { valid: 0.5, optional: true, extra: [bad('0', () => 0, 'reject', 'domain'), bad('1e-300 (a huge length)', () => 1e-300, 'reject', 'size')] }),
    ]),
  ],
  linspace: [call('linspace', core.linspace, [num('start', { valid: 0 }), num('stop', { valid: 1 }), int('num', { valid: 5, size: true, optional: true, present: true })])],
};
