/**
 * Signatures of `random.*`: keys from seeds (numbers up to 2⁵³ or bigints below 2⁶⁴), key data, splitting, folding
 * in, the Threefry block, and the draws (shapes, bounds, probabilities, counts).
 * @module
 */
import { Tensor, random } from '@natgrad/core';
import { bad, wrongTypes } from '../../harness/hostile.js';
import { type ExportSpec, call, construct, method } from '../../harness/entry.js';
import { fixed, int, key, num, options, shape, slot } from '../../harness/slots.js';
import type { Bad, Slot } from '../../harness/types.js';

const word = (name: string, valid = 1) => int(name, { valid, min: 0, max: 2 ** 32 - 1 });

/** A seed or fold-in datum: a non-negative integer up to 2⁵³, or a bigint below 2⁶⁴. */
function seedSlot(name: string): Slot {
  const n = int(name, { valid: 7, expect: { Infinity: 'reject' } });
  const bigints: Bad[] = [
    bad('bigint -1n', () => -1n, 'reject', 'domain'),
    bad('bigint 2n ** 64n', () => 2n ** 64n, 'reject', 'domain'),
    bad('bigint 2n ** 64n - 1n', () => 2n ** 64n - 1n, 'any', 'domain'),
    bad('2^53 + 2 as a number', () => 2 ** 53 + 2, 'reject', 'size'),
  ];
  return slot(name, n.valid, [...n.bad.filter((b) => b.label !== 'bigint 2n' && !b.label.startsWith('2^53 + 2')), ...bigints], {}, n.random);
}

const keyData = slot('data', () => [0, 1], [
  ...wrongTypes(['array']),
  bad('one word', () => [0], 'reject', 'shape'),
  bad('three words', () => [0, 1, 2], 'reject', 'shape'),
  bad('negative word', () => [-1, 0], 'reject', 'domain'),
  bad('fractional word', () => [0.5, 0], 'reject', 'domain'),
  bad('word 2^32', () => [2 ** 32, 0], 'reject', 'domain'),
  bad('string words', () => ['0', '1'], 'reject', 'type'),
  bad('NaN word', () => [NaN, 0], 'reject', 'nonfinite'),
  bad('Uint32Array', () => Uint32Array.of(0, 1), 'any', 'type'),
]);

const drawShape = (o: { optional?: boolean; present?: boolean } = {}) => shape('shape', { valid: [2, 3], ...o });

/** `random.*`, by export name (entries are named `random.…`). */
export const randomTable: Readonly<Record<string, ExportSpec>> = {
  Key: [
    construct('new random.Key', random.Key, [word('k0', 0), word('k1', 42)], { names: ['Key'] }),
    method('random.Key#toJSON', fixed('this', () => random.key(5)), 'toJSON', [], { names: ['Key'] }),
    method('random.Key#toString', fixed('this', () => random.key(5)), 'toString', [], { names: ['Key'], result: 'none' }),
  ],
  key: [call('random.key', random.key, [seedSlot('seed')])],
  keyData: [call('random.keyData', random.keyData, [key('k')])],
  wrapKeyData: [call('random.wrapKeyData', random.wrapKeyData, [keyData])],
  split: [call('random.split', random.split, [key('k'), int('num', { valid: 3, size: true, optional: true })], { result: 'none' })],
  foldIn: [call('random.foldIn', random.foldIn, [key('k'), seedSlot('data')])],
  threefry2x32: [call('random.threefry2x32', random.threefry2x32, [word('k0'), word('k1', 2), word('c0', 3), word('c1', 4)])],
  uniform: [
    call('random.uniform', random.uniform, [
      key('k'),
      drawShape({ optional: true }),
      options('options', {
        minval: num('minval', { valid: -1, extra: [bad('above maxval (5)', () => 5, 'reject', 'domain')] }),
        maxval: num('maxval', { valid: 2, extra: [bad('below minval (-5)', () => -5, 'reject', 'domain')] }),
      }, { optional: true }),
    ]),
  ],
  normal: [
    call('random.normal', random.normal, [
      key('k'),
      drawShape({ optional: true }),
      options('options', { mean: num('mean', { valid: 1 }), std: num('std', { valid: 2, min: 0 }) }, { optional: true }),
    ]),
  ],
  bernoulli: [
    call('random.bernoulli', random.bernoulli, [
      key('k'),
      slot('p', () => 0.3, [
        ...num('p', { valid: 0.3, min: 0, max: 1 }).bad,
        bad('tensor with an entry above 1', () => Tensor.from([0.5, 1.5]), 'reject', 'domain'),
        bad('tensor with NaN', () => Tensor.from([0.5, NaN]), 'reject', 'nonfinite'),
        bad('tensor [4] (does not broadcast)', () => Tensor.from([0.1, 0.2, 0.3, 0.4]), 'reject', 'shape'),
        bad('nested array [0.5, 0.5]', () => [0.5, 0.5], 'any', 'type'),
      ]),
      drawShape({ optional: true, present: true }),
    ]),
  ],
  randint: [
    call('random.randint', random.randint, [
      key('k'),
      drawShape(),
      int('minval', { valid: -3, min: -Infinity, extra: [bad('equal to maxval (5)', () => 5, 'reject', 'domain')] }),
      int('maxval', { valid: 5, min: -Infinity, extra: [bad('below minval (-10)', () => -10, 'reject', 'domain'), bad('2^53 (span too wide)', () => 2 ** 53, 'reject', 'domain')] }),
    ]),
  ],
  permutation: [
    call('random.permutation', random.permutation, [
      key('k'),
      slot('nOrItems', () => 5, [
        ...int('n', { valid: 5, size: true }).bad.filter((b) => b.label !== 'empty array' && b.label !== 'array of strings'),
        bad('array of items', () => ['a', 'b', 'c'], 'any', 'type'),
        bad('array with holes', () => [1, , 3], 'any', 'type'), // eslint-disable-line no-sparse-arrays
      ]),
    ], { result: 'none' }),
  ],
};
