/**
 * Composition: rules made of rules, each a rule itself. The rule constructors exported here are built-ins that
 * checkpoints rebuild (the registry collects this module's exports).
 * @module
 */
export { chain } from './chain.js';
export { partition, type LabelTree, type LabelFn } from './partition.js';
export { accumulate, type AccumulateState } from './accumulate.js';
export { applyIfFinite, type ApplyIfFiniteState, type ApplyIfFiniteOptions } from './apply-if-finite.js';
export { backtrack, registerConstraint, type Constraint, type BacktrackState, type BacktrackOptions } from './backtrack.js';
