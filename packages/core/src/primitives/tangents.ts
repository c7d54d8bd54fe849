/** Helpers for writing derivative rules with symbolic zeros (`null`). @module */
import type { MaybeValue } from '../ad/primitive.js';
import type { Shape } from '../shape.js';
import { shapesEqual } from '../shape.js';
import type { Value } from '../value.js';
import { add } from './add.js';
import { broadcastTo } from './broadcast-to.js';
import { neg } from './neg.js';

/** `a + b` where either may be a symbolic zero. */
export function addMaybe(a: MaybeValue, b: MaybeValue): MaybeValue {
  if (a === null) return b;
  if (b === null) return a;
  return add(a, b);
}

/** `-a` where `a` may be a symbolic zero. */
export function negMaybe(a: MaybeValue): MaybeValue {
  return a === null ? null : neg(a);
}

/** Broadcasts a tangent to the output shape of a broadcasting op (tangents must match their output's shape). */
export function toShape(t: MaybeValue, shape: Shape): MaybeValue {
  return t === null || shapesEqual(t.shape, shape) ? t : broadcastTo(t, shape);
}

/** Sum of the present terms, broadcast to `shape`; null if none is present. */
export function sumTerms(shape: Shape, ...terms: MaybeValue[]): MaybeValue {
  let acc: MaybeValue = null;
  for (const t of terms) acc = addMaybe(acc, t);
  return toShape(acc, shape);
}

export type { Value };
