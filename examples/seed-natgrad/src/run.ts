/**
 * Natural-gradient variational inference against Adam, on the same Monte-Carlo ELBO of a real-data posterior.
 *
 * q = N(μ, LLᵀ) approximates the posterior of a Bayesian linear regression (model.ts). Each training step draws
 * `samples` reparameterised points w = μ + Lε and estimates the ELBO = E_q[log π(w)] + H[q], H[q] = const + log det L
 * (`monteCarloElbo`); `train` differentiates it by reverse-mode AD. Three optimisers see exactly the same estimates
 * (same sample count, same seed: step t draws its noise from `foldIn(key(seed), t)`):
 *
 * - natural gradient, θ-steps — `NaturalGradient(IncreasingRate(α, γ))`: the Euclidean gradient is pulled back to
 *   ∂L/∂η (natural gradient in θ = ∂L/∂η) and the step is taken in natural parameters θ = (Σ⁻¹μ, −½Σ⁻¹);
 * - natural gradient, (μ, L)-steps — the same rule with `coordinates: nativeCoordinates(meanCholesky)`: ∂L/∂η by AD, then the natural
 *   gradient in (μ, L) by ONE dual-number JVP of θ ↦ (μ, L), and q ← q − rate·natgrad (the seed's computation);
 *   a step that would leave L without a positive diagonal is halved (a 'backtrack' event);
 * - Adam on (μ, log-Cholesky) — `meanLogCholesky`, L = tril(A, −1) + diag(exp(diag A)): Adam's steps ignore the
 *   geometry of q, so it needs a parametrisation in which every step stays a valid Gaussian.
 *
 * Progress is measured with the EXACT ELBO, log Z − KL(q ‖ posterior) (closed form for this conjugate model), not
 * with the noisy training estimate: "iterations to the optimum" is the first step after which q's exact ELBO is
 * within `tolerance` of log Z.
 */
import { Tensor, type Value, ops, type random } from '@natgrad/core';
import { type Gaussian, convert, meanCholesky, meanLogCholesky, monteCarloElbo } from '@natgrad/distributions';
import {
  Adam,
  type AnyRule,
  IncreasingRate,
  type Objective,
  type Params,
  type TrainState,
  exponentialDecay,
  lastState,
  train,
} from '@natgrad/optim';
import { NaturalGradient, nativeCoordinates } from '@natgrad/optim/natural';
import { progressBar } from '@natgrad/optim/progress';
import { type MonoTypeOperatorFunction, identity, tap } from 'rxjs';
import { type RegressionModel, carsRegression } from './model.js';

export interface SeedOptions {
  /** Monte-Carlo samples per step, for every method (default 2048). */
  readonly samples?: number;
  /** Seed of the runs' random keys (default 0). */
  readonly seed?: number;
  /** Steps of each natural-gradient run (default 300). */
  readonly naturalSteps?: number;
  /** Steps of the Adam run (default 8000). */
  readonly adamSteps?: number;
  /** Distance to log Z that counts as "at the optimum" (default 1e-3). */
  readonly tolerance?: number;
  /** Draw a progress bar per run on stderr (default false). */
  readonly progress?: boolean;
}

/** One point of a convergence curve: log Z − ELBO(q) after `step` updates. */
export interface GapPoint {
  readonly step: number;
  readonly gap: number;
}

export interface MethodResult {
  readonly method: string;
  /** First step whose exact ELBO is within the tolerance of log Z (`undefined`: never, within the run). */
  readonly iterationsToOptimum: number | undefined;
  readonly steps: number;
  /** Exact ELBO of the final q. */
  readonly finalElbo: number;
  /** Milliseconds for the whole run. */
  readonly wallTimeMs: number;
  /** Halved natural-gradient steps ('backtrack' events). */
  readonly backtracks: number;
  /** log Z − ELBO after every step. */
  readonly curve: readonly GapPoint[];
}

export interface SeedResult {
  readonly n: number;
  readonly dim: number;
  readonly noiseVariance: number;
  readonly logZ: number;
  readonly tolerance: number;
  readonly samples: number;
  /** θ-steps, (μ, L)-steps, Adam. */
  readonly methods: readonly [MethodResult, MethodResult, MethodResult];
  /** Adam's iterations to the optimum / those of the θ-step and the (μ, L)-step natural gradient. */
  readonly ratios: { readonly theta: number; readonly muL: number };
}

export async function run(options: SeedOptions = {}): Promise<SeedResult> {
  const { samples = 2048, seed = 0, naturalSteps = 300, adamSteps = 8000, tolerance = 1e-3, progress = false } = options;
  const model = carsRegression();
  const D = model.X.shape[1];

  // −ELBO, estimated with `samples` reparameterised draws from this step's key: the loss every method minimises.
  const negElbo = (q: { mu: Value; L: Value }, key: random.Key) =>
    ops.neg(monteCarloElbo(model.logTarget, meanCholesky, q, { samples, key }));

  // All runs start from the prior, q₀ = N(0, I).
  const q0 = { mu: Tensor.zeros([D]), L: Tensor.eye(D) };

  const common = { model, seed, tolerance, progress };
  const theta = await runMethod({
    ...common,
    method: 'natural gradient, θ-steps',
    // The rate rises as 0.2·(1 − e^(−t)): a short warm-up, then steps of 0.2 — large enough to converge in tens of
    // steps, small enough to average out the Monte-Carlo noise (the step size is what sets the noise floor here).
    optimiser: NaturalGradient(IncreasingRate(0.2, 1)),
    params: q0,
    objective: negElbo,
    toQ: (q) => q,
    steps: naturalSteps,
  });
  const muL = await runMethod({
    ...common,
    method: 'natural gradient, (μ, L)-steps',
    // Far from the posterior a step in L of rate ρ scales L's diagonal by ≈ 1 − ρ·λ·Lᵢᵢ²/2 (λ ≈ 2000 here, the data's
    // precision), so the rate must start tiny: γ = 0.01 warms it up over ~100 steps.
    optimiser: NaturalGradient(IncreasingRate(0.2, 0.01), { coordinates: nativeCoordinates(meanCholesky) }),
    params: q0,
    objective: negElbo,
    toQ: (q) => q,
    steps: naturalSteps,
  });
  const adam = await runMethod({
    ...common,
    method: 'Adam',
    // Adam needs a large rate to travel from the prior and a small one to stop bouncing in the narrow posterior: an
    // exponential decay from 0.1 to 3e-4, the best of a small sweep (initial rate 0.05 / 0.1 / 0.2, decayed ×0.01 or
    // ×0.003 over 10 000 steps: first within 1e-3 after 3183 to 8545 iterations, or never).
    optimiser: Adam(exponentialDecay(0.1, 0.003, adamSteps)),
    params: { mu: Tensor.zeros([D]), A: Tensor.zeros([D, D]) }, // A = 0 is L = I: the same q₀
    // The same Monte-Carlo estimate: meanLogCholesky's scale L is the factor the draws μ + Lε use.
    objective: (p: Gaussian<'mu' | 'A'>, key) => ops.neg(monteCarloElbo(model.logTarget, meanLogCholesky, p, { samples, key })),
    toQ: (p) => convert(p, meanLogCholesky, meanCholesky) as { mu: Tensor; L: Tensor },
    steps: adamSteps,
  });

  // (a lower bound, counting Adam's whole run, if Adam never gets there)
  const ratio = (a: MethodResult, b: MethodResult) => (a.iterationsToOptimum ?? a.steps) / (b.iterationsToOptimum ?? Infinity);
  return {
    n: model.X.shape[0],
    dim: D,
    noiseVariance: model.noiseVariance,
    logZ: model.logZ,
    tolerance,
    samples,
    methods: [theta, muL, adam],
    ratios: { theta: ratio(adam, theta), muL: ratio(adam, muL) },
  };
}

interface MethodSpec<P extends Params> {
  readonly method: string;
  readonly model: RegressionModel;
  readonly optimiser: AnyRule;
  readonly params: P;
  readonly objective: Objective<P>;
  readonly toQ: (params: P) => { mu: Tensor; L: Tensor };
  readonly steps: number;
  readonly seed: number;
  readonly tolerance: number;
  readonly progress: boolean;
}

/** One training run; records the exact ELBO gap of every state it emits. */
async function runMethod<P extends Params>(spec: MethodSpec<P>): Promise<MethodResult> {
  const { model, steps, tolerance } = spec;
  const curve: GapPoint[] = [];
  let reached: number | undefined;
  let backtracks = 0;
  const record = (s: TrainState<P>) => {
    const gap = model.logZ - model.exactElbo(spec.toQ(s.params));
    curve.push({ step: s.step, gap });
    if (reached === undefined && gap < tolerance) reached = s.step;
    backtracks += s.events.filter((e) => e.type === 'backtrack').length;
  };
  const bar: MonoTypeOperatorFunction<TrainState<P>> = spec.progress
    ? progressBar({ total: steps, label: spec.method.padEnd(30) })
    : identity;
  const run$ = train({ objective: spec.objective, params: spec.params, optimiser: spec.optimiser, steps, seed: spec.seed });
  const final = await lastState(run$.pipe(tap(record), bar));
  if (final === undefined) throw new Error(`${spec.method}: the run emitted nothing`);
  return {
    method: spec.method,
    iterationsToOptimum: reached,
    steps,
    finalElbo: model.exactElbo(spec.toQ(final.params)),
    wallTimeMs: final.wallTime,
    backtracks,
    curve,
  };
}
