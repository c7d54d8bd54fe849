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

/** True for a Promise or any thenable. */
function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

const ASYNC_SCALAR =
  'objective: an async objective must resolve to { loss, grad } (train cannot differentiate through a Promise: ' +
  'compute the gradient inside it, with valueAndGrad or a gradient pool)';

/**
 * Makes the per-subscription evaluator. With `differentiate` undefined, the first call decides: a `{ loss, grad }`
 * result (or a Promise of one) is used as is (and later calls are trusted to return the same kind); a scalar result
 * switches to `valueAndGrad` for this and every later step. An asynchronous objective gives a Promise. @internal
 */
export function makeEvaluator<P extends ParamsLike<P>, B>(
  objective: Objective<P, B>,
  differentiate: boolean | undefined,
): (params: P, key: random.Key, step: number, batch: B) => Evaluation<P> | Promise<Evaluation<P>> {
  let mode = differentiate;
  const viaGrad = (params: P, key: random.Key, step: number, batch: B): Evaluation<P> => {
    let forwardDone = false;
    const [value, grad] = classified(() => valueAndGrad((p: P) => {
      const r = objective(p, key, step, batch);
      forwardDone = true;
      if (!isScalar(r)) {
        throw new BadObjectiveResult(
          isThenable(r)
            ? `${ASYNC_SCALAR}; it returned a Promise although differentiate is true`
            : isLossAndGrad(r as ObjectiveResult<P>)
              ? 'objective: returned { loss, grad } although differentiate is true'
              : 'objective: must return a scalar loss (or { loss, grad } with differentiate: false)',
        );
      }
      return typeof r === 'number' || r.shape.length === 0 ? r : reshape(r, []);
    })(params) as [Value, P], () => (forwardDone ? 'backward' : 'forward'));
    return { loss: lossNumber(value), grad };
  };
  const given = (r: unknown): Evaluation<P> => {
    if (!isLossAndGrad(r as ObjectiveResult<P>)) {
      throw new BadObjectiveResult(
        isScalar(r)
          ? 'objective: returned a scalar although differentiate is false (return { loss, grad })'
          : 'objective: must return { loss, grad } or a scalar loss',
      );
    }
    const lg = r as LossAndGrad<P>;
    return { loss: lossNumber(lg.loss), grad: lg.grad };
  };
  /** An async result: awaited, and then it must be `{ loss, grad }`; a NonFiniteError counts as the loss's. */
  const awaited = (r: PromiseLike<unknown>): Promise<Evaluation<P>> =>
    Promise.resolve(r).then(
      (v) => {
        if (isScalar(v)) throw new BadObjectiveResult(ASYNC_SCALAR);
        mode ??= false;
        return given(v);
      },
      (e: unknown) => {
        throw e instanceof NonFiniteError ? new ObjectiveNonFinite('forward', e) : e;
      },
    );
  return (params, key, step, batch) => {
    if (mode === true) return viaGrad(params, key, step, batch);
    // An objective that computes its own gradient is one pass for us: a NonFiniteError in it counts as the loss's.
    const r = classified(() => objective(params, key, step, batch), () => 'forward');
    if (isThenable(r)) return awaited(r);
    if (mode === false) return given(r);
    if (isLossAndGrad(r)) {
      mode = false;
      return given(r);
    }
    if (!isScalar(r)) throw new BadObjectiveResult('objective: must return { loss, grad } or a scalar loss');
    mode = true;
    return viaGrad(params, key, step, batch);
  };
}
