/**
 * The plugin registry: rules and schedules by name, so that a checkpoint can rebuild any optimiser — built-in or
 * user-defined — from its JSON description. Built-ins come from a static table (builtins.ts), not from import side
 * effects, so they are there however the package is bundled or tree-shaken.
 * @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import { BUILTIN_RULES, BUILTIN_SCHEDULES } from './builtins.js';
import { checkOptions, checkRule } from './check-rule.js';
import type { AnyRule, Hyperparams, JsonValue } from './rule.js';
import { type Schedule, type ScheduleDescription, isSchedule } from './schedules.js';

/** The JSON description of a rule: enough to rebuild it through a {@link Registry}. */
export interface RuleDescription {
  /** Registered rule name, e.g. `"Adam"` (looked up in a {@link Registry} to rebuild the rule). */
  readonly name: string;
  /** Numeric hyperparameters, exact. */
  readonly hyperparams: Hyperparams;
  /** Non-numeric configuration (schedules, flags), as JSON. */
  readonly options?: JsonValue;
  /** Descriptions of wrapped rules (chain members, partition branches, inner rules), in order. */
  readonly children?: readonly RuleDescription[];
}

/**
 * Rebuilds a rule from its description; `children` are already rebuilt. Throw (e.g. `HyperparameterError`) on
 * values the rule does not accept: `load` turns that into a `CheckpointError` naming the rule.
 */
export type RuleFactory = (hyperparams: Hyperparams, options: JsonValue | undefined, children: readonly AnyRule[], registry: Registry) => AnyRule;

/** Rebuilds a schedule from its numbers. */
export type ScheduleFactory = (params: Readonly<Record<string, number>>) => Schedule;

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

function checkDescription(where: string, desc: unknown): void {
  if (desc === null || typeof desc !== 'object' || typeof (desc as { name?: unknown }).name !== 'string') {
    throw new InvalidArgumentError(`${where}: expected a description { name, … }, got ${desc === null ? 'null' : typeof desc}`);
  }
}

function checkName(kind: string, name: string): void {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || RESERVED.has(name)) {
    throw new InvalidArgumentError(`register${kind}: invalid name ${JSON.stringify(name)} (letters, digits and _ only)`);
  }
}

function checkFactory(where: string, name: string, factory: unknown, options: unknown): void {
  if (typeof factory !== 'function') throw new InvalidArgumentError(`${where}: the factory for "${name}" must be a function, got ${typeof factory}`);
  checkOptions(where, options, ['replace']);
}

/** A registry of rule and schedule factories. Lookups fall back to the parent, and finally to the built-ins. */
export class Registry {
  private readonly rules = new Map<string, RuleFactory>();
  private readonly schedules = new Map<string, ScheduleFactory>();
  /** @param parent registry consulted for names not registered here (default: built-ins only) */
  constructor(private readonly parent?: Registry) {}

  /**
   * Registers a rule factory under `name` (the rule's `name` field).
   * @throws {InvalidArgumentError} if the name is taken (pass `{ replace: true }` to override) or malformed
   */
  registerRule(name: string, factory: RuleFactory, options: { replace?: boolean } = {}): this {
    checkName('Rule', name);
    checkFactory('registerRule', name, factory, options);
    if (!options.replace && this.rule(name) !== undefined) {
      throw new InvalidArgumentError(`registerRule: "${name}" is already registered (pass { replace: true } to override)`);
    }
    this.rules.set(name, factory);
    return this;
  }

  /** Registers a schedule factory under `name` (the schedule's `schedule` field). */
  registerSchedule(name: string, factory: ScheduleFactory, options: { replace?: boolean } = {}): this {
    checkName('Schedule', name);
    checkFactory('registerSchedule', name, factory, options);
    if (!options.replace && this.schedule(name) !== undefined) {
      throw new InvalidArgumentError(`registerSchedule: "${name}" is already registered (pass { replace: true } to override)`);
    }
    this.schedules.set(name, factory);
    return this;
  }

  /** The factory for rule `name`, if any. */
  rule(name: string): RuleFactory | undefined {
    return this.rules.get(name) ?? this.parent?.rule(name) ?? (Object.hasOwn(BUILTIN_RULES, name) ? BUILTIN_RULES[name] : undefined);
  }

  /** The factory for schedule `name`, if any. */
  schedule(name: string): ScheduleFactory | undefined {
    return (
      this.schedules.get(name) ?? this.parent?.schedule(name) ?? (Object.hasOwn(BUILTIN_SCHEDULES, name) ? BUILTIN_SCHEDULES[name] : undefined)
    );
  }

  /** All rule names known here, sorted. */
  ruleNames(): string[] {
    return [...new Set([...Object.keys(BUILTIN_RULES), ...(this.parent?.ruleNames() ?? []), ...this.rules.keys()])].sort();
  }

  /** All schedule names known here, sorted. */
  scheduleNames(): string[] {
    return [...new Set([...Object.keys(BUILTIN_SCHEDULES), ...(this.parent?.scheduleNames() ?? []), ...this.schedules.keys()])].sort();
  }
}

/** The process-wide registry that {@link registerRule} writes to and `load` reads by default. */
export const defaultRegistry = new Registry();

/**
 * Registers a user-defined rule so that checkpoints can rebuild it (a few lines; see the README):
 * @example registerRule('Sign', (h) => SignDescent(h.lr))
 */
export function registerRule(name: string, factory: RuleFactory, options: { replace?: boolean } = {}): void {
  defaultRegistry.registerRule(name, factory, options);
}

/** Registers a user-defined schedule in the default registry. */
export function registerSchedule(name: string, factory: ScheduleFactory, options: { replace?: boolean } = {}): void {
  defaultRegistry.registerSchedule(name, factory, options);
}

/**
 * The JSON description of a rule tree.
 * @throws {InvalidArgumentError} for a partition whose labels are still a function (`setup` resolves them)
 */
export function describeRule(rule: AnyRule): RuleDescription {
  checkRule('describeRule: rule', rule);
  if (rule.name === 'Partition' && rule.options === undefined) {
    throw new InvalidArgumentError('describeRule: a partition with a label function has no JSON form until setup resolves its labels');
  }
  return {
    name: rule.name,
    hyperparams: { ...rule.hyperparams },
    ...(rule.options === undefined ? {} : { options: rule.options }),
    ...(rule.children === undefined ? {} : { children: rule.children.map(describeRule) }),
  };
}

/**
 * Rebuilds a rule tree from its description.
 * @throws {InvalidArgumentError} for an unknown rule name (listing the registered ones); factories' own errors pass
 */
export function buildRule(desc: RuleDescription, registry: Registry = defaultRegistry): AnyRule {
  checkDescription('buildRule', desc);
  const factory = registry.rule(desc.name);
  if (factory === undefined) {
    throw new InvalidArgumentError(`unknown rule "${desc.name}" (registered: ${registry.ruleNames().join(', ')})`);
  }
  const children = (desc.children ?? []).map((c) => buildRule(c, registry));
  return factory(desc.hyperparams, desc.options, children, registry);
}

/**
 * Rebuilds a schedule from its description.
 * @throws {InvalidArgumentError} for an unknown schedule name
 */
export function buildSchedule(desc: ScheduleDescription, registry: Registry = defaultRegistry): Schedule {
  checkDescription('buildSchedule', desc);
  const factory = registry.schedule(desc.name);
  if (factory === undefined) {
    throw new InvalidArgumentError(`unknown schedule "${desc.name}" (registered: ${registry.scheduleNames().join(', ')})`);
  }
  const s = factory(desc.params);
  if (!isSchedule(s)) throw new InvalidArgumentError(`schedule factory "${desc.name}" did not return a schedule`);
  return s;
}
