/** Rule descriptions: the JSON form of a rule tree, which checkpoints store and the registry rebuilds. @module */
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
 * The JSON description of a rule tree. (A partition whose labels are a function describes them as `null` until
 * `setup` resolves them into a label tree.)
 * @throws {InvalidArgumentError} for something that is not a rule
 */
export function describeRule(rule: AnyRule): RuleDescription {
  checkRule('describeRule: rule', rule);
  return {
    name: rule.name,
    hyperparams: { ...rule.hyperparams },
    ...(rule.options === undefined ? {} : { options: rule.options }),
    ...(rule.children === undefined ? {} : { children: rule.children.map(describeRule) }),
  };
}
