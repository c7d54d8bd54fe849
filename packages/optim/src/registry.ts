/**
 * Registries of rule and schedule definitions by name, so that a checkpoint can rebuild any optimiser — built-in or
 * user-defined — from its JSON description. The built-ins are not in any registry object: the checkpoint path knows
 * them (`checkpoint/builtins.ts`), so an app that never loads a checkpoint never loads them. A registry holds what
 * `registerRule` / `registerSchedule` and plug-ins (`@natgrad/optim/natural`) add.
 * @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import { booleanOption, checkOptions, checkStringArg } from './check-rule.js';
import type { RuleConstructor, RuleDefinition } from './definition.js';
import { FORBIDDEN_KEYS } from './keys.js';
import type { ScheduleConstructor, ScheduleDefinition } from './schedules/define-schedule.js';

/** Options of {@link Registry.registerRule} and {@link Registry.registerSchedule}. */
export interface RegisterOptions {
  /** Replace a definition registered under the same name (default false: that is an error). */
  readonly replace?: boolean;
}

/** A rule definition, or the constructor `defineRule` / `defineTreeRule` returned (which carries it). */
export type RuleDefinitionLike = RuleDefinition | RuleConstructor<any, any>;

/** A schedule definition, or the constructor `defineSchedule` returned. */
export type ScheduleDefinitionLike = ScheduleDefinition | ScheduleConstructor<any>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function definitionOf<T extends { readonly name: string }>(where: string, x: unknown, isDefinition: (d: unknown) => boolean): T {
  const d = typeof x === 'function' && 'definition' in x ? (x as { definition: unknown }).definition : x;
  if (!isDefinition(d)) {
    throw new InvalidArgumentError(`${where}: expected a definition, or a constructor made by ${where === 'registerRule' ? 'defineRule / defineTreeRule' : 'defineSchedule'}`);
  }
  const name = (d as T).name;
  if (!NAME.test(name) || FORBIDDEN_KEYS.has(name)) throw new InvalidArgumentError(`${where}: invalid name ${JSON.stringify(name)} (letters, digits and _ only)`);
  return d as T;
}

/** True for something with the shape of a {@link RuleDefinition}. @internal */
export function isRuleDefinition(d: unknown): d is RuleDefinition {
  const x = d as Partial<RuleDefinition> | null;
  return x !== null && typeof x === 'object' && typeof x.name === 'string' && typeof x.create === 'function' && Array.isArray(x.hyperparams) && Array.isArray(x.options);
}

/** True for something with the shape of a {@link ScheduleDefinition}. @internal */
export function isScheduleDefinition(d: unknown): d is ScheduleDefinition {
  const x = d as Partial<ScheduleDefinition> | null;
  return x !== null && typeof x === 'object' && typeof x.name === 'string' && typeof x.create === 'function' && Array.isArray(x.params);
}

/** Rule and schedule definitions by name. Lookups fall back to the parent registry. */
export class Registry {
  private readonly rules = new Map<string, RuleDefinition>();
  private readonly schedules = new Map<string, ScheduleDefinition>();
  /** @param parent registry consulted for names not registered here */
  constructor(private readonly parent?: Registry) {
    if (parent !== undefined && !(parent instanceof Registry)) throw new InvalidArgumentError('Registry: parent must be a Registry');
  }

  /**
   * Registers a rule definition (or the constructor carrying it) under its name. Within this registry and its
   * parents a name is taken once; a name here shadows a built-in of that name (the function `registerRule`, which
   * registers into {@link defaultRegistry}, refuses built-in names).
   * @throws {InvalidArgumentError} if the name is taken (pass `{ replace: true }` to override) or malformed
   */
  registerRule(definition: RuleDefinitionLike, options: RegisterOptions = {}): this {
    const d = definitionOf<RuleDefinition>('registerRule', definition, isRuleDefinition);
    checkOptions('registerRule', options, ['replace']);
    const replace = booleanOption('registerRule', options, 'replace', false);
    const existing = this.rule(d.name);
    if (existing !== undefined && existing !== d && !replace) {
      throw new InvalidArgumentError(`registerRule: "${d.name}" is already registered (pass { replace: true } to override)`);
    }
    this.rules.set(d.name, d);
    return this;
  }

  /**
   * Registers a schedule definition (or its constructor) under its name.
   * @throws {InvalidArgumentError} if the name is taken (pass `{ replace: true }` to override) or malformed
   */
  registerSchedule(definition: ScheduleDefinitionLike, options: RegisterOptions = {}): this {
    const d = definitionOf<ScheduleDefinition>('registerSchedule', definition, isScheduleDefinition);
    checkOptions('registerSchedule', options, ['replace']);
    const replace = booleanOption('registerSchedule', options, 'replace', false);
    const existing = this.schedule(d.name);
    if (existing !== undefined && existing !== d && !replace) {
      throw new InvalidArgumentError(`registerSchedule: "${d.name}" is already registered (pass { replace: true } to override)`);
    }
    this.schedules.set(d.name, d);
    return this;
  }

  /**
   * The rule definition registered as `name` here or in a parent, if any.
   * @throws {InvalidArgumentError} when `name` is not a string
   */
  rule(name: string): RuleDefinition | undefined {
    if (typeof name !== 'string') checkStringArg('Registry.rule: name', name);
    return this.rules.get(name) ?? this.parent?.rule(name);
  }

  /**
   * The schedule definition registered as `name` here or in a parent, if any.
   * @throws {InvalidArgumentError} when `name` is not a string
   */
  schedule(name: string): ScheduleDefinition | undefined {
    if (typeof name !== 'string') checkStringArg('Registry.schedule: name', name);
    return this.schedules.get(name) ?? this.parent?.schedule(name);
  }

  /** Rule names registered here and in the parents, sorted. */
  ruleNames(): string[] {
    return [...new Set([...(this.parent?.ruleNames() ?? []), ...this.rules.keys()])].sort();
  }

  /** Schedule names registered here and in the parents, sorted. */
  scheduleNames(): string[] {
    return [...new Set([...(this.parent?.scheduleNames() ?? []), ...this.schedules.keys()])].sort();
  }
}

/** Returns `r` if it is a {@link Registry}. @throws {InvalidArgumentError} naming `where` otherwise. @internal */
export function checkRegistry(where: string, r: unknown): Registry {
  if (!(r instanceof Registry)) throw new InvalidArgumentError(`${where} must be a Registry (new Registry() or defaultRegistry), got ${r === null ? 'null' : typeof r}`);
  return r;
}

/** The process-wide registry that `registerRule` / `registerSchedule` write to and `load` reads by default. */
export const defaultRegistry: Registry = /* @__PURE__ */ new Registry();
