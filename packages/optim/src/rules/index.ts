/**
 * The rules: one file each, made by `defineRule` (or `defineTreeRule` for ClipNorm's global norm). Every rule
 * exported here is a built-in that checkpoints rebuild — the registry collects this module's exports — so a new rule
 * is its file and its line below.
 * @module
 */
export { Descent } from './descent.js';
export { Momentum, type MomentumState } from './momentum.js';
export { Nesterov } from './nesterov.js';
export { Adam, type AdamState } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSProp, type RMSPropState } from './rmsprop.js';
export { AdaGrad, type AdaGradState } from './adagrad.js';
export { IncreasingRate, type IncreasingRateState } from './increasing-rate.js';
export { ExpDecay, type ExpDecayState } from './exp-decay.js';
export { WeightDecay } from './weight-decay.js';
export { ClipValue } from './clip-value.js';
export { ClipNorm, type ClipNormOptions } from './clip-norm.js';
export { Lion, type LionState } from './lion.js';
export { NAdam } from './nadam.js';
export { RAdam, type RAdamState } from './radam.js';
export { AdaBelief, type AdaBeliefState } from './adabelief.js';
export { Yogi } from './yogi.js';
export { AdaMax, type AdaMaxState } from './adamax.js';
export { AMSGrad, type AMSGradState } from './amsgrad.js';
export { AdaDelta, type AdaDeltaState } from './adadelta.js';
export { Rprop, type RpropState } from './rprop.js';
export { OAdam, type OAdamState } from './oadam.js';
export { SignDecay } from './sign-decay.js';
export { LAMB } from './lamb.js';
