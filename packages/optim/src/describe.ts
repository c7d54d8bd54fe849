/** Rule descriptions: the JSON form of a rule tree, which checkpoints store and the registry rebuilds. @module */
import { InvalidArgumentError } from '@natgrad/core';
import { checkRule } from './check-rule.js';
import type { AnyRule, Hyperparams, JsonValue } from './rule.js';

/** The JSON description of a rule: enough to rebuild it through a {@link Registry}. */
export interface RuleDescription {
  /** Registered rule name, e.g. `"Adam"` (looked up in a {@link Registry} to rebuild the rule). */
  readonly name: string;
  /** Numeric hyperparameters, exact. */
  readonly hyperparams: Hyperparams;
  /** Non-numeric configuration (options, and schedules in `schedules`), as JSON. */
  readonly options?: JsonValue;
  /** Descriptions of wrapped rules (chain members, partition branches, inner rules), in order. */
  readonly children?: readonly RuleDescription[];
}

/**
 * The JSON description of a rule tree.
 * @throws {InvalidArgumentError} for a rule that has no JSON form yet: a partition whose labels are still a function
 * (`setup` resolves them)
 */
export function describeRule(rule: AnyRule): RuleDescription {
  checkRule('describeRule: rule', rule);
  const d = rule.definition;
  if (d !== undefined) {
    const options = (rule.options ?? {}) as Readonly<Record<string, JsonValue>>;
    const missing = d.options.filter((k) => options[k] === undefined && !Object.hasOwn(d.optionDefaults, k));
    if (missing.length > 0) {
      throw new InvalidArgumentError(
        `describeRule: ${rule.name} has no JSON form until its ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} resolved (a partition with a label function: setup resolves it)`,
      );
    }
  }
  return {
    name: rule.name,
    hyperparams: { ...rule.hyperparams },
    ...(rule.options === undefined ? {} : { options: rule.options }),
    ...(rule.children === undefined ? {} : { children: rule.children.map(describeRule) }),
  };
}
