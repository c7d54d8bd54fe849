/**
 * `@natgrad/optim`: composable optimiser rules as data, schedules, checkpoints of whole runs, and training loops as
 * rxjs Observables of immutable states. Natural-gradient steps are the plug-in `@natgrad/optim/natural`.
 * @packageDocumentation
 * @module \@natgrad/optim
 */
export type { Rule, AnyRule, Params, ParamsLike, Gradients, Hyperparams, JsonValue, OptimiserEvent, ApplyContext, StepLine } from './rule.js';
export { rootContext, subContext } from './context.js';
export { setup, update, type OptimiserState } from './update.js';
export {
  NonFiniteGradientError,
  NonFiniteStateError,
  HyperparameterError,
  CheckpointError,
  InvalidKeyError,
  InvalidStateError,
  TooManyRejectedStepsError,
} from './errors.js';
export { type Domain, REAL, NON_NEGATIVE, COUNTER, UNIT_INTERVAL, interval, describeDomain, checkDomain } from './domain.js';
export * from './api.js';
export * from './train/index.js';
