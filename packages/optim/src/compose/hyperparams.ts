/** `setHyperparams` / `getHyperparams` on the rules that `injectHyperparams` marked. @module */
import { InvalidArgumentError } from '@natgrad/core';
import { HyperparameterError } from '../errors.js';
import { type Registry, buildSchedule, defaultRegistry } from '../registry.js';
import type { AnyRule, JsonValue } from '../rule.js';
import { type Rate, describeSchedule, isSchedule } from '../schedules.js';
import type { OptimiserState } from '../update.js';
import { checkOptimiserState } from '../check-rule.js';
import { injectHyperparams } from './inject.js';
import { optionsObject } from '../builtins.js';

/** Calls `visit` on every rule of the tree with its rule path (chain keys and partition labels; wrappers add none). */
export function walkRules(rule: AnyRule, visit: (rule: AnyRule, path: string) => void, path = ''): void {
  visit(rule, path);
  (rule.children ?? []).forEach((c, i) => walkRules(c, visit, childPath(rule, i, path)));
}

/** The rule path of child `i` of `rule` at `path`: its chain key or partition label; single-child wrappers add none. */
export function childPath(rule: AnyRule, i: number, path: string): string {
  const n = rule.children?.length ?? 0;
  const key = rule.childKeys?.[i] ?? (n === 1 ? '' : String(i));
  return key === '' ? path : path === '' ? key : `${path}.${key}`;
}

/** Rebuilds the rule tree with `f` applied where it returns a new rule; ancestors are rebuilt through the registry. */
function mapRules(rule: AnyRule, f: (rule: AnyRule, path: string) => AnyRule | undefined, registry: Registry, path = ''): AnyRule {
  const own = f(rule, path);
  if (own !== undefined) return own;
  const children = rule.children ?? [];
  const next = children.map((c, i) => mapRules(c, f, registry, childPath(rule, i, path)));
  if (next.every((c, i) => c === children[i])) return rule;
  const factory = registry.rule(rule.name);
  if (factory === undefined) throw new InvalidArgumentError(`setHyperparams: rule "${rule.name}" is not registered, so it cannot be rebuilt`);
  return factory(rule.hyperparams, rule.options, next, registry);
}

/** `rule` rebuilt with some hyperparameters replaced (numbers, or schedules for rates). */
function withHyperparams(rule: AnyRule, values: Readonly<Record<string, Rate>>, registry: Registry): AnyRule {
  const h: Record<string, number> = { ...rule.hyperparams };
  const o: Record<string, JsonValue> = { ...optionsObject(rule.options) };
  const schedules: Record<string, JsonValue> = { ...optionsObject(o.schedules) };
  for (const [k, v] of Object.entries(values)) {
    if (!Object.hasOwn(h, k) && !Object.hasOwn(schedules, k)) {
      throw new HyperparameterError(rule.name, k, v, `not a hyperparameter of ${rule.name} (it has ${[...Object.keys(h), ...Object.keys(schedules)].join(', ')})`);
    }
    if (isSchedule(v)) {
      delete h[k];
      schedules[k] = describeSchedule(v) as unknown as JsonValue;
    } else {
      h[k] = v;
      delete schedules[k];
    }
  }
  if (Object.keys(schedules).length > 0) o.schedules = schedules;
  else delete o.schedules;
  const factory = registry.rule(rule.name);
  if (factory === undefined) throw new InvalidArgumentError(`setHyperparams: rule "${rule.name}" is not registered, so it cannot be rebuilt`);
  const hasOptions = rule.options !== undefined || Object.keys(schedules).length > 0;
  return factory(h, hasOptions ? o : undefined, rule.children ?? [], registry);
}

/**
 * Changes hyperparameters of the rules wrapped in `injectHyperparams`, keeping every state (momentum, moments, step
 * counter): returns a new optimiser state whose rule has the new values. `path` selects one injected rule by its rule
 * path (partition label, chain key — e.g. `"kernel"`; `""` for the root); without it, every injected rule is changed.
 * @example opt = setHyperparams(opt, 'kernel', { lr: 1e-3 })
 * @throws {InvalidArgumentError} when no injected rule is at `path`
 * @throws {HyperparameterError} for an unknown hyperparameter or an invalid value
 */
export function setHyperparams<S>(opt: OptimiserState<S>, path: string | undefined, values: Readonly<Record<string, Rate>>, registry?: Registry): OptimiserState<S>;
export function setHyperparams<S>(opt: OptimiserState<S>, values: Readonly<Record<string, Rate>>): OptimiserState<S>;
export function setHyperparams<S>(
  opt: OptimiserState<S>,
  a: string | undefined | Readonly<Record<string, Rate>>,
  b?: Readonly<Record<string, Rate>>,
  registry: Registry = defaultRegistry,
): OptimiserState<S> {
  checkOptimiserState('setHyperparams: opt', opt);
  const path = typeof a === 'string' ? a : undefined;
  const values = (typeof a === 'object' && a !== null ? a : b) ?? {};
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new InvalidArgumentError('setHyperparams: values must be an object such as { lr: 1e-3 }');
  }
  let hits = 0;
  const rule = mapRules(
    opt.rule,
    (r, p) => {
      if (r.name !== 'InjectHyperparams' || (path !== undefined && p !== path)) return undefined;
      hits++;
      return injectHyperparams(withHyperparams(r.children![0], values, registry));
    },
    registry,
  );
  if (hits === 0) {
    const found: string[] = [];
    walkRules(opt.rule, (r, p) => r.name === 'InjectHyperparams' && found.push(JSON.stringify(p)));
    throw new InvalidArgumentError(
      `setHyperparams: no injectHyperparams rule at ${path === undefined ? 'any path' : JSON.stringify(path)} (injected rules at: ${found.join(', ') || 'none'})`,
    );
  }
  return Object.freeze({ ...opt, rule: rule as OptimiserState<S>['rule'] });
}

/**
 * The current hyperparameters of every rule wrapped in `injectHyperparams`, by rule path; scheduled ones are evaluated
 * at the optimiser's current step (the value the next update uses).
 * @example getHyperparams(opt) // { kernel: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }
 */
export function getHyperparams(opt: OptimiserState, registry: Registry = defaultRegistry): Record<string, Record<string, number>> {
  checkOptimiserState('getHyperparams: opt', opt);
  const out: Record<string, Record<string, number>> = {};
  walkRules(opt.rule, (r, p) => {
    if (r.name !== 'InjectHyperparams') return;
    const inner = r.children![0];
    const values: Record<string, number> = { ...inner.hyperparams };
    const schedules = optionsObject(optionsObject(inner.options).schedules);
    for (const [k, d] of Object.entries(schedules)) {
      values[k] = buildSchedule(d as never, registry)(opt.step);
    }
    out[p] = values;
  });
  return out;
}
