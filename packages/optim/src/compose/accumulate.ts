/** `accumulate(k, rule)`: gradient accumulation over k micro-steps (Optax `MultiSteps`). @module */
import { Tensor, joinPath, treeFlattenWithPath, treeMapWithPath } from '@natgrad/core';
import { checkRule } from '../check-rule.js';
import { scheduleStepOf, withScheduleStep } from '../context.js';
import { defineTreeRule } from '../define-tree-rule.js';
import type { RuleImpl } from '../definition.js';
import { checkDomain, interval } from '../domain.js';
import type { AnyRule, Params } from '../rule.js';
import { integer } from '../validate.js';

/** State of {@link accumulate}: micro-steps since the last real step, gradient sums by parameter path, inner state. */
export interface AccumulateState {
  /** Micro-steps accumulated since the last real step (0 … k−1). */
  readonly count: number;
  /** Gradient sums by parameter path. */
  readonly sums: Readonly<Record<string, Tensor>>;
  /** State of the wrapped rule. */
  readonly inner: unknown;
}

function add(a: Tensor, b: Tensor): Tensor {
  const out = new Float64Array(a.size);
  for (let j = 0; j < out.length; j++) out[j] = a.data[j] + b.data[j];
  return new Tensor(out, a.shape);
}

/**
 * `accumulate(k, rule)`: micro-steps 1 … k−1 only add the gradient to a running sum (zero step); the k-th applies
 * `rule` once to the mean gradient (sum / k) and resets the sums. Schedules inside `rule` advance once per real step.
 * A parameter with no gradient at a micro-step adds nothing to its sum; one with none at the k-th is not stepped and
 * keeps its sum for the next real step.
 * @throws {HyperparameterError} unless k is an integer ≥ 1
 */
export const accumulate = defineTreeRule({
  name: 'Accumulate',
  hyperparams: { k: integer(1) },
  children: 1,
  transparent: true,
  args: (k: number, rule: AnyRule) => ({ hyperparams: { k }, children: [rule] }),
  create: ({ hyperparams, children }): RuleImpl<AccumulateState> => {
    const k = hyperparams.k as number;
    const rule = checkRule('accumulate: rule', children[0]);
    return {
      handlesNonFinite: rule.handlesNonFinite,
      ...(rule.terminal === true ? { terminal: true } : {}),
      checkState(state: AccumulateState, where) {
        checkDomain(joinPath(where, 'count'), state.count, interval(0, k - 1, true));
        rule.checkState?.(state.inner, joinPath(where, 'inner'));
      },
      init(param): AccumulateState {
        const sums: Record<string, Tensor> = {};
        for (const [path, l] of treeFlattenWithPath<Tensor>(param)[0]) sums[path] = Tensor.zeros(l.shape);
        return { count: 0, sums, inner: rule.init(param) };
      },
      apply(state: AccumulateState, param, grad, ctx) {
        const sums: Record<string, Tensor> = { ...state.sums };
        const grads = treeFlattenWithPath<Tensor>(grad)[0];
        for (const [path, g] of grads) sums[path] = add(state.sums[path], g);
        const count = state.count + 1;
        if (count < k) {
          const zeros = treeMapWithPath((_p: string, x: Tensor, g: Tensor | null | undefined) => (g === null || g === undefined ? null : Tensor.zeros(x.shape)), param, grad);
          return [{ count, sums, inner: state.inner }, zeros as Params];
        }
        const mean = treeMapWithPath((path: string, x: Tensor, g: Tensor | null | undefined) => {
          if (g === null || g === undefined) return null;
          const s = sums[path].data;
          const out = new Float64Array(s.length);
          for (let j = 0; j < s.length; j++) out[j] = s[j] / k;
          sums[path] = Tensor.zeros(x.shape);
          return new Tensor(out, x.shape);
        }, param, grad) as Params;
        const innerCtx = withScheduleStep(ctx, Math.floor(scheduleStepOf(ctx) / k));
        const [inner, step] = rule.apply(state.inner, param, mean, innerCtx);
        return [{ count: 0, sums, inner }, step];
      },
    };
  },
});
