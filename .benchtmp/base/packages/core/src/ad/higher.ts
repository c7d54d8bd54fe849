/** Second-order transforms built by composing the first-order ones. @module */
import type { ArrayInput, Value } from '../value.js';
import { jvp } from './forward.js';
import { type JacobianOptions, jacfwd } from './jacobian.js';
import { argnumsOption, booleanOption, checkFunction, positiveIntegerOption, readOptions } from './options.js';
import { grad, valueAndGradOf } from './reverse.js';

/**
 * Hessian of a scalar function, forward-over-reverse (`jax.hessian`): `jacfwd(grad(f))` with the same `argnums`.
 * For one array x, `H.shape = [...x.shape, ...x.shape]`; for a tree argument the Hessian is a tree of trees
 * (`H[a][b]` of shape `[...shape(a), ...shape(b)]`); with an argnums array, an array of arrays. With `hasAux`,
 * f returns `[value, aux]` and the result is `[H, aux]`.
 * @throws {ShapeError} when f does not return a scalar (for a vector output use `jacfwd(jacrev(f))`).
 * @throws {InvalidArgumentError} for a bad option.
 */
export function hessian(f: (x: Value) => ArrayInput, options?: JacobianOptions & { argnums?: 0; hasAux?: false }): (x: ArrayInput) => Value;
export function hessian(f: (...args: any[]) => any, options?: JacobianOptions): (...args: any[]) => any;
export function hessian(f: (...args: any[]) => any, options?: JacobianOptions): (...args: any[]) => any {
  checkFunction(f, 'hessian');
  const o = readOptions(options, 'hessian', ['argnums', 'hasAux', 'chunkSize']);
  const argnums = argnumsOption(o.argnums, 'hessian');
  const hasAux = booleanOption(o.hasAux, 'hessian', 'hasAux');
  const chunkSize = positiveIntegerOption(o.chunkSize, 'hessian', 'chunkSize', 16);
  const vg = valueAndGradOf(f, argnums, hasAux, 'hessian');
  // With hasAux, grad's [gradient, aux] is exactly the [output, aux] pair jacfwd's hasAux expects.
  const g = (...args: any[]) => {
    const [value, gradient] = vg(...args);
    return hasAux ? [gradient, value[1]] : gradient;
  };
  return jacfwd(g, { argnums, hasAux, chunkSize });
}

/** Hessian-vector product `H(x)·v` by one forward pass over the gradient, without forming H. */
export function hvp(f: (x: Value) => ArrayInput, x: ArrayInput, v: ArrayInput): Value {
  return jvp(grad(f) as (x: Value) => Value, [x], [v])[1];
}
