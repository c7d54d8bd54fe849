/**
 * The schedules: one file each, made by `defineSchedule`. Every schedule exported here is a built-in that checkpoints
 * rebuild (the registry collects this module's exports), so a new schedule is its file and one line below.
 * @module
 */
export { constant } from './constant.js';
export { exponentialDecay } from './exponential-decay.js';
export { cosineDecay } from './cosine-decay.js';
export { logLinearWarmup } from './log-linear-warmup.js';
export { robbinsMonro } from './robbins-monro.js';
export { linearSchedule, polynomialSchedule } from './polynomial.js';
export { warmupCosineDecay, warmupExponentialDecay, type WarmupExponentialDecayOptions } from './warmup.js';
export { joinSchedules } from './join.js';
export { piecewiseConstant } from './piecewise-constant.js';
export { sgdrSchedule } from './sgdr.js';
export { oneCycle, linearOneCycle, type OneCycleOptions, type LinearOneCycleOptions } from './one-cycle.js';
