/**
 * The state domains the issue-12 rules declare are never tighter than what they produce: for random valid
 * hyperparameters (those `adjust` may set mid-run included) and random gradients over sixty orders of magnitude,
 * every state a rule reaches saves and loads back (load checks the declared domains), and the loaded copy continues
 * bit for bit. A domain too tight would make a checkpoint of a healthy run unloadable.
 */
import { Tensor } from '@natgrad/core';
import {
  AMSGrad,
  AdaBelief,
  AdaDelta,
  AdaGrad,
  AdaMax,
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
  adjust,
  load,
  save,
  setup,
  update,
} from '@natgrad/optim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitwiseEqual } from './helpers.js';

const beta = fc.double({ min: 0, max: 0.999999, noNaN: true });
const eps = fc.double({ min: 1e-12, max: 1, noNaN: true });
const lr = fc.double({ min: 0, max: 1, noNaN: true });
const decay = fc.double({ min: 0, max: 1, noNaN: true });

/** A rule from random valid hyperparameters, and a change `adjust` may make after the first updates. */
const rules: fc.Arbitrary<[string, AnyRule, Record<string, number>]> = fc.oneof(
  fc.tuple(lr, beta, beta, decay).map(([a, b, c, d]) => ['Lion', Lion(a, b, c, d), { beta2: b }] as [string, AnyRule, Record<string, number>]),
  fc.tuple(lr, beta, beta, eps).map(([a, b, c, e]) => ['NAdam', NAdam(a, b, c, e), { beta1: c, beta2: b }] as [string, AnyRule, Record<string, number>]),
  fc.tuple(lr, beta, beta, eps, fc.double({ min: 4, max: 10, noNaN: true })).map(([a, b, c, e, th]) => ['RAdam', RAdam(a, b, c, e, th), { beta2: b }] as [string, AnyRule, Record<string, number>]),
  fc.tuple(lr, beta, beta, eps).map(([a, b, c, e]) => ['AdaBelief', AdaBelief(a, b, c, e), { eps: e / 2 }] as [string, AnyRule, Record<string, number>]),
  fc.tuple(lr, beta, beta, eps, decay).map(([a, b, c, e, v]) => ['Yogi', Yogi(a, b, c, e, v), { beta2: b }] as [string, AnyRule, Record<string, number>]),
  fc.tuple(lr, beta, beta, eps).map(([a, b, c, e]) => ['AdaMax', AdaMax(a, b, c, e), { beta1: c }] as [string, AnyRule, Record<string, number>]),
  fc.tuple(lr, beta, beta, eps).map(([a, b, c, e]) => ['AMSGrad', AMSGrad(a, b, c, e), { beta2: b }] as [string, AnyRule, Record<string, number>]),
  fc.tuple(beta, eps, lr).map(([r, e, a]) => ['AdaDelta', AdaDelta(r, e, a), { rho: r / 2 }] as [string, AnyRule, Record<string, number>]),
  fc
    .tuple(fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 1, max: 3, noNaN: true }))
    .map(([a, m, p]) => ['Rprop', Rprop(a, m, p, 1e-6, 50), { etaPlus: p + 1 }] as [string, AnyRule, Record<string, number>]),
  fc.tuple(lr, beta, beta, eps).map(([a, b, c, e]) => ['OAdam', OAdam(a, b, c, e), { beta1: c }] as [string, AnyRule, Record<string, number>]),
  fc.tuple(lr, beta, beta, eps, decay).map(([a, b, c, e, d]) => ['LAMB', LAMB(a, b, c, e, d), { decay: d / 2 }] as [string, AnyRule, Record<string, number>]),
  decay.map((l) => ['SignDecay', SignDecay(l), { lambda: l * 2 }] as [string, AnyRule, Record<string, number>]),
  fc.tuple(lr, eps, decay).map(([a, e, v]) => ['AdaGrad', AdaGrad(a, e, v), { initialAccumulatorValue: 0 }] as [string, AnyRule, Record<string, number>]),
  fc
    .tuple(lr, beta, eps, fc.boolean(), fc.boolean())
    .map(([a, r, e, c, s]) => ['RMSProp', RMSProp(a, r, e, { centred: c, epsInSqrt: s }), { rho: r / 3 }] as [string, AnyRule, Record<string, number>]),
);

/** Gradients of 4 entries from 1e-30 to 1e30 in size, either sign, zeros included. */
const gradient = fc.array(
  fc.oneof(fc.constant(0), fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => m * 10 ** e)),
  { minLength: 4, maxLength: 4 },
);

describe('issue-12 rules: every reachable state is in its declared domain (fast-check)', () => {
  it('random hyperparameters, an adjust mid-run, random gradients: save → load works and continues bit for bit', () => {
    fc.assert(
      fc.property(rules, fc.array(gradient, { minLength: 2, maxLength: 12 }), ([, rule, change], grads) => {
        let params: Params = Tensor.from([0.5, -1, 2, 0]);
        let opt: OptimiserState = setup(rule, params);
        for (let k = 0; k < grads.length; k++) {
          if (k === 1) opt = adjust(opt, change);
          [opt, params] = update(opt, params, Tensor.from(grads[k]));
        }
        const loaded = load(save(opt), { params }); // throws if a state field is outside its declared domain
        const g = Tensor.from(grads[0]);
        const [a, pa] = update(loaded, params, g);
        const [b, pb] = update(opt, params, g);
        expect(bitwiseEqual(pa, pb)).toBe(true);
        expect(bitwiseEqual(a.state, b.state)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
