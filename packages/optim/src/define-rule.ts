/**
 * `defineRule`: a rule that acts on each tensor on its own, as data — its name, its hyperparameters with defaults,
 * positional order and checks, its options, the domain of its state, and the per-tensor `init` and `apply`. One short
 * file per rule (see `rules/adam.ts`); the registry rebuilds it from a checkpoint and `adjust` changes its
 * hyperparameters without any table entry.
 * @module
 */
import { InvalidArgumentError, type Tensor } from '@natgrad/core';
import { checkOptions } from './check-rule.js';
import { type RuleConstructor, type RuleDefinition, type RuleValues, ruleConstructor, ruleOf } from './definition.js';
import type { Domain } from './domain.js';
import { FORBIDDEN_KEYS, keyProblem } from './keys.js';
import { type LeafState, type LeafStates, leafTree } from './leaf-rule.js';
import type { ApplyContext, JsonValue } from './rule.js';
import { type Rate, isSchedule } from './schedules/schedule.js';
import type { Check } from './validate.js';

/** The value of an option: a flag, a number or a name. */
export type OptionValue = boolean | number | string;

/** Option types widened from their defaults' literal types (`false` → `boolean`). */
export type OptionTypes<O> = { readonly [K in keyof O]: O[K] extends boolean ? boolean : O[K] extends number ? number : O[K] extends string ? string : O[K] };

/** Hyperparameters as `apply` sees them: every schedule evaluated at the update's schedule step, and the options. */
export type RuleConfig<H, O> = { readonly [K in keyof H]: number } & OptionTypes<O>;

/** The positional constructor of a rule's hyperparameters (see {@link RuleSpec.hyperparams}). */
export type HyperparamsFn = (...args: never[]) => Readonly<Record<string, Rate>>;

/** The definition of a per-tensor rule; see {@link defineRule}. */
export interface RuleSpec<F extends HyperparamsFn, O extends Readonly<Record<string, OptionValue>>, S extends LeafState, H = ReturnType<F>> {
  /** Registry name, an identifier (`"Adam"`); it keys the rule's state in a `chain` and names it in checkpoints. */
  readonly name: string;
  /**
   * The positional constructor: one parameter per hyperparameter, with its default, returning them by name in the
   * same order — `(lr: Rate = 0.001, beta1 = 0.9) => ({ lr, beta1 })`. Type a parameter `Rate` to let it take a
   * schedule (its check must be `rate`).
   */
  readonly hyperparams: F;
  /** A check per hyperparameter (`rate`, `nonNegative`, `positive`, `unitInterval`, `integer(1)`, or your own). */
  readonly check: { readonly [K in keyof H]-?: Check<H[K]> };
  /**
   * Options with their defaults (`{ centred: false }`): flags, numbers or names that select a variant. Given as a last
   * constructor argument (`RMSProp(1e-3, 0.9, 1e-8, { centred: true })`); a value must have its default's type.
   */
  readonly options?: O;
  /**
   * The domain of each state field (`{ v: NON_NEGATIVE }`); fields not listed may be any finite number. `load` checks
   * a checkpoint's state against it, so declare what the rule can produce — for any hyperparameters `adjust` may set.
   */
  readonly domain?: Readonly<Record<string, Domain>>;
  /** The state for one parameter tensor: a plain object of numbers and tensors (what checkpoints can save). */
  init(param: Tensor, h: RuleConfig<H, O>): S;
  /** The new state and the step for one tensor (the update is `param − step`); `h` holds this update's values. */
  apply(state: S, param: Tensor, grad: Tensor, h: RuleConfig<H, O>, ctx: ApplyContext): readonly [S, Tensor];
}

/** The constructor {@link defineRule} returns: the positional hyperparameters, then the options object if any. */
export type LeafRuleConstructor<A extends readonly unknown[], O, S extends LeafState> = RuleConstructor<
  keyof O extends never ? A : [...A, options?: Partial<OptionTypes<O>>],
  LeafStates<S>
>;

/** Rule names key chain states and checkpoints: identifiers. */
const RULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Defines a rule that acts on each parameter tensor on its own, and returns its constructor. The rule handles trees,
 * per-path state, masked (frozen) leaves and missing gradients, schedules, checkpoints (`registerRule` makes a user
 * rule loadable; built-ins are known) and `adjust`.
 * @example
 * export const SignDescent = defineRule({
 *   name: 'SignDescent',
 *   hyperparams: (lr: Rate = 0.01) => ({ lr }),
 *   check: { lr: rate },
 *   init: () => ({}),
 *   apply: (s, _p, g, h) => [s, new Tensor(g.data.map((x) => h.lr * Math.sign(x)), g.shape)],
 * });
 * @throws {InvalidArgumentError} for a malformed definition (a name that is not an identifier, a hyperparameter
 * without a check, …)
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineRule<F extends HyperparamsFn, S extends LeafState, O extends Readonly<Record<string, OptionValue>> = Record<never, never>>(
  spec: RuleSpec<F, O, S>,
): LeafRuleConstructor<Parameters<F>, O, S> {
  type H = ReturnType<F>;
  const { name, names, optionDefaults } = checkSpec(spec as unknown as RuleSpec<(...args: unknown[]) => Record<string, Rate>, Record<string, OptionValue>, LeafState>);
  const schedulable = names.filter((k) => (spec.check[k as keyof H] as { schedulable?: boolean }).schedulable === true);
  const optionNames = Object.keys(optionDefaults);
  const domain = Object.freeze({ ...(spec.domain ?? {}) });
  const definition: RuleDefinition = Object.freeze({
    name,
    hyperparams: Object.freeze(names),
    schedulable: Object.freeze(schedulable),
    options: Object.freeze(optionNames),
    optionDefaults,
    children: 0,
    create(values: RuleValues) {
      const hyperparams: Record<string, Rate> = {};
      for (const k of names) hyperparams[k] = (spec.check[k as keyof H] as unknown as Check<Rate>)(name, k, values.hyperparams[k]);
      const options: Record<string, JsonValue> = {};
      for (const k of optionNames) {
        const v = values.options[k];
        if (typeof v !== typeof optionDefaults[k]) {
          throw new InvalidArgumentError(`${name}: option ${k} must be a ${typeof optionDefaults[k]}, got ${v === null ? 'null' : typeof v}`);
        }
        options[k] = v;
      }
      const scheduled = names.filter((k) => isSchedule(hyperparams[k]));
      const fixed = Object.freeze({ ...hyperparams, ...options }) as unknown as RuleConfig<H, O>;
      const at = (ctx: ApplyContext | undefined): RuleConfig<H, O> => {
        if (scheduled.length === 0) return fixed;
        const t = ctx === undefined ? 0 : (ctx.scheduleStep ?? ctx.step);
        const h: Record<string, unknown> = { ...fixed };
        for (const k of scheduled) h[k] = (hyperparams[k] as (t: number) => number)(t);
        return h as RuleConfig<H, O>;
      };
      const impl = leafTree<S, RuleConfig<H, O>>({ name, domain, at, init: spec.init, apply: spec.apply });
      return ruleOf(definition, { hyperparams, options, children: [] }, impl);
    },
  });
  const arity = names.length;
  return ruleConstructor(definition, (...args: unknown[]) => {
    if (args.length > arity + (optionNames.length > 0 ? 1 : 0)) {
      throw new InvalidArgumentError(`${name}: expected at most ${arity} hyperparameter(s)${optionNames.length > 0 ? ' and an options object' : ''}, got ${args.length} arguments`);
    }
    const given = args.length > arity ? args[arity] : undefined;
    checkOptions(name, given, optionNames);
    const options = { ...optionDefaults, ...(given as Record<string, JsonValue> | undefined) };
    for (const k of optionNames) if (options[k] === undefined) options[k] = optionDefaults[k];
    const hyperparams = (spec.hyperparams as unknown as (...a: unknown[]) => Record<string, Rate>)(...args.slice(0, arity));
    return definition.create({ hyperparams, options, children: [] });
  }) as unknown as LeafRuleConstructor<Parameters<F>, O, S>;
}

function checkSpec(spec: RuleSpec<(...args: unknown[]) => Record<string, Rate>, Record<string, OptionValue>, LeafState>) {
  if (spec === null || typeof spec !== 'object') throw new InvalidArgumentError('defineRule: spec must be an object { name, hyperparams, check, init, apply }');
  const name = spec.name;
  if (typeof name !== 'string' || !RULE_NAME.test(name) || FORBIDDEN_KEYS.has(name)) {
    throw new InvalidArgumentError(`defineRule: name ${JSON.stringify(name)} must be an identifier (letters, digits and _)`);
  }
  if (typeof spec.hyperparams !== 'function') throw new InvalidArgumentError(`defineRule ${name}: hyperparams must be a function (…) => ({ … }) giving their defaults`);
  const defaults: unknown = spec.hyperparams();
  if (defaults === null || typeof defaults !== 'object') throw new InvalidArgumentError(`defineRule ${name}: hyperparams() must return an object of hyperparameters`);
  const names = Object.keys(defaults);
  if (spec.check === null || typeof spec.check !== 'object') throw new InvalidArgumentError(`defineRule ${name}: check must be an object with a check per hyperparameter`);
  for (const k of names) {
    if (keyProblem(k) !== undefined) throw new InvalidArgumentError(`defineRule ${name}: hyperparameter name ${JSON.stringify(k)} is not allowed (${keyProblem(k)})`);
    if (typeof (Object.hasOwn(spec.check, k) ? spec.check[k] : undefined) !== 'function') throw new InvalidArgumentError(`defineRule ${name}: no check for hyperparameter ${k}`);
  }
  for (const k of Object.keys(spec.check)) if (!names.includes(k)) throw new InvalidArgumentError(`defineRule ${name}: check for ${k}, which is not a hyperparameter`);
  const optionDefaults: Record<string, JsonValue> = {};
  if (spec.options !== undefined) {
    if (spec.options === null || typeof spec.options !== 'object') throw new InvalidArgumentError(`defineRule ${name}: options must be an object of defaults`);
    for (const [k, v] of Object.entries(spec.options)) {
      if (keyProblem(k) !== undefined || k === 'schedules' || names.includes(k)) throw new InvalidArgumentError(`defineRule ${name}: option name ${JSON.stringify(k)} is not allowed`);
      if (!['boolean', 'number', 'string'].includes(typeof v)) throw new InvalidArgumentError(`defineRule ${name}: option ${k} needs a default that is a boolean, a number or a string`);
      optionDefaults[k] = v;
    }
  }
  if (typeof spec.init !== 'function' || typeof spec.apply !== 'function') throw new InvalidArgumentError(`defineRule ${name}: init and apply must be functions`);
  return { name, names, optionDefaults: Object.freeze(optionDefaults) };
}
