/** The identity with a zero derivative. @module */
import { definePrimitive } from '../ad/primitive.js';

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
