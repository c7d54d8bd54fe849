/** Second-order transforms built by composing the first-order ones. @module */
import type { ArrayInput, Value } from '../value.js';
import { jacobian, jvp } from './forward.js';
import { grad } from './reverse.js';

/**
 * Hessian of a scalar function of one array, forward-over-reverse (`jax.hessian`): the forward-mode Jacobian of the
 * reverse-mode gradient. `H.shape = [...x.shape, ...x.shape]`.
 */
export function hessian(f: (x: Value) => ArrayInput, options: { chunkSize?: number } = {}): (x: ArrayInput) => Value {
  return jacobian(grad(f) as (x: Value) => Value, options);
}

/** Hessian-vector product `H(x)·v` by one forward pass over the gradient, without forming H. */
export function hvp(f: (x: Value) => ArrayInput, x: ArrayInput, v: ArrayInput): Value {
  return jvp(grad(f) as (x: Value) => Value, [x], [v])[1];
}
