/**
 * The static table of built-in rule and schedule factories. Kept apart from registry.ts (which only reads it) so the
 * built-ins never depend on a module having been imported for its side effects.
 * @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import { accumulate } from './compose/accumulate.js';
import { applyIfFinite } from './compose/apply-if-finite.js';
import { chain } from './compose/chain.js';
import { injectHyperparams } from './compose/inject.js';
import { type LabelTree, isLabelTree, partition } from './compose/partition.js';
import { HyperparameterError } from './errors.js';
import { nullRecord } from './keys.js';
import type { Registry, RuleFactory, ScheduleFactory } from './registry.js';
import type { AnyRule, Hyperparams, JsonValue } from './rule.js';
import { Adam, AdamW } from './rules/adam.js';
import { ClipNorm, ClipValue } from './rules/clip.js';
import { Descent } from './rules/descent.js';
import { ExpDecay } from './rules/exp-decay.js';
import { IncreasingRate } from './rules/increasing-rate.js';
import { Momentum, Nesterov } from './rules/momentum.js';
import { AdaGrad, RMSProp } from './rules/rmsprop.js';
import { WeightDecay } from './rules/weight-decay.js';
import { type Rate, type Schedule, constant, cosineDecay, exponentialDecay, logLinearWarmup, robbinsMonro } from './schedules.js';
import { NaturalGradientFactory } from './natural/factory.js';

/** A required numeric hyperparameter of a description. */
export function num(rule: string, h: Hyperparams, name: string): number {
  const v = Object.hasOwn(h, name) ? h[name] : undefined;
  if (typeof v !== 'number') throw new HyperparameterError(rule, name, v, 'a number (missing from the description, or given as a schedule where none is allowed)');
  return v;
}

/** A JSON options object (or `{}`). */
export function optionsObject(o: JsonValue | undefined): Readonly<Record<string, JsonValue>> {
  return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, JsonValue>) : {};
}

/** A rate hyperparameter: a number in `hyperparams`, or a schedule in `options.schedules`. */
export function rateOf(rule: string, h: Hyperparams, o: JsonValue | undefined, name: string, registry: Registry): Rate {
  const schedules = optionsObject(optionsObject(o).schedules);
  if (!Object.hasOwn(schedules, name)) return num(rule, h, name);
  const d = optionsObject(schedules[name]);
  const factory = typeof d.name === 'string' ? registry.schedule(d.name) : undefined;
  if (factory === undefined) {
    throw new InvalidArgumentError(`${rule}: unknown schedule ${JSON.stringify(d.name)} for ${name} (registered: ${registry.scheduleNames().join(', ')})`);
  }
  return factory(optionsObject(d.params) as Record<string, number>) as Schedule;
}

function only(rule: string, children: readonly AnyRule[], n: number): readonly AnyRule[] {
  if (children.length !== n) throw new InvalidArgumentError(`${rule}: expected ${n} child rule(s), got ${children.length}`);
  return children;
}

function flag(o: JsonValue | undefined, key: string): boolean {
  return optionsObject(o)[key] === true;
}

/** Built-in rules by registry name. */
export const BUILTIN_RULES: Readonly<Record<string, RuleFactory>> = Object.freeze({
  Descent: (h, o, c, r) => (only('Descent', c, 0), Descent(rateOf('Descent', h, o, 'lr', r))),
  Momentum: (h, o, c, r) => (only('Momentum', c, 0), Momentum(rateOf('Momentum', h, o, 'lr', r), num('Momentum', h, 'rho'))),
  Nesterov: (h, o, c, r) => (only('Nesterov', c, 0), Nesterov(rateOf('Nesterov', h, o, 'lr', r), num('Nesterov', h, 'rho'))),
  Adam: (h, o, c, r) =>
    (only('Adam', c, 0), Adam(rateOf('Adam', h, o, 'lr', r), num('Adam', h, 'beta1'), num('Adam', h, 'beta2'), num('Adam', h, 'eps'))),
  AdamW: (h, o, c, r) => (
    only('AdamW', c, 0),
    AdamW(rateOf('AdamW', h, o, 'lr', r), num('AdamW', h, 'beta1'), num('AdamW', h, 'beta2'), num('AdamW', h, 'eps'), num('AdamW', h, 'decay'))
  ),
  RMSProp: (h, o, c, r) => (
    only('RMSProp', c, 0),
    RMSProp(rateOf('RMSProp', h, o, 'lr', r), num('RMSProp', h, 'rho'), num('RMSProp', h, 'eps'), { centred: flag(o, 'centred') })
  ),
  AdaGrad: (h, o, c, r) => (only('AdaGrad', c, 0), AdaGrad(rateOf('AdaGrad', h, o, 'lr', r), num('AdaGrad', h, 'eps'))),
  IncreasingRate: (h, _o, c) => (only('IncreasingRate', c, 0), IncreasingRate(num('IncreasingRate', h, 'alpha'), num('IncreasingRate', h, 'gamma'))),
  ExpDecay: (h, _o, c) => (
    only('ExpDecay', c, 0),
    ExpDecay(num('ExpDecay', h, 'lr'), num('ExpDecay', h, 'decay'), num('ExpDecay', h, 'decayStep'), num('ExpDecay', h, 'clip'), num('ExpDecay', h, 'start'))
  ),
  WeightDecay: (h, _o, c) => (only('WeightDecay', c, 0), WeightDecay(num('WeightDecay', h, 'lambda'))),
  ClipValue: (h, _o, c) => (only('ClipValue', c, 0), ClipValue(num('ClipValue', h, 'delta'))),
  ClipNorm: (h, o, c) => (only('ClipNorm', c, 0), ClipNorm(num('ClipNorm', h, 'omega'), num('ClipNorm', h, 'p'), { global: flag(o, 'global') })),
  Chain: (_h, _o, c) => chain(...c),
  Partition: (_h, o, c) => {
    const { labels, branches } = optionsObject(o);
    if (!isLabelTree(labels)) throw new InvalidArgumentError('Partition: options.labels is not a label tree');
    if (!Array.isArray(branches) || branches.length !== c.length || !branches.every((b) => typeof b === 'string')) {
      throw new InvalidArgumentError(`Partition: options.branches must name the ${c.length} child rule(s)`);
    }
    // Branch names come from the file: a null-prototype record, so even "__proto__" is only ever an own key (which
    // partition then refuses as a label).
    const rules = nullRecord<AnyRule>();
    (branches as string[]).forEach((b, i) => {
      rules[b] = c[i];
    });
    return partition(rules, labels as LabelTree);
  },
  InjectHyperparams: (_h, _o, c) => injectHyperparams(only('InjectHyperparams', c, 1)[0]),
  Accumulate: (h, _o, c) => accumulate(num('Accumulate', h, 'k'), only('Accumulate', c, 1)[0]),
  ApplyIfFinite: (h, _o, c) => applyIfFinite(only('ApplyIfFinite', c, 1)[0], { maxConsecutive: num('ApplyIfFinite', h, 'maxConsecutive') }),
  NaturalGradient: (h, o, c, r) => NaturalGradientFactory(h, o, c, r),
});

/** Built-in schedules by registry name. */
export const BUILTIN_SCHEDULES: Readonly<Record<string, ScheduleFactory>> = Object.freeze({
  constant: (p) => constant(num('constant', p, 'value')),
  exponentialDecay: (p) =>
    exponentialDecay(num('exponentialDecay', p, 'init'), num('exponentialDecay', p, 'rate'), num('exponentialDecay', p, 'steps'), {
      staircase: num('exponentialDecay', p, 'staircase') === 1,
    }),
  cosineDecay: (p) => cosineDecay(num('cosineDecay', p, 'init'), num('cosineDecay', p, 'steps'), num('cosineDecay', p, 'alpha')),
  logLinearWarmup: (p) => logLinearWarmup(num('logLinearWarmup', p, 'start'), num('logLinearWarmup', p, 'end'), num('logLinearWarmup', p, 'n')),
  robbinsMonro: (p) => robbinsMonro(num('robbinsMonro', p, 'tau'), num('robbinsMonro', p, 'kappa')),
});
