import { asValue } from '../convert.js';
import type { ArrayInput, Result } from '../value.js';
import { neg } from './neg.js';
import { softplus } from './softplus.js';

/** Elementwise `log σ(x) = -softplus(-x)` (`jax.nn.log_sigmoid`): finite and accurate for any x, e.g. ≈ x for x ≪ 0. */
export function logSigmoid<T extends ArrayInput>(x: T): Result<T> {
  return neg(softplus(neg(asValue(x)))) as Result<T>;
}
