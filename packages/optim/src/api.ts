/**
 * The public API of rules, schedules, composition, the registry and checkpoints (re-exported by index.ts, which
 * stays short because other modules — the training loop — add their own lines there).
 * @module
 */
export { Descent } from './rules/descent.js';
export { Momentum, Nesterov, type MomentumState } from './rules/momentum.js';
export { Adam, AdamW, type AdamState } from './rules/adam.js';
export { RMSProp, AdaGrad, type RMSPropState, type AdaGradState } from './rules/rmsprop.js';
export { IncreasingRate, type IncreasingRateState } from './rules/increasing-rate.js';
export { ExpDecay, type ExpDecayState } from './rules/exp-decay.js';
export { WeightDecay } from './rules/weight-decay.js';
export { ClipValue, ClipNorm, type ClipNormOptions } from './rules/clip.js';
export {
  type Schedule,
  type ScheduleDescription,
  type Rate,
  makeSchedule,
  isSchedule,
  describeSchedule,
  constant,
  exponentialDecay,
  cosineDecay,
  logLinearWarmup,
  robbinsMonro,
} from './schedules.js';
export { chain } from './compose/chain.js';
export { partition, type LabelTree, type LabelFn } from './compose/partition.js';
export { freeze, thaw } from './compose/freeze.js';
export { injectHyperparams } from './compose/inject.js';
export { setHyperparams, getHyperparams } from './compose/hyperparams.js';
export { accumulate, type AccumulateState } from './compose/accumulate.js';
export { applyIfFinite, type ApplyIfFiniteState } from './compose/apply-if-finite.js';
export {
  Registry,
  defaultRegistry,
  registerRule,
  registerSchedule,
  describeRule,
  buildRule,
  buildSchedule,
  type RuleDescription,
  type RuleFactory,
  type ScheduleFactory,
} from './registry.js';
export { save } from './checkpoint/save.js';
export { load, type LoadOptions } from './checkpoint/load.js';
export { DEFAULT_MAX_ELEMENTS } from './checkpoint/layout.js';
export { TooManyNonFiniteStepsError } from './errors.js';
export { NaturalGradient, type NaturalGradientOptions, type NaturalGradientState } from './natural/natural-gradient.js';
export { registerParametrisation, parametrisationByName } from './natural/parametrisations.js';
