import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import type { ArrayInput, Result } from '../value.js';

/**
 * Identity with a zero derivative. Being `nondifferentiable`, every transform (forward, reverse, linearize) applies it
 * to the primals and drops the tracer, so it stops derivatives at every nesting level, like `jax.lax.stop_gradient`.
 * Returning the input tensor itself is safe because tensors are immutable.
 */
export const stopGradientPrim = definePrimitive({
  name: 'stopGradient',
  impl: ([x]) => x,
  nondifferentiable: true,
});

/** `x` treated as a constant by every derivative transform, at every nesting level (`jax.lax.stop_gradient`). */
export function stopGradient<T extends ArrayInput>(x: T): Result<T> {
  return bind(stopGradientPrim, [asValue(x)], undefined) as Result<T>;
}
