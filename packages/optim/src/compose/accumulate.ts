/** `accumulate(k, rule)`: gradient accumulation over k micro-steps (Optax `MultiSteps`). @module */
import { Tensor, treeFlatten, treePaths } from '@natgrad/core';
import { checkRule } from '../check-rule.js';
import { scheduleStepOf, withScheduleStep } from '../context.js';
import { checkDomain, interval } from '../domain.js';
import { joinPath } from '../leaf-rule.js';
import type { AnyRule, Params, Rule } from '../rule.js';
import { integerAtLeast } from '../validate.js';
import { assemble, mapShared } from '../tree-utils.js';

/** State of {@link accumulate}: micro-steps since the last real step, gradient sums by parameter path, inner state. */
export interface AccumulateState {
  /** Micro-steps accumulated since the last real step (0 … k−1). */
  readonly count: number;
  /** Gradient sums by parameter path. */
  readonly sums: Readonly<Record<string, Tensor>>;
  /** State of the wrapped rule. */
  readonly inner: unknown;
}

/**
 * `accumulate(k, rule)`: micro-steps 1 … k−1 only add the gradient to a running sum (zero step); the k-th applies
 * `rule` once to the mean gradient (sum / k) and resets the sums. Schedules inside `rule` advance once per real step.
 * @throws {HyperparameterError} unless k is an integer ≥ 1
 */
export function accumulate(k: number, rule: AnyRule): Rule<AccumulateState> {
  integerAtLeast('Accumulate', 'k', k, 1);
  checkRule('accumulate: rule', rule);
  const zeroSums = (param: Params): Record<string, Tensor> => {
    const [leaves] = treeFlatten<Tensor>(param);
    const paths = treePaths(param);
    const s: Record<string, Tensor> = {};
    leaves.forEach((l, i) => {
      s[paths[i]] = Tensor.zeros(l.shape);
    });
    return s;
  };
  return {
    name: 'Accumulate',
    hyperparams: { k },
    children: [rule],
    handlesNonFinite: rule.handlesNonFinite,
    ...(rule.terminal === true ? { terminal: true } : {}),
    bind(param) {
      const b = rule.bind ? rule.bind(param) : rule;
      return b === rule ? this : accumulate(k, b);
    },
    checkState(state, where) {
      checkDomain(joinPath(where, 'count'), state.count, interval(0, k - 1, true));
      rule.checkState?.(state.inner, joinPath(where, 'inner'));
    },
    init: (param) => ({ count: 0, sums: zeroSums(param), inner: rule.init(param) }),
    apply(state, param, grad, ctx) {
      const sums: Record<string, Tensor> = { ...state.sums };
      const [gLeaves] = treeFlatten<Tensor>(grad);
      const paths = treePaths(grad);
      gLeaves.forEach((g, i) => {
        const a = state.sums[paths[i]].data;
        const out = new Float64Array(a.length);
        for (let j = 0; j < a.length; j++) out[j] = a[j] + g.data[j];
        sums[paths[i]] = new Tensor(out, g.shape);
      });
      const count = state.count + 1;
      if (count < k) {
        const zeros = mapShared(param, (p) => Tensor.zeros((p as Tensor).shape)) as Params;
        return [{ count, sums, inner: state.inner }, zeros];
      }
      const mean = new Map<string, Tensor>();
      for (const path of paths) {
        const s = sums[path].data;
        const out = new Float64Array(s.length);
        for (let j = 0; j < s.length; j++) out[j] = s[j] / k;
        mean.set(path, new Tensor(out, sums[path].shape));
        sums[path] = Tensor.zeros(sums[path].shape);
      }
      const innerCtx = withScheduleStep(ctx, Math.floor(scheduleStepOf(ctx) / k));
      const [inner, step] = rule.apply(state.inner, param, assemble(param, mean), innerCtx);
      return [{ count: 0, sums, inner }, step];
    },
  };
}
