/**
 * `@natgrad/optim`: composable optimiser rules, natural-gradient steps, checkpoints, and training loops as rxjs
 * Observables of immutable states.
 * @packageDocumentation
 * @module \@natgrad/optim
 */
export type { Rule, AnyRule, Params, ParamsLike, Hyperparams, JsonValue, OptimiserEvent, ApplyContext } from './rule.js';
export { leafRule, joinPath, type LeafRuleSpec, type LeafState, type LeafStates } from './leaf-rule.js';
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
export { type Domain, REAL, NON_NEGATIVE, COUNTER, interval, describeDomain, checkDomain } from './domain.js';
export * from './api.js';
export * from './train/index.js';
