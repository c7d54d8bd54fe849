/** The log of the logistic function. @module */
import { toValue } from '../convert.js';
import * as lax from '../lax.js';
import { softplusPrim } from '../primitives/unary.js';
import { bind } from '../ad/trace.js';
import type { ArrayInput, Result } from '../value.js';

/** Elementwise `log σ(x) = -softplus(-x)` (`jax.nn.log_sigmoid`): finite and accurate for any x, e.g. ≈ x for x ≪ 0. */
export function logSigmoid<T extends ArrayInput>(x: T): Result<T> {
  return lax.neg(bind(softplusPrim, [lax.neg(toValue(x, 'logSigmoid', 'x'))], undefined)) as Result<T>;
}
