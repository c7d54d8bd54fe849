/**
 * `defineTreeRule`: a rule that works on whole trees — a composite (chain, partition, accumulate, …) or a transform
 * that needs every leaf at once (ClipNorm's global norm) — as data: name, hyperparameters with their checks, options
 * with their defaults, the number of child rules, and the constructor's arguments mapped to those values. The rule
 * itself is built from checked values by `create`, so a checkpoint rebuilds it and `adjust` changes it like any
 * other.
 * @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import { type RuleConstructor, type RuleDefinition, type RuleImpl, type RuleValues, completeValues, ruleConstructor, ruleOf } from './definition.js';
import { FORBIDDEN_KEYS, keyProblem } from './keys.js';
import type { AnyRule, JsonValue } from './rule.js';
import type { Rate } from './schedules/schedule.js';
import type { Check } from './validate.js';

/** What a tree rule's constructor arguments give: some of its values (the rest are option defaults). */
export interface GivenValues {
  /** Hyperparameters by name. */
  readonly hyperparams?: Readonly<Record<string, Rate>>;
  /** Options by name (JSON). */
  readonly options?: Readonly<Record<string, JsonValue>>;
  /** Child rules. */
  readonly children?: readonly AnyRule[];
  /** Objects with no JSON form for `create` (see {@link RuleValues.extras}). */
  readonly extras?: unknown;
}

/**
 * The definition of a tree rule; see {@link defineTreeRule}.
 * @typeParam F the constructor's type: its arguments mapped to the rule's values
 * @typeParam S the rule's state
 */
export interface TreeRuleSpec<F extends (...args: never[]) => GivenValues, S> {
  /** Registry name, an identifier. */
  readonly name: string;
  /** A check per hyperparameter, in positional order (`{ k: integer(1) }`); a `rate` check makes one schedulable. */
  readonly hyperparams?: Readonly<Record<string, Check<any>>>;
  /** Option names with their defaults; `undefined` for an option without a default (it must be given). */
  readonly options?: Readonly<Record<string, JsonValue | undefined>>;
  /** Number of child rules: exactly that many, or `'any'`. Default 0. */
  readonly children?: number | 'any';
  /** A single-child wrapper that a `chain` keys by the rule it wraps (see {@link RuleDefinition.transparent}). */
  readonly transparent?: boolean;
  /** The constructor's arguments as values. Check the arguments that are not values here (option keys, types). */
  readonly args: F;
  /**
   * The rule's implementation from values whose hyperparameters passed their checks. Options and children are for
   * it to validate (throw `InvalidArgumentError` naming the rule). `values.extras` holds what the constructor's
   * `args` gave as extras; it is undefined for a rule rebuilt from a checkpoint, which resolves them from its options.
   */
  create(values: RuleValues): RuleImpl<S>;
}

const RULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Defines a rule on whole trees and returns its constructor.
 * @example
 * export const accumulate = defineTreeRule({
 *   name: 'Accumulate',
 *   hyperparams: { k: integer(1) },
 *   children: 1,
 *   transparent: true,
 *   args: (k: number, rule: AnyRule) => ({ hyperparams: { k }, children: [rule] }),
 *   create: ({ hyperparams, children }) => ({ init: …, apply: … }),
 * });
 * @typeParam F the constructor's type, inferred from `spec.args`
 * @typeParam S the rule's state, inferred from `spec.create`
 * @throws {InvalidArgumentError} for a malformed definition
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineTreeRule<F extends (...args: never[]) => GivenValues, S>(spec: TreeRuleSpec<F, S>): RuleConstructor<Parameters<F>, S> {
  if (spec === null || typeof spec !== 'object') throw new InvalidArgumentError('defineTreeRule: spec must be an object { name, hyperparams?, options?, children?, args, create }');
  const name = spec.name;
  if (typeof name !== 'string' || !RULE_NAME.test(name) || FORBIDDEN_KEYS.has(name)) {
    throw new InvalidArgumentError(`defineTreeRule: name ${JSON.stringify(name)} must be an identifier (letters, digits and _)`);
  }
  const checks = spec.hyperparams ?? {};
  const optionSpec = spec.options ?? {};
  if (checks === null || typeof checks !== 'object' || Object.values(checks).some((c) => typeof c !== 'function')) {
    throw new InvalidArgumentError(`defineTreeRule ${name}: hyperparams must be an object with a check per hyperparameter`);
  }
  if (optionSpec === null || typeof optionSpec !== 'object') throw new InvalidArgumentError(`defineTreeRule ${name}: options must be an object of defaults`);
  const children = spec.children ?? 0;
  if (children !== 'any' && !(Number.isInteger(children) && (children as number) >= 0)) {
    throw new InvalidArgumentError(`defineTreeRule ${name}: children must be a count ≥ 0 or 'any'`);
  }
  if (typeof spec.args !== 'function' || typeof spec.create !== 'function') throw new InvalidArgumentError(`defineTreeRule ${name}: args and create must be functions`);
  const names = Object.keys(checks);
  const optionDefaults: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(optionSpec)) {
    if (keyProblem(k) !== undefined || k === 'schedules') throw new InvalidArgumentError(`defineTreeRule ${name}: option name ${JSON.stringify(k)} is not allowed`);
    if (v !== undefined) optionDefaults[k] = v;
  }
  for (const k of names) if (keyProblem(k) !== undefined) throw new InvalidArgumentError(`defineTreeRule ${name}: hyperparameter name ${JSON.stringify(k)} is not allowed`);
  const definition: RuleDefinition = Object.freeze({
    name,
    hyperparams: Object.freeze(names),
    schedulable: Object.freeze(names.filter((k) => (checks[k] as { schedulable?: boolean }).schedulable === true)),
    options: Object.freeze(Object.keys(optionSpec)),
    optionDefaults: Object.freeze(optionDefaults),
    children,
    ...(spec.transparent === true ? { transparent: true } : {}),
    create(values: RuleValues): AnyRule {
      const hyperparams: Record<string, Rate> = {};
      for (const k of names) hyperparams[k] = checks[k](name, k, values.hyperparams[k]);
      const checked: RuleValues = { hyperparams, options: values.options, children: values.children, ...(values.extras === undefined ? {} : { extras: values.extras }) };
      return ruleOf(definition, checked, spec.create(checked));
    },
  });
  return ruleConstructor(definition, (...args: Parameters<F>) => {
    const given = (spec.args as unknown as (...a: unknown[]) => GivenValues)(...args);
    const values: RuleValues = { hyperparams: given.hyperparams ?? {}, options: given.options ?? {}, children: given.children ?? [], extras: given.extras };
    return definition.create(completeValues(definition, values, name)) as never;
  });
}
