/**
 * The two runs of the demo, shared by the page (which draws them) and the training worker (which trains them): each
 * run's rule, starting point and map to q = N(μ, LLᵀ), and the config the page sends to start one.
 */
import { Tensor } from '@natgrad/core';
import { type Gaussian, meanLogCholesky } from '@natgrad/distributions';
import { Adam, type AnyRule, Descent, type Params } from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import type { Q } from './problem.js';

export type RunKey = 'natural' | 'adam';

/** What the page sends to the worker to start (or continue) a run. */
export interface RunConfig {
  readonly run: RunKey;
  /** The natural-gradient step or Adam's learning rate. */
  readonly rate: number;
  /** Continue from the run's last state in the worker (its optimiser state included) instead of the prior. */
  readonly resume: boolean;
}

export interface RunSpec<P extends Params = Params> {
  /** The rule at a rate (the slider changes it mid-run with `adjust`, which needs no preparation of the rule). */
  readonly rule: (rate: number) => AnyRule;
  readonly params: P;
  readonly toQ: (p: P) => Q;
}

export const MAX_STEPS = 5000;

/** q in (μ, L) from Adam's unconstrained log-Cholesky parameters (L = tril(A, −1) + diag(exp(diag A))). */
const fromLogCholesky = (p: Gaussian<'mu' | 'A'>): Q => ({ mu: p.mu, L: meanLogCholesky.toScale(p) }) as Q;

export const RUNS: { readonly [K in RunKey]: RunSpec } = {
  natural: {
    rule: (rate) => NaturalGradient(Descent(rate)), // θ-steps of size `rate`
    params: { mu: Tensor.zeros([2]), L: Tensor.eye(2) },
    toQ: (q) => q as Q,
  },
  adam: {
    rule: (rate) => Adam(rate),
    params: { mu: Tensor.zeros([2]), A: Tensor.zeros([2, 2]) }, // A = 0: L = I, the prior
    toQ: (p) => fromLogCholesky(p as Gaussian<'mu' | 'A'>),
  },
};
