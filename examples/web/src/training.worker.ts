/**
 * The demo's Web Worker: trains the runs the page asks for, off the page's main thread. It keeps each run's last
 * state, so that Start after Stop (or a slider change) continues the run with its optimiser state (Adam's moments,
 * the step counter) and only the rate changed.
 */
import { ops } from '@natgrad/core';
import { type TrainState, adjust, train } from '@natgrad/optim';
import { exposeTraining } from '@natgrad/optim/worker';
import { tap } from 'rxjs';
import { elbo } from './problem.js';
import { MAX_STEPS, RUNS, type RunConfig, type RunKey } from './runs.js';

const last = new Map<RunKey, TrainState>();

exposeTraining(self, (config: RunConfig) => {
  const spec = RUNS[config.run];
  const previous = config.resume ? last.get(config.run) : undefined;
  if (previous === undefined) last.delete(config.run);
  return train({
    objective: (p) => ops.neg(elbo(spec.toQ(p))),
    params: previous?.params ?? spec.params,
    optimiser: previous ? adjust(previous.optimiser, { lr: config.rate }) : spec.rule(config.rate),
    steps: MAX_STEPS,
    differentiate: true,
  }).pipe(tap((s) => last.set(config.run, s)));
});
