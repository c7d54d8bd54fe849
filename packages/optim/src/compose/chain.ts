/** `chain`: rules applied in sequence, each one's step being the next one's gradient. @module */
import { InvalidArgumentError, joinPath } from '@natgrad/core';
import { checkRule } from '../check-rule.js';
import { defineTreeRule } from '../define-tree-rule.js';
import { checkKey } from '../keys.js';
import type { AnyRule } from '../rule.js';

/** Keys of rules in a chain: the rule's key name, with `#2`, `#3`, … for repeats (never a position). */
export function chainKeys(rules: readonly AnyRule[]): string[] {
  const seen = new Map<string, number>();
  return rules.map((r) => {
    const base = keyName(r);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/** The name a rule goes by in a chain: its own, or that of the rule a transparent wrapper wraps. */
export function keyName(rule: AnyRule): string {
  if (rule.definition?.transparent === true && rule.children?.length === 1) return keyName(rule.children[0]);
  return rule.name;
}

/**
 * `chain(...rules)` (Optax `chain`, Optimisers.jl `OptimiserChain`): the gradient goes through the rules in order,
 * each rule's step being the next rule's gradient; the update is the last step. The state is a record keyed by
 * rule name (`{ ClipNorm: …, Adam: … }`), with `#2` for a repeated rule.
 * @throws {InvalidArgumentError} for an argument that is not a rule, or a rule that must come last (one whose step
 * is validated for the parameters it leads to, such as `NaturalGradient` or `backtrack`) followed by another
 */
export const chain = defineTreeRule({
  name: 'Chain',
  children: 'any',
  args: (...rules: AnyRule[]) => ({ children: rules }),
  create: ({ children: rules }) => {
    rules.forEach((r, i) => checkRule(`chain: argument ${i + 1}`, r));
    rules.slice(0, -1).forEach((r, i) => {
      if (r.terminal === true) {
        throw new InvalidArgumentError(
          `chain: argument ${i + 1} (${r.name}) validates the parameters its step leads to, so it must be the last rule of the chain (its step cannot be transformed further)`,
        );
      }
    });
    const keys = chainKeys(rules);
    keys.forEach((k) => checkKey('chain: rule name', k, ''));
    return {
      childKeys: keys,
      handlesNonFinite: rules.some((r) => r.handlesNonFinite === true),
      ...(rules.length > 0 && rules[rules.length - 1].terminal === true ? { terminal: true } : {}),
      init(param) {
        const s: Record<string, unknown> = {};
        rules.forEach((r, i) => {
          s[keys[i]] = r.init(param);
        });
        return s;
      },
      apply(state: Readonly<Record<string, unknown>>, param, grad, ctx) {
        const next: Record<string, unknown> = {};
        let g = grad;
        rules.forEach((r, i) => {
          const [s, step] = r.apply(state[keys[i]], param, g, ctx);
          next[keys[i]] = s;
          g = step;
        });
        return [next, g];
      },
      checkState(state: Readonly<Record<string, unknown>>, where) {
        rules.forEach((r, i) => r.checkState?.(state[keys[i]], joinPath(where, keys[i])));
      },
    };
  },
});
