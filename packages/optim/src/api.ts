/**
 * The public API of rules, schedules, composition, the registry and checkpoints (re-exported by index.ts, which
 * stays short because other modules — the training loop — add their own lines there).
 * @module
 */
export * from './rules/index.js';
export * from './schedules/index.js';
export * from './compose/index.js';
export { type Schedule, type ScheduleDescription, type ScheduleParam, type Rate, makeSchedule, isSchedule, describeSchedule } from './schedules/schedule.js';
export { defineSchedule, type ScheduleDefinition, type ScheduleConstructor, type ScheduleSpec, type ScheduleValue } from './schedules/define-schedule.js';
export { defineRule, type RuleSpec, type RuleConfig, type OptionValue, type OptionTypes, type HyperparamsFn, type LeafRuleConstructor } from './define-rule.js';
export { defineTreeRule, type TreeRuleSpec, type GivenValues } from './define-tree-rule.js';
export { type RuleDefinition, type RuleValues, type RuleConstructor, type RuleImpl } from './definition.js';
export { type LeafState, type LeafStates } from './leaf-rule.js';
export { type Check, type RateCheck, rate, nonNegative, positive, unitInterval, integer, finite, fail } from './validate.js';
export { checkRule, checkOptions } from './check-rule.js';
export { adjust, type HyperparamChanges } from './adjust.js';
export { freeze, thaw } from './compose/freeze.js';
export { Registry, defaultRegistry, type RegisterOptions, type RuleDefinitionLike, type ScheduleDefinitionLike } from './registry.js';
export { describeRule, type RuleDescription } from './describe.js';
export { buildRule, buildSchedule, registerRule, registerSchedule } from './checkpoint/build.js';
export { save } from './checkpoint/save.js';
export { load, type LoadOptions } from './checkpoint/load.js';
export { saveTrainState, loadTrainState, type LoadTrainStateOptions } from './checkpoint/train-state.js';
export { DEFAULT_MAX_ELEMENTS } from './checkpoint/layout.js';
export { TooManyNonFiniteStepsError } from './errors.js';
