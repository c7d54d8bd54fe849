/**
 * Signatures of core's linear algebra: structural ops (triangles, diagonals, trace; NaN propagates) and the
 * factorisations and solves (non-finite input, singular and non-positive-definite matrices must be rejected).
 * @module
 */
import * as core from '@natgrad/core';
import { bad } from '../../harness/hostile.js';
import { type ExportSpec, call } from '../../harness/entry.js';
import { array, bool, int, matrix, options } from '../../harness/slots.js';

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
  cholesky: [call('cholesky', core.cholesky, [matrix('a', { kind: 'spd' })])],
  triangularSolve: [
    call('triangularSolve', core.triangularSolve, [
      matrix('l', { kind: 'lower' }),
      rhs(),
      options('options', { lower: bool('lower', { optional: true }), transpose: bool('transpose', { optional: true }) }, { optional: true }),
    ]),
  ],
  solve: [call('solve', core.solve, [matrix('a', { kind: 'invertible' }), rhs()])],
  inv: [call('inv', core.inv, [matrix('a', { kind: 'invertible' })])],
  logdet: [
    call('logdet', core.logdet, [
      matrix('a', { kind: 'invertible', expect: { 'zero matrix': 'ieee', 'singular (two equal rows)': 'ieee' }, extra: [bad('empty [0, 0] (log det = 0)', () => core.Tensor.zeros([0, 0]), 'any', 'shape')] }),
    ]),
  ],
  choleskyInverse: [call('choleskyInverse', core.choleskyInverse, [matrix('l', { kind: 'lower' })])],
  choleskySolve: [call('choleskySolve', core.choleskySolve, [matrix('l', { kind: 'lower' }), rhs()])],
};
