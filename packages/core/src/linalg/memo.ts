/**
 * The rules of a values-only primitive (eigvalsh, svdvals, qr's R) and of the functions built on a decomposition
 * need the full decomposition of the same input. Forward mode calls a rule once per tangent of a chunk, so the
 * decomposition is kept per input value (weakly: it goes when the value does); a kernel that has just computed it
 * for a concrete input can leave it here too. Values are immutable, so an entry can never go stale. @module
 */
import type { Tensor } from '../tensor.js';
import type { Value } from '../value.js';

/** A per-value cache of `compute(x)`. */
export interface Memo {
  /** `compute(x)`, computed once per value `x`. */
  of(x: Value): Value;
  /** Records that `compute(x)` is `y` (from a kernel that produced it anyway). */
  remember(x: Tensor, y: Tensor): void;
  /** The recorded or computed value for `x`, if any, without computing. */
  peek(x: Value): Value | undefined;
}

export function memo(compute: (x: Value) => Value): Memo {
  const cache = new WeakMap<Value, Value>();
  return {
    of(x) {
      let y = cache.get(x);
      if (y === undefined) {
        y = compute(x);
        cache.set(x, y);
      }
      return y;
    },
    remember(x, y) {
      cache.set(x, y);
    },
    peek(x) {
      return cache.get(x);
    },
  };
}
