/**
 * Signatures of core's backend switch (which implementation runs the dense kernels) and of the errors that came with
 * linear algebra part A and the WebAssembly kernels.
 * @module
 */
import * as core from '@natgrad/core';
import { type ExportSpec, call, construct, covered } from '../../harness/entry.js';
import { field, str } from '../../harness/slots.js';

const errorEntry = (name: string, C: new (...a: any[]) => unknown, slots: Parameters<typeof construct>[2]) => construct(`new ${name}`, C, slots);
const where = () => field('where', () => 'fuzz');
const batchIndex = () => field('batchIndex', () => 0);
const detail = () => field('detail', () => 'fuzz detail');

/** `setBackend`, `getBackend`, `wasmReady` and the new error classes, by export name. */
export const backendTable: Readonly<Record<string, ExportSpec>> = {
  // 'auto' is the default, so the valid call leaves every later case of the worker on the default backend
  setBackend: [call('setBackend', core.setBackend, [str('name', { valid: 'auto', oneOf: ['auto', 'wasm', 'js'] })], { result: 'none' })],
  // documented as unchecked ("nothing is validated", raw Float64Array views for fused user primitives): the kernels are
  // fuzzed through the checked ops that call them (matmul, cholesky, solve, lu, …)
  dense: covered('the raw kernel table, documented as unchecked: fuzzed through the linear-algebra ops that call it', () =>
    Object.isFrozen(core.dense) && typeof core.dense.gemm === 'function' ? [] : ['is not a frozen kernel table'],
  ),
  getBackend: [call('getBackend', core.getBackend, [], { result: 'none' })],
  wasmReady: [call('wasmReady', core.wasmReady, [], { result: 'none' })],
  BackendUnavailableError: [errorEntry('BackendUnavailableError', core.BackendUnavailableError, [field('backend', () => 'wasm'), field('reason', () => 'no SIMD')])],
  ConvergenceError: [errorEntry('ConvergenceError', core.ConvergenceError, [where(), batchIndex(), detail()])],
  EigenvalueDomainError: [
    errorEntry('EigenvalueDomainError', core.EigenvalueDomainError, [
      where(), field('eigenvalueIndex', () => 0), field('eigenvalue', () => -1), batchIndex(), field('requirement', () => 'must be ≥ 0'),
    ]),
  ],
  NotDifferentiableError: [errorEntry('NotDifferentiableError', core.NotDifferentiableError, [where(), batchIndex(), field('indices', () => [0, 1]), detail()])],
};
