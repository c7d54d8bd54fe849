/** Stopping derivatives. @module */
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { stopGradientPrim } from '../primitives/stop-gradient.js';
import type { ArrayInput, Result } from '../value.js';

/** `x` treated as a constant by every derivative transform, at every nesting level (`jax.lax.stop_gradient`). */
export function stopGradient<T extends ArrayInput>(x: T): Result<T> {
  return bind(stopGradientPrim, [toValue(x, 'stopGradient', 'x')], undefined) as Result<T>;
}
