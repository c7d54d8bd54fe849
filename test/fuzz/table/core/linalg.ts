/**
 * Signatures of core's linear algebra: structural ops (triangles, diagonals, trace; NaN propagates) and the
 * factorisations and solves (non-finite input, singular and non-positive-definite matrices must be rejected).
 * @module
 */
import * as core from '@natgrad/core';
import { bad } from '../../harness/hostile.js';
import { type ExportSpec, call } from '../../harness/entry.js';
import { array, bool, int, matrix, options, str } from '../../harness/slots.js';

const rhs = (name = 'b') => array(name, { shape: [3, 2], nan: 'reject', minRank: 2, badShapes: [[4, 2], [2]], seed: 4 });
const offset = () => int('k', { valid: 1, min: -Infinity, optional: true });
const square = (name: string) => array(name, { shape: [3, 3], minRank: 2, badShapes: [[3, 2], [3]] });

/** The linear-algebra ops of `@natgrad/core` (also `ops.*`), by export name. */
export const linalgTable: Readonly<Record<string, ExportSpec>> = {
  tril: [call('tril', core.tril, [array('x', { shape: [3, 3], minRank: 2, badShapes: [[3]] }), offset()])],
  triu: [call('triu', core.triu, [array('x', { shape: [3, 3], minRank: 2, badShapes: [[3]] }), offset()])],
  diag: [call('diag', core.diag, [array('v', { shape: [3], minRank: 1 })])],
  diagonal: [call('diagonal', core.diagonal, [square('a')])],
  trace: [call('trace', core.trace, [square('a')])],
  cholesky: [
    call('cholesky', core.cholesky, [matrix('a', { kind: 'spd' }), options('options', { upper: bool('upper', { optional: true }) }, { optional: true })]),
    // with upper: true only the upper triangle is read
    call('cholesky [upper]', (a: core.ArrayInput) => core.cholesky(a, { upper: true }), [matrix('a', { kind: 'spd', reads: 'upper' })], { names: ['cholesky'] }),
  ],
  triangularSolve: [
    call('triangularSolve', core.triangularSolve, [
      matrix('l', { kind: 'lower' }),
      rhs(),
      options('options', {
        lower: bool('lower', { optional: true }),
        transpose: bool('transpose', { optional: true }),
        left: bool('left', { optional: true }),
        unitDiagonal: bool('unitDiagonal', { optional: true }),
      }, { optional: true }),
    ]),
    // X·L = B: B is [m, n] for an n×n L
    call('triangularSolve [right]', (l: core.ArrayInput, b: core.ArrayInput) => core.triangularSolve(l, b, { left: false }), [
      matrix('l', { kind: 'lower' }),
      array('b', { shape: [2, 3], nan: 'reject', minRank: 2, badShapes: [[2, 4], [2]], seed: 4 }),
    ], { names: ['triangularSolve'] }),
    // a unit diagonal is not read: a zero there is fine
    call('triangularSolve [unitDiagonal]', (l: core.ArrayInput, b: core.ArrayInput) => core.triangularSolve(l, b, { unitDiagonal: true }), [
      matrix('l', { kind: 'lower', reads: 'strictly-lower', singular: 'any' }),
      rhs(),
    ], { names: ['triangularSolve'] }),
  ],
  triangularInverse: [
    call('triangularInverse', core.triangularInverse, [
      matrix('t', { kind: 'lower' }),
      options('options', {
        lower: bool('lower', { optional: true }),
        transpose: bool('transpose', { optional: true }),
        unitDiagonal: bool('unitDiagonal', { optional: true }),
      }, { optional: true }),
    ]),
    call('triangularInverse [upper]', (t: core.ArrayInput) => core.triangularInverse(t, { lower: false }), [
      matrix('t', { kind: 'upper' }),
    ], { names: ['triangularInverse'] }),
    // a unit diagonal is not read: a zero there is fine
    call('triangularInverse [unitDiagonal]', (t: core.ArrayInput) => core.triangularInverse(t, { unitDiagonal: true }), [
      matrix('t', { kind: 'lower', reads: 'strictly-lower', singular: 'any' }),
    ], { names: ['triangularInverse'] }),
  ],
  solve: [
    call('solve', core.solve, [
      matrix('a', { kind: 'invertible' }),
      rhs(),
      options('options', {
        assumeA: str('assumeA', { valid: 'gen', oneOf: ['gen', 'pos'], optional: true }),
        lower: bool('lower', { optional: true }),
      }, { optional: true }),
    ]),
    call('solve [assumeA pos]', (a: core.ArrayInput, b: core.ArrayInput) => core.solve(a, b, { assumeA: 'pos' }), [matrix('a', { kind: 'spd' }), rhs()], { names: ['solve'] }),
  ],
  inv: [call('inv', core.inv, [matrix('a', { kind: 'invertible' })])],
  logdet: [
    call('logdet', core.logdet, [
      matrix('a', { kind: 'invertible', expect: { 'zero matrix': 'ieee', 'singular (two equal rows)': 'ieee' }, extra: [bad('empty [0, 0] (log det = 0)', () => core.Tensor.zeros([0, 0]), 'any', 'shape')] }),
    ]),
  ],
  choleskyInverse: [call('choleskyInverse', core.choleskyInverse, [matrix('l', { kind: 'lower' })])],
  choleskySolve: [call('choleskySolve', core.choleskySolve, [matrix('l', { kind: 'lower' }), rhs()])],
};
