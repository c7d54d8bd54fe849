/**
 * `adjust` (Optimisers.jl `adjust!`, without mutation): change hyperparameters of rules anywhere in an optimiser's
 * rule tree, keeping every state — momentum, moments, counters — as it is.
 * @module
 */
import { InvalidArgumentError, NatgradError } from '@natgrad/core';
import { checkOptimiserState } from './check-rule.js';
import { completeValues } from './definition.js';
import { HyperparameterError, namedBy } from './errors.js';
import { pathSegments } from './keys.js';
import type { AnyRule } from './rule.js';
import { childPath, walkRules } from './rule-paths.js';
import { type Rate, isSchedule } from './schedules/schedule.js';
import type { OptimiserState } from './update.js';

/** New values of hyperparameters, by name: numbers, or schedules for schedulable ones (learning rates). */
export type HyperparamChanges = Readonly<Record<string, Rate>>;

/**
 * Changes hyperparameters of the rules of an optimiser and returns the new optimiser state; every rule state is
 * kept, so the run goes on from where it is with the new values (a schedule given here is evaluated at the
 * optimiser's step, as any other). No rule needs to be prepared for it.
 *
 * `target` is a rule path — partition labels and chain keys, as in `TrainState.stepSizes`: `"kernel"`, `"q.Adam"`,
 * `"Adam#2"`, `""` for the root — and selects the rules at that path (a wrapper such as `accumulate` or
 * `NaturalGradient` shares its path with the rule it wraps). Without `target`, every rule of the tree is a candidate
 * (Optimisers.jl `adjust!(tree, eta = 0.1)`). Each change goes to the selected rules that have that hyperparameter;
 * one that none of them has is an error (a typo must not change nothing).
 * @example opt = adjust(opt, 'kernel', { lr: 1e-4 }) // the rule labelled "kernel"
 * @example opt = adjust(opt, { lr: cosineDecay(1e-3, 1000) }) // every rule that has a learning rate
 * @throws {InvalidArgumentError} for a target that names no rule, or a rule that was not made by a definition;
 * {@link HyperparameterError} for a hyperparameter no selected rule has, or a value a rule refuses
 */
export function adjust<S>(opt: OptimiserState<S>, target: string, changes: HyperparamChanges): OptimiserState<S>;
export function adjust<S>(opt: OptimiserState<S>, changes: HyperparamChanges): OptimiserState<S>;
export function adjust<S>(opt: OptimiserState<S>, a: string | HyperparamChanges, b?: HyperparamChanges): OptimiserState<S> {
  checkOptimiserState('adjust: opt', opt);
  const target = typeof a === 'string' ? a : undefined;
  const changes = typeof a === 'string' ? b : a;
  if (target !== undefined) pathSegments('adjust: target', target);
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes) || Object.keys(changes).length === 0) {
    throw new InvalidArgumentError('adjust: changes must be an object of hyperparameters such as { lr: 1e-3 }');
  }
  for (const [k, v] of Object.entries(changes)) {
    if (typeof v !== 'number' && !isSchedule(v)) throw new InvalidArgumentError(`adjust: ${k} must be a number or a schedule, got ${v === null ? 'null' : typeof v}`);
  }
  const selected: [AnyRule, string][] = [];
  walkRules(opt.rule, (r, p) => {
    if (target === undefined || p === target) selected.push([r, p]);
  });
  if (selected.length === 0) {
    const paths = new Set<string>();
    walkRules(opt.rule, (_r, p) => paths.add(JSON.stringify(p)));
    throw new InvalidArgumentError(`adjust: no rule at ${JSON.stringify(target)} (rule paths: ${[...paths].join(', ')})`);
  }
  const own = new Map<AnyRule, Record<string, Rate>>();
  for (const [k, v] of Object.entries(changes)) {
    const hits = selected.filter(([r]) => r.definition?.hyperparams.includes(k) ?? Object.hasOwn(r.hyperparams, k));
    if (hits.length === 0) {
      const there = selected.map(([r, p]) => `${r.name}${target === undefined ? ` at ${JSON.stringify(p)}` : ''} (${(r.definition?.hyperparams ?? Object.keys(r.hyperparams)).join(', ') || 'none'})`);
      throw new HyperparameterError('adjust', k, v, `not a hyperparameter of the rules ${target === undefined ? 'of the optimiser' : `at ${JSON.stringify(target)}`}: ${there.join('; ')}`);
    }
    for (const [r] of hits) own.set(r, { ...own.get(r), [k]: v });
  }
  let rule: AnyRule;
  try {
    rule = rebuild(opt.rule, own, '');
  } catch (e) {
    throw namedBy(e, 'adjust');
  }
  try {
    rule.checkState?.(opt.state, '');
  } catch (e) {
    if (e instanceof NatgradError) throw new InvalidArgumentError(`adjust: the optimiser's state is not valid for the new hyperparameters: ${e.message}`);
    throw e;
  }
  return Object.freeze({ ...opt, rule: rule as OptimiserState<S>['rule'] });
}

/** `rule` with its own changes and its children's applied; unchanged subtrees are the same objects. */
function rebuild(rule: AnyRule, own: ReadonlyMap<AnyRule, Record<string, Rate>>, path: string): AnyRule {
  const children = rule.children ?? [];
  const next = children.map((c, i) => rebuild(c, own, childPath(rule, i, path)));
  const changes = own.get(rule);
  if (changes === undefined && next.every((c, i) => c === children[i])) return rule;
  const d = rule.definition;
  const values = rule.values;
  if (d === undefined || values === undefined) {
    throw new InvalidArgumentError(`adjust: rule ${rule.name}${path === '' ? '' : ` at "${path}"`} was not made by a definition (defineRule, defineTreeRule), so it cannot be rebuilt with new values`);
  }
  const changed = completeValues(d, { ...values, hyperparams: { ...values.hyperparams, ...changes }, children: next }, `adjust: ${rule.name}`);
  return d.create(changed);
}
