/** `applyIfFinite`: skip steps with non-finite gradients or updates (Optax `apply_if_finite`). @module */
import { Tensor, joinPath, treeFlattenWithPath, treeMapWithPath } from '@natgrad/core';
import { checkOptions, checkRule } from '../check-rule.js';
import { defineTreeRule } from '../define-tree-rule.js';
import type { RuleImpl } from '../definition.js';
import { COUNTER, checkDomain, interval } from '../domain.js';
import { InvalidStateError, TooManyNonFiniteStepsError } from '../errors.js';
import type { AnyRule, Params } from '../rule.js';
import { allFinite, firstNonFinite } from '../tree-utils.js';
import { integer } from '../validate.js';

/** State of {@link applyIfFinite}: the inner state and skip counters. */
export interface ApplyIfFiniteState {
  /** Non-finite steps skipped in a row (reset by a finite one). */
  readonly consecutive: number;
  /** Non-finite steps skipped in total. */
  readonly total: number;
  /** State of the wrapped rule (unchanged by skipped steps). */
  readonly inner: unknown;
}

/** Options of {@link applyIfFinite}. */
export interface ApplyIfFiniteOptions {
  /** Non-finite steps in a row that are skipped before `update` throws (default 10). */
  readonly maxConsecutive?: number;
}

function firstNonFiniteLeaf(tree: Params): string | undefined {
  for (const [path, l] of treeFlattenWithPath<Tensor>(tree)[0]) if (!allFinite(l.data)) return path;
  return undefined;
}

/**
 * `applyIfFinite(rule, { maxConsecutive = 10 })`: when the gradient, the step `rule` computes, or the state it would
 * move to holds NaN/±∞, the update is skipped — zero step, inner state kept — counted in the state, and reported as a
 * `'skip-nonfinite'` event.
 * @throws {TooManyNonFiniteStepsError} from `update` when more than `maxConsecutive` steps in a row would be skipped
 * @throws {InvalidArgumentError} when `rule` is not a rule or an option is unknown
 */
export const applyIfFinite = defineTreeRule({
  name: 'ApplyIfFinite',
  hyperparams: { maxConsecutive: integer(0) },
  children: 1,
  transparent: true,
  args: (rule: AnyRule, options: ApplyIfFiniteOptions = {}) => {
    checkRule('applyIfFinite: rule', rule);
    checkOptions('applyIfFinite', options, ['maxConsecutive']);
    return { hyperparams: { maxConsecutive: options.maxConsecutive ?? 10 }, children: [rule] };
  },
  create: ({ hyperparams, children }): RuleImpl<ApplyIfFiniteState> => {
    const maxConsecutive = hyperparams.maxConsecutive as number;
    const rule = checkRule('applyIfFinite: rule', children[0]);
    return {
      handlesNonFinite: true,
      ...(rule.terminal === true ? { terminal: true } : {}),
      checkState(state: ApplyIfFiniteState, where) {
        checkDomain(joinPath(where, 'consecutive'), state.consecutive, interval(0, maxConsecutive, true));
        checkDomain(joinPath(where, 'total'), state.total, COUNTER);
        if (state.total < state.consecutive) throw new InvalidStateError(joinPath(where, 'total'), `is ${state.total}, fewer than the ${state.consecutive} consecutive skips`);
        rule.checkState?.(state.inner, joinPath(where, 'inner'));
      },
      init: (param): ApplyIfFiniteState => ({ consecutive: 0, total: 0, inner: rule.init(param) }),
      apply(state: ApplyIfFiniteState, param, grad, ctx) {
        // Non-finite gradients are not handed to the inner rule at all: it might throw (a Cholesky of NaNs) or keep NaN
        // in its moments for ever.
        let bad = firstNonFiniteLeaf(grad);
        let where = 'gradient';
        if (bad === undefined) {
          const [inner, step] = rule.apply(state.inner, param, grad, ctx);
          bad = firstNonFiniteLeaf(step);
          where = 'step';
          if (bad === undefined) {
            const badState = firstNonFinite(inner, state.inner);
            if (badState === undefined) return [{ consecutive: 0, total: state.total, inner }, step];
            bad = badState.path;
            where = 'state';
          }
        }
        const consecutive = state.consecutive + 1;
        if (consecutive > maxConsecutive) throw new TooManyNonFiniteStepsError(ctx.step, consecutive, maxConsecutive, bad);
        ctx.emit({
          type: 'skip-nonfinite',
          message: `non-finite ${where} at "${bad}": update skipped (${consecutive} in a row, at most ${maxConsecutive})`,
          data: { consecutive, total: state.total + 1 },
        });
        const zero = treeMapWithPath((_p: string, x: Tensor) => Tensor.zeros(x.shape), param) as Params;
        return [{ consecutive, total: state.total + 1, inner: state.inner }, zero];
      },
    };
  },
});
