/** `injectHyperparams`: marks a rule whose hyperparameters may be changed mid-run. @module */
import { checkRule } from '../check-rule.js';
import type { AnyRule, Rule } from '../rule.js';

/**
 * `injectHyperparams(rule)` (Optax `inject_hyperparams`, Optimisers.jl `adjust!`): the same rule — same state, same
 * arithmetic, so bit-for-bit the same updates — but `setHyperparams(opt, path, { lr: … })` may replace its
 * hyperparameters between updates without touching its state (momentum, Adam moments), and `getHyperparams(opt)`
 * reads them. The hyperparameters live in the rule (the optimiser state holds the rule), so a checkpoint saves the
 * current values and a resumed run continues with them.
 */
export function injectHyperparams<S>(rule: Rule<S>): Rule<S> {
  checkRule('injectHyperparams: rule', rule);
  return {
    name: 'InjectHyperparams',
    hyperparams: {},
    children: [rule as AnyRule],
    handlesNonFinite: rule.handlesNonFinite,
    ...(rule.terminal === true ? { terminal: true } : {}),
    bind(param) {
      const b = rule.bind ? rule.bind(param) : rule;
      return b === rule ? this : injectHyperparams(b);
    },
    init: (param) => rule.init(param),
    apply: (state, param, grad, ctx) => rule.apply(state, param, grad, ctx),
    checkState: (state, where) => rule.checkState?.(state, where),
  };
}
