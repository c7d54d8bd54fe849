/**
 * Rules as data (Optimisers.jl `rules.jl`, Optax `transform.py`): a {@link RuleDefinition} says what a rule is made of
 * — its name, its hyperparameters (which of them accept schedules), its options with their defaults and how many
 * child rules it wraps — and builds the rule from those values. Every rule a definition builds remembers the
 * definition and the values, so a checkpoint can rebuild any rule from its description through the registry, and
 * `adjust` can change a hyperparameter anywhere in a rule tree, without a table of constructors.
 * @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import type { AnyRule, JsonValue, Rule } from './rule.js';
import { type Rate, describeSchedule, isSchedule } from './schedules/schedule.js';

/** The values a rule is built from: hyperparameters (numbers, or schedules where allowed), options, child rules. */
export interface RuleValues {
  /** Every hyperparameter of the definition: a number, or a schedule for a schedulable one. */
  readonly hyperparams: Readonly<Record<string, Rate>>;
  /** Every option of the definition (JSON values). */
  readonly options: Readonly<Record<string, JsonValue>>;
  /** The child rules (none for a rule that acts on tensors). */
  readonly children: readonly AnyRule[];
  /**
   * Objects with no JSON form that the constructor was given — a label function, a constraint, coordinates — kept
   * with the values so that `adjust` and `bind` rebuild the rule with them. A rule rebuilt from a description has
   * none and resolves them from its options (by name).
   */
  readonly extras?: unknown;
}

/** What a rule is made of, and how to build it: the data a checkpoint and `adjust` work from. */
export interface RuleDefinition {
  /** Registry name, the rule's `name` (an identifier). */
  readonly name: string;
  /** Hyperparameter names, in positional order. */
  readonly hyperparams: readonly string[];
  /** The hyperparameters that accept a schedule. */
  readonly schedulable: readonly string[];
  /** Option names. */
  readonly options: readonly string[];
  /** Defaults of the options that have one (an option without a default must be given). */
  readonly optionDefaults: Readonly<Record<string, JsonValue>>;
  /** Number of child rules: exactly that many, or `'any'` (chain, partition). */
  readonly children: number | 'any';
  /**
   * True for single-child wrappers that do not rename what they wrap: inside a `chain`, `accumulate(2, Adam())` is
   * keyed `"Adam"`, as the rule it wraps.
   */
  readonly transparent?: boolean;
  /**
   * Builds the rule from complete values (every hyperparameter and option named, the right number of children).
   * @throws {HyperparameterError} for a value its checks refuse; {@link InvalidArgumentError} for a bad option or child
   */
  create(values: RuleValues): AnyRule;
}

/** A rule constructor made from a definition (`Adam`, `chain`, …): call it to build a rule. */
export interface RuleConstructor<A extends readonly unknown[], S> {
  /** Builds the rule. */
  (...args: A): Rule<S>;
  /** The definition the rule is built from (what `registerRule` registers). */
  readonly definition: RuleDefinition;
}

/** The parts of a rule a definition supplies; its identity (name, hyperparameters, options, children) is added. */
export type RuleImpl<S> = Omit<Rule<S>, 'name' | 'hyperparams' | 'options' | 'children' | 'definition' | 'values'>;

/** `fn` as a constructor carrying `definition`. */
/* @__NO_SIDE_EFFECTS__ */
export function ruleConstructor<A extends readonly unknown[], S>(definition: RuleDefinition, fn: (...args: A) => Rule<S>): RuleConstructor<A, S> {
  Object.defineProperty(fn, 'definition', { value: definition, enumerable: true });
  Object.defineProperty(fn, 'name', { value: definition.name });
  return fn as RuleConstructor<A, S>;
}

/**
 * The rule `definition` builds from `values`, given its implementation: name, numeric hyperparameters, options (with
 * the schedules in `options.schedules`, as checkpoints store them) and children are filled in from the values, and a
 * composite without its own `bind` rebinds its children. @internal
 */
export function ruleOf<S>(definition: RuleDefinition, values: RuleValues, impl: RuleImpl<S>): Rule<S> {
  const hyperparams: Record<string, number> = {};
  const schedules: Record<string, JsonValue> = {};
  for (const k of definition.hyperparams) {
    const v = values.hyperparams[k];
    if (isSchedule(v)) schedules[k] = describeSchedule(v) as unknown as JsonValue;
    else hyperparams[k] = v;
  }
  const options: Record<string, JsonValue> = {};
  for (const k of definition.options) if (values.options[k] !== undefined) options[k] = values.options[k];
  if (Object.keys(schedules).length > 0) options.schedules = schedules;
  const rule: Rule<S> = {
    name: definition.name,
    hyperparams,
    ...(Object.keys(options).length > 0 ? { options } : {}),
    ...(definition.children === 0 ? {} : { children: values.children }),
    definition,
    values,
    ...impl,
  };
  if (definition.children !== 0 && impl.bind === undefined) {
    (rule as { bind?: Rule<S>['bind'] }).bind = function bind(param) {
      const bound = values.children.map((c) => (c.bind ? c.bind(param) : c));
      return bound.every((b, i) => b === values.children[i]) ? rule : (definition.create({ ...values, children: bound }) as Rule<S>);
    };
  }
  return rule;
}

/**
 * Checks that `values` name exactly the definition's hyperparameters and options and hold the right number of
 * children, schedules only where schedulable; fills in option defaults. @internal
 * @throws {InvalidArgumentError} naming `where` and the key
 */
export function completeValues(definition: RuleDefinition, values: RuleValues, where: string): RuleValues {
  const d = definition;
  for (const k of Object.keys(values.hyperparams)) {
    if (!d.hyperparams.includes(k)) throw new InvalidArgumentError(`${where}.hyperparams.${k}: not a hyperparameter of ${d.name} (it has ${list(d.hyperparams)})`);
  }
  for (const k of d.hyperparams) {
    const v = Object.hasOwn(values.hyperparams, k) ? values.hyperparams[k] : undefined;
    if (v === undefined) throw new InvalidArgumentError(`${where}.hyperparams.${k}: missing (a hyperparameter of ${d.name})`);
    if (isSchedule(v) && !d.schedulable.includes(k)) {
      throw new InvalidArgumentError(`${where}.hyperparams.${k}: a number, not a schedule (schedulable hyperparameters of ${d.name}: ${list(d.schedulable)})`);
    }
  }
  const options: Record<string, JsonValue> = {};
  for (const k of Object.keys(values.options)) {
    if (!d.options.includes(k)) throw new InvalidArgumentError(`${where}.options.${k}: not an option of ${d.name} (it has ${list(d.options)})`);
  }
  for (const k of d.options) {
    const v = Object.hasOwn(values.options, k) ? values.options[k] : Object.hasOwn(d.optionDefaults, k) ? d.optionDefaults[k] : undefined;
    if (v === undefined) throw new InvalidArgumentError(`${where}.options.${k}: missing (an option of ${d.name} without a default)`);
    options[k] = v;
  }
  const n = values.children.length;
  if (d.children !== 'any' && n !== d.children) throw new InvalidArgumentError(`${where}.children: ${d.name} takes ${d.children} child rule(s), got ${n}`);
  return { hyperparams: values.hyperparams, options, children: values.children, ...(values.extras === undefined ? {} : { extras: values.extras }) };
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}
