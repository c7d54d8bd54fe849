/**
 * The training loop, in one place: minibatch steps with optim's `setup`/`update` over a stream of batches.
 *
 * `train` (optim) will take a data source — in-memory columns, an async iterable or an Observable of batches — and
 * hand each step its batch (issue 13, item 1). Until then this function is the only code that knows how batches
 * reach the optimiser; switching to `train({ data, … })` changes this file and nothing else.
 */
import { NonFiniteError, type Value, valueAndGrad } from '@natgrad/core';
import { type AnyRule, type OptimiserState, type Params, setup, update } from '@natgrad/optim';

/** What {@link fit} reports after each step. */
export interface FitStep<P, B> {
  /** Steps done so far (1 after the first). */
  readonly step: number;
  /** Parameters after this step. */
  readonly params: P;
  /** The loss on this step's batch, before the step. */
  readonly loss: number;
  /** The batch the step used. */
  readonly batch: B;
  /** Optimiser events of this step (natural-gradient backtracks, …). */
  readonly events: OptimiserState['events'];
}

/** Options of {@link fit}. */
export interface FitOptions<P extends Params, B> {
  readonly params: P;
  readonly optimiser: AnyRule;
  /** The loss to minimise on one batch (here −minibatch ELBO), written with core's ops. */
  readonly loss: (params: P, batch: B) => Value;
  /** The batches, one per step: any iterable or async iterable (an endless generator is fine). */
  readonly data: Iterable<B> | AsyncIterable<B>;
  /** Number of steps. */
  readonly steps: number;
  /** Called after every step (evaluation, progress); its time is not counted as training time. */
  readonly onStep?: (s: FitStep<P, B>) => void | Promise<void>;
}

/** The trained parameters and the run's record. */
export interface FitResult<P> {
  readonly params: P;
  readonly optimiser: OptimiserState;
  /** Batch loss of each step. */
  readonly losses: Float64Array;
  /** Wall time of each step: fetching its batch, the loss and its gradient, the update (ms). */
  readonly stepMs: Float64Array;
  /**
   * CPU time of each step (ms, user + system of the process): on a machine shared with other work the wall time
   * includes waiting for a core, this does not.
   */
  readonly stepCpuMs: Float64Array;
  /** Events of all steps by type (e.g. `{ backtrack: 3 }`). */
  readonly events: Readonly<Record<string, number>>;
}

/**
 * Runs `steps` optimiser steps, step t on the t-th batch of `data`.
 * If the data run out first, it stops there (the result's arrays say how many steps ran).
 * @throws {NonFiniteError} if a batch loss is NaN or infinite (naming the step); `update`'s errors for non-finite
 * gradients or parameters.
 */
export async function fit<P extends Params, B>(options: FitOptions<P, B>): Promise<FitResult<P>> {
  const { steps, onStep } = options;
  const lossAndGrad = valueAndGrad(options.loss);
  let params = options.params;
  let opt = setup(options.optimiser, params) as OptimiserState;
  const losses = new Float64Array(steps);
  const stepMs = new Float64Array(steps);
  const stepCpuMs = new Float64Array(steps);
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const events: Record<string, number> = Object.create(null);
  let t = 0;
  let started = performance.now();
  let startedCpu = cpuMs();
  for await (const batch of options.data) {
    if (t >= steps) break;
    const [value, g] = lossAndGrad(params, batch) as [Value, Params];
    const loss = value.item();
    if (!Number.isFinite(loss)) throw new NonFiniteError(`fit: loss at step ${t}`, 0, loss);
    [opt, params] = update(opt, params, g);
    for (const e of opt.events) events[e.type] = (events[e.type] ?? 0) + 1;
    losses[t] = loss;
    stepMs[t] = performance.now() - started;
    stepCpuMs[t] = cpuMs() - startedCpu;
    t++;
    if (onStep) await onStep({ step: t, params, loss, batch, events: opt.events });
    started = performance.now();
    startedCpu = cpuMs();
    if (t >= steps) break;
  }
  return { params, optimiser: opt, losses: losses.subarray(0, t), stepMs: stepMs.subarray(0, t), stepCpuMs: stepCpuMs.subarray(0, t), events: { ...events } };
}
