/**
 * The functional op set, in the spirit of `jax.numpy`. Every op accepts tensors, tracers, numbers and nested arrays,
 * broadcasts by NumPy rules, and is differentiable in both modes.
 * @module
 */
export { add } from '../primitives/add.js';
export { sub } from '../primitives/sub.js';
export { mul } from '../primitives/mul.js';
export { div } from '../primitives/div.js';
export { neg } from '../primitives/neg.js';
export { exp } from '../primitives/exp.js';
export { log } from '../primitives/log.js';
export { reshape, ravel, expandDims, squeeze } from '../primitives/reshape.js';
export { broadcastTo } from '../primitives/broadcast-to.js';
export { sum } from '../primitives/sum.js';
export { transpose, matrixTranspose } from '../primitives/transpose.js';
export { slice } from '../primitives/slice.js';
export { concat, stack } from '../primitives/concat.js';
export { matmul, type MatmulOptions } from '../primitives/matmul.js';
export * from './math.js';
export * from './linalg.js';
