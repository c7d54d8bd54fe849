/** The public entry of an elementwise primitive: argument conversion (naming op and argument), then one bind. @module */
import type { Primitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import type { ArrayInput, Value } from '../value.js';

/** Binds a unary elementwise primitive to `x`. */
export function unary(prim: Primitive, x: ArrayInput): Value {
  return bind(prim, [toValue(x, prim.name, 'x')], undefined);
}

/** Binds a binary (broadcasting) elementwise primitive to `x` and `y`. */
export function binary(prim: Primitive, x: ArrayInput, y: ArrayInput): Value {
  return bind(prim, [toValue(x, prim.name, 'x'), toValue(y, prim.name, 'y')], undefined);
}
