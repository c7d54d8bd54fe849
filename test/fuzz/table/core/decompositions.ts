/**
 * Signatures of core's spectral and orthogonal decompositions and what is built on them (linear algebra part A):
 * eigh, eigvalsh, sqrtmh, nearestPsd, qr, svd, svdvals, pinv, lstsq, norm, cond. Like the factorisations, they reject
 * non-finite input (norm's elementwise orders follow IEEE, as `sum` does) and follow the overflow policy: a finite
 * input whose result overflows float64 is a typed error, never ∞/NaN.
 * @module
 */
import * as core from '@natgrad/core';
import { bad, wrongTypes } from '../../harness/hostile.js';
import { type ExportSpec, call } from '../../harness/entry.js';
import { array, bool, matrix, num, options, slot, str } from '../../harness/slots.js';
import type { Bad, Slot } from '../../harness/types.js';

/** A symmetric-or-not square matrix: the decompositions symmetrise it, so any finite square matrix is valid. */
const symmetric = (name = 'a') => matrix(name, { kind: 'general' });
/** An m×n matrix: square ones and the non-square [n, n+1] are both valid. */
const rectangular = (name = 'a') => matrix(name, { kind: 'general', square: false });

/** Bad values of a norm order (`ord` of norm, `p` of cond), for a matrix argument. */
function order(name: string, valid: number | string, o: { readonly vectorOnly?: readonly Bad[] } = {}): Slot {
  const bads: Bad[] = [
    ...wrongTypes(['number', 'nan', 'string', 'undefined', 'null']),
    bad('undefined (default order)', () => undefined, 'any', 'domain'),
    bad('null (default order)', () => null, 'any', 'domain'),
    bad('NaN', () => NaN, 'reject', 'nonfinite'),
    bad('3 (not a matrix order)', () => 3, 'reject', 'domain'),
    bad('0.5 (not a matrix order)', () => 0.5, 'reject', 'domain'),
    bad('"FRO" (mis-cased)', () => 'FRO', 'reject', 'domain'),
    bad('"abc"', () => 'abc', 'reject', 'domain'),
    bad('"2" (numeric string)', () => '2', 'reject', 'type'),
    bad('"__proto__"', () => '__proto__', 'reject', 'hostile'),
    bad('boxed Number(2)', () => new Number(2), 'reject', 'type'),
    bad('"nuc"', () => 'nuc', 'any', 'domain'),
    bad('-Infinity', () => -Infinity, 'any', 'domain'),
    ...(o.vectorOnly ?? []),
  ];
  return slot(name, () => valid, bads);
}

/** `axis` of norm, for a [3, 3] input. */
const normAxis: Slot = slot('axis', () => [0, 1], [
  ...wrongTypes(['number', 'array', 'undefined', 'null']),
  bad('undefined (all axes)', () => undefined, 'any', 'shape'),
  bad('null (all axes)', () => null, 'any', 'shape'),
  bad('axis 5 (out of range)', () => 5, 'reject', 'shape'),
  bad('axis -3 (out of range)', () => -3, 'reject', 'shape'),
  bad('axis 1.5', () => 1.5, 'reject', 'size'),
  bad('axis NaN', () => NaN, 'reject', 'nonfinite'),
  bad('[0, 0] (repeated)', () => [0, 0], 'reject', 'shape'),
  bad('[1, -1] (repeated, negative)', () => [1, -1], 'reject', 'shape'),
  bad('[0, 1, 2] (three axes)', () => [0, 1, 2], 'reject', 'shape'),
  bad('[] (no axes)', () => [], 'reject', 'shape'),
  bad('["0", 1]', () => ['0', 1], 'reject', 'type'),
  bad('[0, NaN]', () => [0, NaN], 'reject', 'nonfinite'),
  bad('list with holes', () => [0, , 1], 'reject', 'type'), // eslint-disable-line no-sparse-arrays
  bad('[1, 0] (transposed)', () => [1, 0], 'any', 'shape'),
  bad('axis 0 (vector norms)', () => 0, 'any', 'shape'),
]);

/** The right-hand side of lstsq for a 3×3 (or 3×4) matrix. */
const rhs = () => array('b', { shape: [3, 2], nan: 'reject', badShapes: [[4, 2], [2], [2, 2]], seed: 4, expect: { 'scalar 7': 'reject', 'scalar NaN': 'reject', 'empty array []': 'reject' } });

/** The decompositions of `@natgrad/core` (also `ops.*`), by export name. */
export const decompositionsTable: Readonly<Record<string, ExportSpec>> = {
  eigh: [call('eigh', core.eigh, [symmetric()])],
  eigvalsh: [call('eigvalsh', core.eigvalsh, [symmetric()])],
  sqrtmh: [
    call('sqrtmh', core.sqrtmh, [
      // the square root of a singular PSD matrix (zero, all ones) exists; a negative eigenvalue is a domain error
      matrix('a', { kind: 'spd', expect: { 'zero matrix': 'any', 'rank-deficient (ones)': 'any' } }),
    ]),
  ],
  nearestPsd: [
    call('nearestPsd', core.nearestPsd, [
      symmetric(),
      options('options', { floor: num('floor', { valid: 0.1, min: 0, optional: true }) }, { optional: true }),
    ]),
  ],
  qr: [
    call('qr', core.qr, [
      rectangular(),
      options('options', { mode: str('mode', { valid: 'reduced', oneOf: ['reduced', 'r'], optional: true }) }, { optional: true }),
    ]),
    call('qr [mode r]', (a: core.ArrayInput) => core.qr(a, { mode: 'r' }), [rectangular()], { names: ['qr'] }),
  ],
  svd: [
    call('svd', core.svd, [rectangular(), options('options', { computeUv: bool('computeUv', { optional: true }) }, { optional: true })]),
  ],
  svdvals: [call('svdvals', core.svdvals, [rectangular()])],
  pinv: [
    call('pinv', core.pinv, [
      // a singular or zero matrix has a pseudo-inverse
      matrix('a', { kind: 'general', square: false, expect: { 'zero matrix': 'any', 'singular (two equal rows)': 'any' } }),
      options('options', { rtol: num('rtol', { valid: 1e-10, min: 0, optional: true }) }, { optional: true }),
    ]),
  ],
  lstsq: [
    call('lstsq', core.lstsq, [
      matrix('a', { kind: 'general', square: false, expect: { 'empty [0, 0]': 'reject' } }),
      rhs(),
      // a negative rcond means ε (NumPy's convention), so only non-finite and non-number values are wrong
      options('options', { rcond: num('rcond', { valid: 1e-12, optional: true }) }, { optional: true }),
    ]),
  ],
  norm: [
    call('norm', core.norm, [
      array('x', { shape: [3, 3], anyShape: false }),
      order('ord', 'fro', { vectorOnly: [bad('1 (max column sum)', () => 1, 'any', 'domain')] }),
      normAxis,
      bool('keepdims', { valid: false, optional: true }),
    ]),
    call('norm [vector]', (x: core.ArrayInput, ord?: core.NormOrd) => core.norm(x, ord), [
      array('x', { shape: [4], range: [0.5, 2] }),
      slot('ord', () => 3, [
        ...wrongTypes(['number', 'nan', 'undefined', 'null']),
        bad('NaN', () => NaN, 'reject', 'nonfinite'),
        bad('"fro" (a matrix order)', () => 'fro', 'reject', 'domain'),
        bad('"nuc" (a matrix order)', () => 'nuc', 'reject', 'domain'),
        bad('0 (count of nonzeros)', () => 0, 'any', 'domain'),
        bad('-1.5 (negative p)', () => -1.5, 'any', 'domain'),
        bad('1e308', () => 1e308, 'any', 'domain'),
        // (Σ|xᵢ|ᵖ)^(1/p) of several nonzero entries grows without bound as p → 0⁺: beyond float64 it is +∞ (IEEE, as sum)
        bad('1e-308', () => 1e-308, 'ieee', 'domain'),
        bad('Infinity', () => Infinity, 'any', 'domain'),
      ]),
    ], { names: ['norm'] }),
  ],
  cond: [
    call('cond', core.cond, [
      // a singular matrix has condition number ∞ (documented), a non-square one is fine for p = 2
      matrix('x', { kind: 'general', square: false, expect: { 'zero matrix': 'ieee', 'singular (two equal rows)': 'ieee', 'empty [0, 0]': 'reject' } }),
      order('p', 2, { vectorOnly: [bad('"fro" for a matrix', () => 'fro', 'any', 'domain')] }),
    ]),
  ],
};
