/** Evaluating an objective: loss and gradient for one step, by the objective itself or by `valueAndGrad`. @module */
import { ArrayValue, InvalidArgumentError, NonFiniteError, Tensor, type Value, isTreeNode, type random, reshape, valueAndGrad } from '@natgrad/core';
import type { Gradients, ParamsLike } from '../rule.js';
import type { LossAndGrad, Objective, ObjectiveResult } from './types.js';

/** Loss (a number) and gradient of one step. @internal */
export interface Evaluation<P extends ParamsLike<P>> {
  readonly loss: number;
  readonly grad: Gradients<P>;
}

/** Thrown for results that are neither a scalar nor `{ loss, grad }`. @internal */
export class BadObjectiveResult extends InvalidArgumentError {}

/**
 * A `NonFiniteError` met while evaluating the objective: in the forward pass the loss itself was not finite (a NaN
 * reaching a Cholesky, say), in the backward pass its gradient. Carries the original error. @internal
 */
export class ObjectiveNonFinite {
  constructor(
    readonly pass: 'forward' | 'backward',
    readonly cause: NonFiniteError,
  ) {}
}

/** Runs `f`, turning a NonFiniteError into an {@link ObjectiveNonFinite} of `pass()` (read when it is thrown). */
function classified<T>(f: () => T, pass: () => 'forward' | 'backward'): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NonFiniteError) throw new ObjectiveNonFinite(pass(), e);
    throw e;
  }
}

function isLossAndGrad<P extends ParamsLike<P>>(r: ObjectiveResult<P>): r is LossAndGrad<P> {
  return isTreeNode(r) && !Array.isArray(r) && 'loss' in r && 'grad' in r;
}

function isScalar(r: unknown): r is Value | number {
  return typeof r === 'number' || (r instanceof ArrayValue && r.size === 1);
}

/** A concrete number from a loss value. */
export function lossNumber(loss: unknown): number {
  if (typeof loss === 'number') return loss;
  if (loss instanceof Tensor) {
    if (loss.size !== 1) throw new BadObjectiveResult(`objective: the loss must be a scalar, got shape [${loss.shape}]`);
    return loss.data[0];
  }
  throw new BadObjectiveResult(
    `objective: the loss must be a number or a concrete scalar Tensor, got ${loss instanceof ArrayValue ? 'a traced value' : typeof loss}`,
  );
}

/**
 * Makes the per-subscription evaluator. With `differentiate` undefined, the first call decides: a `{ loss, grad }`
 * result is used as is (and later calls are trusted to return the same kind); a scalar result switches to
 * `valueAndGrad` for this and every later step. @internal
 */
export function makeEvaluator<P extends ParamsLike<P>>(
  objective: Objective<P>,
  differentiate: boolean | undefined,
): (params: P, key: random.Key, step: number) => Evaluation<P> {
  let mode = differentiate;
  const viaGrad = (params: P, key: random.Key, step: number): Evaluation<P> => {
    let forwardDone = false;
    const [value, grad] = classified(() => valueAndGrad((p: P) => {
      const r = objective(p, key, step);
      forwardDone = true;
      if (!isScalar(r)) {
        throw new BadObjectiveResult(
          isLossAndGrad(r)
            ? 'objective: returned { loss, grad } although differentiate is true'
            : 'objective: must return a scalar loss (or { loss, grad } with differentiate: false)',
        );
      }
      return typeof r === 'number' || r.shape.length === 0 ? r : reshape(r, []);
    })(params) as [Value, P], () => (forwardDone ? 'backward' : 'forward'));
    return { loss: lossNumber(value), grad };
  };
  const given = (r: ObjectiveResult<P>): Evaluation<P> => {
    if (!isLossAndGrad(r)) {
      throw new BadObjectiveResult(
        isScalar(r)
          ? 'objective: returned a scalar although differentiate is false (return { loss, grad })'
          : 'objective: must return { loss, grad } or a scalar loss',
      );
    }
    return { loss: lossNumber(r.loss), grad: r.grad };
  };
  return (params, key, step) => {
    if (mode === true) return viaGrad(params, key, step);
    // An objective that computes its own gradient is one pass for us: a NonFiniteError in it counts as the loss's.
    if (mode === false) return given(classified(() => objective(params, key, step), () => 'forward'));
    const r = classified(() => objective(params, key, step), () => 'forward');
    if (isLossAndGrad(r)) {
      mode = false;
      return given(r);
    }
    if (!isScalar(r)) throw new BadObjectiveResult('objective: must return { loss, grad } or a scalar loss');
    mode = true;
    return viaGrad(params, key, step);
  };
}
