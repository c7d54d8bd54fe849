/**
 * Signatures of core's linear algebra part B: the LU family (lu, luFactor, luSolve), determinants (det, slogdet),
 * the matrix exponential and its Fréchet derivative, and integer matrix powers. Like the other factorisations they
 * reject non-finite input and follow the overflow policy (a finite input whose result overflows is a typed error).
 * The options added to cholesky, triangularSolve and solve are fuzzed with those ops (linalg.ts).
 * @module
 */
import * as core from '@natgrad/core';
import { Tensor } from '@natgrad/core';
import { bad, wrongTypes } from '../../harness/hostile.js';
import { type ExportSpec, call } from '../../harness/entry.js';
import { array, bool, int, matrix, options, slot } from '../../harness/slots.js';

/** A right-hand side for a 3×3 system. */
const rhs = () => array('b', { shape: [3, 2], nan: 'reject', badShapes: [[4, 2], [2, 2]], seed: 4, expect: { 'scalar 7': 'reject', 'scalar NaN': 'reject', 'empty array []': 'reject' } });

/** The factors of an invertible 3×3 matrix, as luFactor returns them. */
const factors = () => core.luFactor(matrix('a', { kind: 'invertible' }).valid() as Tensor);
const factorsSlot = () =>
  slot('factors', factors, [
    ...wrongTypes(),
    bad('a bare matrix (not factors)', () => matrix('a', { kind: 'invertible' }).valid(), 'reject', 'type'),
    bad('{ lu } without a permutation', () => ({ lu: factors().lu }), 'reject', 'shape'),
    bad('permutation that is not one [0, 0, 1]', () => ({ lu: factors().lu, permutation: Tensor.from([0, 0, 1]) }), 'reject', 'domain'),
    bad('permutation of length 2', () => ({ lu: factors().lu, permutation: Tensor.from([0, 1]) }), 'reject', 'shape'),
    bad('permutation [0, 1, 2.5]', () => ({ lu: factors().lu, permutation: Tensor.from([0, 1, 2.5]) }), 'reject', 'domain'),
    bad('permutation [0, 1, NaN]', () => ({ lu: factors().lu, permutation: Tensor.from([0, 1, NaN]) }), 'reject', 'nonfinite'),
    bad('pivots out of range [5, 1, 2]', () => ({ lu: factors().lu, pivots: Tensor.from([5, 1, 2]) }), 'reject', 'domain'),
    bad('pivots below their row [1, 0, 2]', () => ({ lu: factors().lu, pivots: Tensor.from([1, 0, 2]) }), 'reject', 'domain'),
    bad('pivots and permutation disagreeing', () => ({ lu: factors().lu, pivots: Tensor.from([2, 1, 2]), permutation: Tensor.from([0, 1, 2]) }), 'reject', 'domain'),
    bad('lu with NaN', () => ({ ...factors(), lu: Tensor.from([[NaN, 0, 0], [0, 1, 0], [0, 0, 1]]) }), 'reject', 'nonfinite'),
    bad('lu with a zero pivot', () => ({ ...factors(), lu: Tensor.from([[1, 0, 0], [0, 0, 0], [0, 0, 1]]) }), 'reject', 'domain'),
    bad('lu not square [3, 2]', () => ({ lu: Tensor.zeros([3, 2]).add(1), permutation: Tensor.from([0, 1, 2]) }), 'reject', 'shape'),
    bad('unknown key { fuzzTypo }', () => ({ ...factors(), fuzzTypo: 1 }), 'reject', 'option'),
    bad('own "__proto__" key (JSON.parse)', () => ({ ...factors(), ...JSON.parse('{"__proto__": {"lu": 1}}') }), 'reject', 'hostile'),
    bad('lu as nested arrays', () => ({ lu: factors().lu.toArray(), permutation: factors().permutation.toArray() }), 'any', 'type'),
  ]);

/** The LU family, determinants, expm and matrix powers of `@natgrad/core` (also `ops.*`), by export name. */
export const factorisationsTable: Readonly<Record<string, ExportSpec>> = {
  // every finite matrix factors (singular and non-square ones too): only type, shape and non-finite errors
  lu: [call('lu', core.lu, [matrix('a', { kind: 'general', square: false })])],
  luFactor: [call('luFactor', core.luFactor, [matrix('a', { kind: 'general', square: false })])],
  luSolve: [call('luSolve', core.luSolve, [factorsSlot(), rhs(), options('options', { transpose: bool('transpose', { optional: true }) }, { optional: true })])],
  // det of a singular matrix is 0; slogdet's is (0, −∞), documented as NumPy's; a determinant beyond float64 is ±∞
  // (documented: slogdet is the overflow-free form)
  det: [call('det', core.det, [matrix('a', { kind: 'general', expect: { 'empty [0, 0]': 'any', 'entries of 1e300': 'ieee', 'largest entry 1.5e308': 'ieee' } })])],
  slogdet: [call('slogdet', core.slogdet, [matrix('a', { kind: 'general', expect: { 'zero matrix': 'ieee', 'singular (two equal rows)': 'ieee' } })])],
  expm: [call('expm', core.expm, [matrix('a', { kind: 'general' })])],
  expmFrechet: [call('expmFrechet', core.expmFrechet, [matrix('a', { kind: 'general' }), matrix('e', { kind: 'general' })])],
  matrixPower: [
    call('matrixPower', core.matrixPower, [
      matrix('a', { kind: 'invertible', singular: 'any' }),
      int('k', { valid: 3, min: -Infinity, extra: [bad('k 2^40 (overflows)', () => 2 ** 40, 'any', 'size')] }),
    ]),
    // a negative power inverts first: a singular matrix must be a typed error
    call('matrixPower [k -2]', (a: core.ArrayInput) => core.matrixPower(a, -2), [matrix('a', { kind: 'invertible' })], { names: ['matrixPower'] }),
  ],
};
