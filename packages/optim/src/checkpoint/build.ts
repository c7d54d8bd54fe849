/**
 * Rebuilding rules and schedules from their descriptions, generically: the definition registered under the name
 * (a user's or plug-in's in the registry, else a built-in) is given the description's values after every key has
 * been checked against it — an unknown hyperparameter, option or schedule is an error, a missing option takes its
 * default — and the rebuilt rule must describe itself exactly as the file does.
 * @module
 */
import { InvalidArgumentError, NatgradError } from '@natgrad/core';
import { type RuleDefinition, type RuleValues, completeValues } from '../definition.js';
import { type RuleDescription, describeRule } from '../describe.js';
import { namedBy } from '../errors.js';
import { type RegisterOptions, type Registry, type RuleDefinitionLike, type ScheduleDefinitionLike, checkRegistry, defaultRegistry } from '../registry.js';
import type { AnyRule, JsonValue } from '../rule.js';
import { type ScheduleValue, scheduleValues } from '../schedules/define-schedule.js';
import type { Rate, Schedule, ScheduleDescription } from '../schedules/schedule.js';
import { builtinRegistry } from './builtins.js';
import { jsonDifference } from './description-diff.js';

/** Every rule name `registry` resolves (its own, its parents' and the built-ins), sorted. */
export function knownRuleNames(registry: Registry): string[] {
  return [...new Set([...builtinRegistry().ruleNames(), ...registry.ruleNames()])].sort();
}

/** Every schedule name `registry` resolves, sorted. */
export function knownScheduleNames(registry: Registry): string[] {
  return [...new Set([...builtinRegistry().scheduleNames(), ...registry.scheduleNames()])].sort();
}

function isObject(x: unknown): x is Readonly<Record<string, unknown>> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * Rebuilds a schedule from its description.
 * @throws {InvalidArgumentError} for an unknown schedule name or a malformed description; `HyperparameterError` for
 * a value the schedule refuses
 */
export function buildSchedule(desc: ScheduleDescription, registry: Registry = defaultRegistry): Schedule {
  checkRegistry('buildSchedule: registry', registry);
  try {
    return scheduleAt(desc, registry, 0);
  } catch (e) {
    throw namedBy(e, 'buildSchedule');
  }
}

/** {@link buildSchedule} of a description nested `depth` deep. */
function scheduleAt(desc: ScheduleDescription, registry: Registry, depth: number): Schedule {
  if (!isObject(desc) || typeof desc.name !== 'string' || !isObject(desc.params)) {
    throw new InvalidArgumentError(`buildSchedule: expected a description { name, params }, got ${desc === null ? 'null' : typeof desc}`);
  }
  if (depth > 32) throw new InvalidArgumentError('buildSchedule: schedules nested more than 32 deep');
  const d = registry.schedule(desc.name) ?? builtinRegistry().schedule(desc.name);
  if (d === undefined) throw new InvalidArgumentError(`unknown schedule "${desc.name}" (registered: ${knownScheduleNames(registry).join(', ')}; see registerSchedule)`);
  const params = scheduleValues(desc, (c) => scheduleAt(c, registry, depth + 1));
  const unknown = Object.keys(params).filter((k) => !d.params.includes(k));
  if (unknown.length > 0) throw new InvalidArgumentError(`schedule ${desc.name}: unknown parameter ${JSON.stringify(unknown[0])} (it has ${d.params.join(', ')})`);
  const missing = d.params.filter((k) => !Object.hasOwn(params, k));
  if (missing.length > 0) throw new InvalidArgumentError(`schedule ${desc.name}: parameter ${missing[0]} is missing`);
  return d.create(params as Record<string, ScheduleValue>);
}

/** The values a description gives a definition (schedules built), checked against it. */
function valuesOf(d: RuleDefinition, desc: RuleDescription, children: readonly AnyRule[], registry: Registry, where: string): RuleValues {
  if (!isObject(desc.hyperparams)) throw new InvalidArgumentError(`${where}.hyperparams: must be an object of numbers`);
  const hyperparams: Record<string, Rate> = {};
  for (const [k, v] of Object.entries(desc.hyperparams)) {
    if (typeof v !== 'number') throw new InvalidArgumentError(`${where}.hyperparams.${k}: must be a number, got ${typeof v}`);
    hyperparams[k] = v;
  }
  if (desc.options !== undefined && !isObject(desc.options)) throw new InvalidArgumentError(`${where}.options: must be an object`);
  const { schedules, ...options } = (desc.options ?? {}) as Record<string, JsonValue>;
  if (schedules !== undefined) {
    if (!isObject(schedules)) throw new InvalidArgumentError(`${where}.options.schedules: must be an object of schedule descriptions`);
    for (const [k, s] of Object.entries(schedules)) {
      if (Object.hasOwn(hyperparams, k)) throw new InvalidArgumentError(`${where}.options.schedules.${k}: hyperparameter ${k} is given both as a number and as a schedule`);
      if (!d.schedulable.includes(k)) throw new InvalidArgumentError(`${where}.options.schedules.${k}: not a schedulable hyperparameter of ${d.name} (schedulable: ${d.schedulable.join(', ') || 'none'})`);
      try {
        hyperparams[k] = scheduleAt(s as unknown as ScheduleDescription, registry, 0);
      } catch (e) {
        throw prefixed(e, `${where}.options.schedules.${k}`);
      }
    }
  }
  return completeValues(d, { hyperparams, options, children }, where);
}

/** `e` with `where: ` in front of its message, as an InvalidArgumentError (a natgrad error; anything else as it is). */
function prefixed(e: unknown, where: string): unknown {
  if (!(e instanceof NatgradError)) return e;
  return new InvalidArgumentError(`${where}: ${e.message}`);
}

/**
 * Rebuilds a rule tree from its description. A rule is looked up in `registry` (what `registerRule` and plug-ins
 * added), then among the built-ins.
 * @throws {InvalidArgumentError} for an unknown rule name (listing the known ones), an unknown or missing
 * hyperparameter, option or schedule, or a rule that does not describe itself as the description does;
 * `HyperparameterError` for a value the rule refuses
 */
export function buildRule(desc: RuleDescription, registry: Registry = defaultRegistry): AnyRule {
  checkRegistry('buildRule: registry', registry);
  try {
    return rebuild(desc, registry, 'buildRule', false);
  } catch (e) {
    throw namedBy(e, 'buildRule');
  }
}

/**
 * `buildRule` for a position `where` in a file; with `located`, a rule's own error (a refused value) gets the
 * position and rule name in front. @internal
 */
export function rebuild(desc: RuleDescription, registry: Registry, where: string, located: boolean): AnyRule {
  if (!isObject(desc) || typeof desc.name !== 'string') {
    throw new InvalidArgumentError(`${where}: expected a description { name, hyperparams, … }, got ${desc === null ? 'null' : typeof desc}`);
  }
  const d = registry.rule(desc.name) ?? builtinRegistry().rule(desc.name);
  if (d === undefined) {
    throw new InvalidArgumentError(`${where}: unknown rule "${desc.name}" (registered: ${knownRuleNames(registry).join(', ')}; register it with registerRule)`);
  }
  if (desc.children !== undefined && !Array.isArray(desc.children)) throw new InvalidArgumentError(`${where}.children: must be an array`);
  const children = (desc.children ?? []).map((c, i) => rebuild(c, registry, `${where}.children[${i}]`, located));
  const values = valuesOf(d, desc, children, registry, where);
  let rule: AnyRule;
  try {
    rule = d.create(values);
  } catch (e) {
    throw located ? prefixed(e, `${where} (${desc.name})`) : e;
  }
  // The rebuilt rule must describe itself exactly as the file does (options it left out at their defaults).
  const diff = jsonDifference(withDefaults(desc, d), describeRule(rule), where);
  if (diff !== undefined) throw new InvalidArgumentError(`${diff} (${desc.name} cannot hold what the description says)`);
  return rule;
}

function withDefaults(desc: RuleDescription, d: RuleDefinition): RuleDescription {
  const given = (desc.options ?? {}) as Record<string, JsonValue>;
  const options: Record<string, JsonValue> = {};
  for (const k of d.options) {
    if (Object.hasOwn(given, k)) options[k] = given[k];
    else if (Object.hasOwn(d.optionDefaults, k)) options[k] = d.optionDefaults[k];
  }
  if (given.schedules !== undefined) options.schedules = given.schedules;
  const { options: _o, ...rest } = desc;
  return Object.keys(options).length > 0 ? { ...rest, options } : rest;
}

/**
 * Registers a user-defined rule in the default registry, so that checkpoints holding it can be loaded: pass the
 * constructor `defineRule` returned (or its definition). Names of built-in rules are refused.
 * @example registerRule(SignDescent)
 * @throws {InvalidArgumentError} for a name that is taken (pass `{ replace: true }` to replace a user rule) or malformed
 */
export function registerRule(definition: RuleDefinitionLike, options: RegisterOptions = {}): void {
  const name = (definition as { definition?: { name?: unknown }; name?: unknown })?.definition?.name ?? (definition as { name?: unknown })?.name;
  if (typeof name === 'string' && builtinRegistry().rule(name) !== undefined) {
    throw new InvalidArgumentError(`registerRule: "${name}" is already registered (a built-in rule)`);
  }
  defaultRegistry.registerRule(definition, options);
}

/**
 * Registers a user-defined schedule in the default registry (the constructor `defineSchedule` returned, or its
 * definition). Names of built-in schedules are refused.
 * @throws {InvalidArgumentError} for a name that is taken or malformed
 */
export function registerSchedule(definition: ScheduleDefinitionLike, options: RegisterOptions = {}): void {
  const name = (definition as { definition?: { name?: unknown }; name?: unknown })?.definition?.name ?? (definition as { name?: unknown })?.name;
  if (typeof name === 'string' && builtinRegistry().schedule(name) !== undefined) {
    throw new InvalidArgumentError(`registerSchedule: "${name}" is already registered (a built-in schedule)`);
  }
  defaultRegistry.registerSchedule(definition, options);
}
