/**
 * The functional op set, in the spirit of `jax.numpy`. Every op accepts tensors, tracers, numbers and nested arrays,
 * broadcasts by NumPy rules, validates its arguments once (errors name the op and the argument), and is
 * differentiable in both modes.
 * @module
 */
export { add, sub, mul, div, neg, pow, maximum, minimum } from './arithmetic.js';
export { exp, log, log1p, expm1, sqrt, square, sin, cos, tanh, sigmoid, softplus, abs, sign } from './math.js';
export { logSigmoid } from './log-sigmoid.js';
export { greater, greaterEqual, less, lessEqual, equal, notEqual, isFinite, isNaN, where } from './compare.js';
export { clip } from './clip.js';
export { stopGradient } from './stop-gradient.js';
export { sum, prod, mean, max, min, logsumexp, type Axes } from './reductions.js';
export { reshape, ravel, expandDims, squeeze, broadcastTo } from './reshape.js';
export { transpose, matrixTranspose, flip } from './transpose.js';
export { slice, take, type IndexSpec } from './indexing.js';
export { concat, stack } from './join.js';
export { matmul, type MatmulOptions } from '../primitives/matmul.js';
export { dot, outer } from './dot.js';
export { zeros, ones, full, eye, arange, linspace, zerosLike, onesLike } from './creation.js';
export * from './linalg.js';
