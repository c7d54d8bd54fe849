/**
 * Time per `update` of the issue-12 rules on 10⁶ parameters, against Adam measured in the same run (every rule is
 * one fused loop like Adam's, so the ratio shows what each one's extra state and arithmetic cost).
 */
import { Tensor } from '@natgrad/core';
import {
  AMSGrad,
  AdaBelief,
  AdaDelta,
  AdaMax,
  Adam,
  type AnyRule,
  LAMB,
  Lion,
  NAdam,
  OAdam,
  type OptimiserState,
  type Params,
  RAdam,
  RMSProp,
  Rprop,
  SignDecay,
  Yogi,
} from '@natgrad/optim';
import { setup, update } from '@natgrad/optim';
import { type BenchSection, formatRatio, formatTime, lcgUniform, time } from '../../../bench/harness.js';

const N = 1_000_000;

export default async function (): Promise<BenchSection[]> {
  const x = new Tensor(lcgUniform(N, 1), [N]);
  const g = new Tensor(lcgUniform(N, 2), [N]);
  const opts = { minTimeMs: 300, samples: 5, warmupMs: 200 };
  const rules: [string, AnyRule][] = [
    ['Adam() (baseline)', Adam()],
    ['Lion()', Lion()],
    ['NAdam()', NAdam()],
    ['RAdam()', RAdam()],
    ['AdaBelief()', AdaBelief()],
    ['Yogi()', Yogi()],
    ['AdaMax()', AdaMax()],
    ['AMSGrad()', AMSGrad()],
    ['AdaDelta()', AdaDelta()],
    ['Rprop()', Rprop()],
    ['OAdam()', OAdam()],
    ['LAMB()', LAMB()],
    ['SignDecay()', SignDecay()],
    ["RMSProp(…, { epsInSqrt: true })", RMSProp(0.001, 0.9, 1e-8, { epsInSqrt: true })],
    ['Adam() again, last in each round', Adam()],
  ];
  // Rounds over all rules, best round per rule: on a loaded machine this evens out the order (the first rule
  // measured would otherwise carry the warm-up and the collector's catch-up).
  const best = rules.map(() => Number.POSITIVE_INFINITY);
  const states: OptimiserState[] = rules.map(([, rule]) => setup(rule, x));
  for (let round = 0; round < 3; round++) {
    rules.forEach((_r, k) => {
      // Always from the same parameters: the state keeps advancing, so every call does full work.
      const ms = time(() => {
        const [o] = update(states[k], x as Params, g as Params);
        states[k] = o;
        return o;
      }, opts);
      best[k] = Math.min(best[k], ms);
    });
  }
  const rows = rules.map(([name], k) => [name, formatTime(best[k]), formatRatio(best[k] / best[0])]);
  return [
    {
      title: 'The issue-12 rules: time per update, 10⁶ parameters',
      description:
        'Median time of one `update(opt, params, grads)` on a single tensor of 10⁶ float64 parameters (rule step, ' +
        'finiteness checks of the gradient and the new state, new parameters), against Adam in the same run; best of ' +
        'three rounds over all the rules.',
      headers: ['rule', 'time', '× Adam'],
      rows,
      notes: [
        'Rules with more state tensors (OAdam, AMSGrad: three; Rprop, AdaDelta: two) pay for the extra state ' +
          'allocation and the finiteness scan of it; LAMB makes two extra passes for its norms.',
      ],
    },
  ];
}
