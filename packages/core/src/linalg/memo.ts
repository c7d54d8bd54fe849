/**
 * The rules of a values-only primitive (eigvalsh, svdvals, qr's R) and of the functions built on a decomposition
 * need the full decomposition of the same input. Forward mode calls a rule once per tangent of a chunk, so the
 * decomposition is kept per input value (weakly: an entry lives as long as its key); a function that computes both
 * outputs of one decomposition primes the cache so they share one kernel call. Values are immutable, so an entry can
 * never go stale. Public functions key entries on a private {@link alias} of the caller's value, never on the
 * caller's own tensor, so no decomposition outlives the call that needed it. @module
 */
import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { Tensor } from '../tensor.js';
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

/** The identity on values, returning a new value (sharing the buffer): a private cache key for one call. */
const aliasPrim = definePrimitive({
  name: 'alias',
  impl: ([x]) => new Tensor(x.data, x.shape),
  jvp: ([t]) => t,
  vjp: (ct) => [ct],
});

/** A new value equal to `x` (no copy), differentiable as the identity. */
export function alias(x: Value): Value {
  return bind(aliasPrim, [x], undefined);
}
