/** Second-order transforms built by composing the first-order ones. @module */
import { type TreeDef, unflatten } from '../tree.js';
import type { ArrayInput, Value } from '../value.js';
import { instantiate, pushForward } from './forward.js';
import { type JacobianOptions, jacfwdOf } from './jacobian.js';
import { flattenLike, flattenValues } from './leaves.js';
import { argnumsOption, booleanOption, checkFunction, positiveIntegerOption, readOptions } from './options.js';
import { valueAndGradOf } from './reverse.js';

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
  return jacfwdOf(g, { argnums, hasAux, chunkSize }, 'hessian');
}

/**
 * Hessian-vector product `H(x)·v` by one forward pass over the gradient (forward-over-reverse), without forming H.
 * `x` is an array or a tree, `v` a tangent of the same structure and shapes; the result has that structure too.
 * @throws {ShapeError} when f does not return a scalar, or `v` does not match `x` (the message gives the path).
 * @throws {InvalidArgumentError} when `f` is not a function or `x`, `v` are not arrays or trees of arrays.
 */
export function hvp(f: (x: Value) => ArrayInput, x: ArrayInput, v: ArrayInput): Value {
  checkFunction(f, 'hvp');
  const vg = valueAndGradOf(f, 0, false, 'hvp');
  const [leaves, xDef] = flattenValues(x, { where: 'hvp', what: 'x' });
  const tangents = flattenLike(v, xDef, leaves, { where: 'hvp', what: 'v' });
  const args: TreeDef = { kind: 'array', children: [xDef] };
  const r = pushForward((y: unknown) => vg(y)[1], args, leaves, [tangents], 'hvp', false);
  return unflatten(r.outDef, instantiate(r.tangents[0], r.primals));
}
