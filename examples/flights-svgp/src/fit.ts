/**
 * The training loop: optim's `train` over a data source (here the training flights as in-memory columns, reshuffled
 * every epoch), recording what the example reports — the batch loss and the wall and CPU time of every step.
 */
import type { Value, random } from '@natgrad/core';
import { type AnyRule, type DataSource, type LossAndGrad, type OptimiserState, type Params, type TrainState, train } from '@natgrad/optim';

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
  /** Epoch and position in it of the batch the step used. */
  readonly epoch: number;
  readonly batchIndex: number;
  /** Optimiser events of this step (natural-gradient backtracks, …). */
  readonly events: OptimiserState['events'];
}

/** The loss to minimise on one batch (here −minibatch ELBO), written with core's ops; `train` differentiates it. */
export interface FitLoss<P, B> {
  readonly loss: (params: P, batch: B) => Value;
  readonly gradient?: undefined;
}

/**
 * The batch's loss and gradient computed elsewhere, e.g. sharded over worker threads by the gradient pool of
 * `@natgrad/optim/parallel`: `(p, batch, key, step) => pool.valueAndGrad(p, batch, key, step)`.
 */
export interface FitGradient<P extends Params, B> {
  readonly gradient: (params: P, batch: B, key: random.Key, step: number) => Promise<LossAndGrad<P>>;
  readonly loss?: undefined;
}

/** Options of {@link fit}: the objective is either a {@link FitLoss} or a {@link FitGradient}. */
export type FitOptions<P extends Params, B> = (FitLoss<P, B> | FitGradient<P, B>) & {
  readonly params: P;
  readonly optimiser: AnyRule;
  /** Where the batches come from: `columns(...)`, an (async) iterable or an Observable of batches (optim's `DataSource`). */
  readonly data: DataSource<B>;
  /** Number of steps. */
  readonly steps: number;
  /** Called after every step (evaluation, progress); its time is not counted as training time. */
  readonly onStep?: (s: FitStep<P, B>) => void;
};

/** The trained parameters and the run's record. */
export interface FitResult<P> {
  readonly params: P;
  /** The optimiser state after the last step (undefined if the data were empty). */
  readonly optimiser: OptimiserState | undefined;
  /** Batch loss of each step. */
  readonly losses: Float64Array;
  /** Wall time of each step: its batch, the loss and its gradient, the update (ms). */
  readonly stepMs: Float64Array;
  /**
   * CPU time of each step (ms, user + system of the process): on a machine shared with other work the wall time
   * includes waiting for a core, this does not.
   */
  readonly stepCpuMs: Float64Array;
  /** Events of all steps by type (e.g. `{ backtrack: 3 }`). */
  readonly events: Readonly<Record<string, number>>;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** train's objective and differentiate options for a {@link FitLoss} or a {@link FitGradient}; `seen` records the batch. */
function objective<P extends Params, B>(seen: (b: B) => B, o: FitLoss<P, B> | FitGradient<P, B>) {
  const { loss, gradient } = o;
  if (gradient !== undefined) return { objective: (p: P, key: random.Key, step: number, b: B) => gradient(p, seen(b), key, step), differentiate: false };
  return { objective: (p: P, _key: random.Key, _step: number, b: B) => loss(p, seen(b)), differentiate: true };
}

/**
 * Runs `steps` optimiser steps with `train`, step t on the t-th batch of `data`; if the data run out first, it stops
 * there (the result's arrays say how many steps ran). A step's time runs from the end of the previous step's
 * `onStep` to the state's arrival, so it includes `train`'s yield to the event loop between steps (about a
 * millisecond of waiting; none of it CPU time).
 * @throws {TrainingError} (optim's) when a step fails — a NaN or infinite batch loss, a non-finite gradient, … —
 * naming the step, with the last good state
 */
export async function fit<P extends Params, B>(options: FitOptions<P, B>): Promise<FitResult<P>> {
  const { steps, onStep } = options;
  const losses = new Float64Array(steps);
  const stepMs = new Float64Array(steps);
  const stepCpuMs = new Float64Array(steps);
  const events: Record<string, number> = Object.create(null);
  let last: TrainState<P> | undefined;
  let batch: B | undefined; // the batch of the step in progress (the objective is called once per step)
  let started = performance.now();
  let startedCpu = cpuMs();
  await new Promise<void>((resolve, reject) => {
    train<P, B>({
      data: options.data,
      ...objective((b) => (batch = b), options),
      params: options.params,
      optimiser: options.optimiser,
      steps,
    }).subscribe({
      next: (s) => {
        const t = s.step - 1;
        stepMs[t] = performance.now() - started;
        stepCpuMs[t] = cpuMs() - startedCpu;
        losses[t] = s.loss;
        for (const e of s.events) events[e.type] = (events[e.type] ?? 0) + 1;
        last = s;
        onStep?.({ step: s.step, params: s.params, loss: s.loss, batch: batch as B, epoch: s.epoch, batchIndex: s.batchIndex, events: s.events });
        started = performance.now();
        startedCpu = cpuMs();
      },
      error: reject,
      complete: resolve,
    });
  });
  const n = last?.step ?? 0;
  return {
    params: last?.params ?? options.params,
    optimiser: last?.optimiser,
    losses: losses.subarray(0, n),
    stepMs: stepMs.subarray(0, n),
    stepCpuMs: stepCpuMs.subarray(0, n),
    events: { ...events },
  };
}
