/**
 * Bayesian logistic regression on the Palmer penguins: the sex of a penguin from its bill length, bill depth,
 * flipper length and body mass (standardised with training-set statistics, plus an intercept), prior w ~ N(0, I).
 *
 * q = N(μ, LLᵀ) over the 5 coefficients maximises
 *   ELBO(q) = Σₙ E_q[log σ(±xₙᵀw)] − KL(q ‖ N(0, I)),
 * where each expectation depends on w only through the scalar fₙ = xₙᵀw ~ N(xₙᵀμ, xₙᵀΣxₙ), so a 1-D Gauss–Hermite
 * rule computes it to near machine precision (`expectedLogLikelihood`). The ELBO is therefore deterministic: no
 * sampling noise, and "iterations to the optimum" is sharp.
 */
import { Tensor, type Value, ops } from '@natgrad/core';
import { type Gaussian, type LogLikelihood, bernoulliLogLikelihood, expectedLogLikelihood, kl, meanCholesky, meanCovariance, meanLogCholesky } from '@natgrad/distributions';
import {
  Adam,
  type AnyRule,
  Descent,
  type Objective,
  type Params,
  type TrainState,
  lastState,
  train,
  untilConverged,
} from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import { tap } from 'rxjs';
import {
  type Penguin,
  columns,
  completeRows,
  fitStandardiser,
  matrix,
  penguins,
  pick,
  trainTestSplit,
  vector,
  withIntercept,
} from '@natgrad-examples/shared';

export const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'] as const;
/** Names of the coefficients, in the order of q's dimensions. */
export const COEFFICIENTS = ['intercept', 'bill length', 'bill depth', 'flipper length', 'body mass'] as const;

export interface LogisticOptions {
  /** Natural-gradient steps (default 30). */
  readonly naturalSteps?: number;
  /** Adam steps (default 1000). */
  readonly adamSteps?: number;
  /** Adam's learning rate (default 0.2: the best of 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1 for reaching the optimum). */
  readonly adamLearningRate?: number;
  /** Fraction of the birds held out (default 0.25) and the seed of the split (default 0). */
  readonly testFraction?: number;
  readonly seed?: number;
  /** Gauss–Hermite points per data point (default 20). */
  readonly points?: number;
  /** Distance to the optimum ELBO that counts as reached (default 1e-3). */
  readonly tolerance?: number;
}

/** A Gaussian q = N(μ, LLᵀ) with concrete tensors. */
export type Gaussian2 = { readonly mu: Tensor; readonly L: Tensor };

export interface MethodResult {
  readonly method: string;
  /** ELBO after k = 0, 1, … iterations (k = 0: the prior). */
  readonly elbo: readonly number[];
  readonly iterationsToOptimum: number | undefined;
  readonly finalElbo: number;
  readonly q: Gaussian2;
  /** q after k = 0, 1, … iterations. */
  readonly trajectory: readonly Gaussian2[];
  /** Held-out accuracy (predicting the more probable sex) and mean log predictive density per bird. */
  readonly testAccuracy: number;
  readonly testLogPredictive: number;
  readonly wallTimeMs: number;
}

export interface LogisticResult {
  readonly nTrain: number;
  readonly nTest: number;
  /** The optimum ELBO (natural gradient run to convergence: changes below 1e-12). */
  readonly optimum: number;
  readonly tolerance: number;
  readonly methods: readonly [MethodResult, MethodResult];
  /** Adam's iterations to the optimum / the natural gradient's. */
  readonly ratio: number;
}

/** log p(y | f) = log σ((2y − 1)f) for y ∈ {0, 1}: the Bernoulli likelihood with a logit link. */
/** p(y | f) itself: its Gauss–Hermite expectation is the predictive probability of y. */
const bernoulliProbability: LogLikelihood = (y, f) => ops.sigmoid(ops.mul(ops.sub(ops.mul(2, y), 1), f));

export async function run(options: LogisticOptions = {}): Promise<LogisticResult> {
  const { naturalSteps = 30, adamSteps = 1000, adamLearningRate = 0.2, testFraction = 0.25, seed = 0 } = options;
  const { points = 20, tolerance = 1e-3 } = options;

  // ── data: complete rows, seeded split, standardise with the training rows' statistics, add an intercept
  const birds = completeRows(penguins(), FEATURES, { Sex: ['MALE', 'FEMALE'] });
  const split = trainTestSplit(birds.length, testFraction, seed);
  const [trainBirds, testBirds] = [pick(birds, split.train), pick(birds, split.test)];
  const scaler = fitStandardiser(columns(trainBirds, FEATURES));
  const design = (bs: Penguin[]) => matrix(withIntercept(scaler.apply(columns(bs, FEATURES))));
  const labels = (bs: Penguin[]) => vector(bs.map((b) => (b.Sex === 'MALE' ? 1 : 0)));
  const [X, y, Xtest, ytest] = [design(trainBirds), labels(trainBirds), design(testBirds), labels(testBirds)];
  const D = X.shape[1];

  // ── the objective
  const prior = { mu: Tensor.zeros([D]), Sigma: Tensor.eye(D) };
  const elbo = (q: { mu: Value; L: Value }) =>
    ops.sub(expectedLogLikelihood(bernoulliLogLikelihood, X, y, meanCholesky, q, { points }), kl(meanCholesky, q, meanCovariance, prior));
  const negElbo = (q: Gaussian2) => ops.neg(elbo(q));

  // ── held-out evaluation: p(y* | x*, data) ≈ E_q[σ((2y* − 1)x*ᵀw)], again a 1-D Gauss–Hermite expectation per bird
  const evaluate = (q: Gaussian2) => {
    const probability = expectedLogLikelihood(bernoulliProbability, Xtest, ytest, meanCholesky, q, { points, reduce: 'none' });
    const p = (probability as Tensor).toFlatArray(); // concrete inputs give a Tensor (typed as Value)
    return {
      testAccuracy: p.filter((pi) => pi > 0.5).length / p.length,
      testLogPredictive: p.reduce((s, pi) => s + Math.log(pi), 0) / p.length,
    };
  };

  // ── the reference optimum: natural-gradient steps of size 1 until the ELBO stops changing (deterministic ELBO)
  const optimum = await solveToOptimum(negElbo, { mu: Tensor.zeros([D]), L: Tensor.eye(D) });

  const runMethod = async <P extends Params>(
    method: string,
    optimiser: AnyRule,
    params: P,
    objective: Objective<P>,
    toQ: (p: P) => Gaussian2,
    steps: number,
  ): Promise<MethodResult> => {
    // state.loss is −ELBO at the parameters the step started from: state k + 1 reports the ELBO after k iterations.
    const curve: number[] = [];
    const trajectory: Gaussian2[] = [toQ(params)];
    const record = (s: TrainState<P>) => {
      curve.push(-s.loss);
      trajectory.push(toQ(s.params));
    };
    const final = await lastState(train({ objective, params, optimiser, steps }).pipe(tap(record)));
    const q = toQ(final!.params);
    const finalElbo = elbo(q).item();
    curve.push(finalElbo);
    const k = curve.findIndex((e) => optimum - e < tolerance);
    return {
      method,
      elbo: curve,
      iterationsToOptimum: k < 0 ? undefined : k,
      finalElbo,
      q,
      trajectory,
      ...evaluate(q),
      wallTimeMs: final!.wallTime,
    };
  };

  const natural = await runMethod(
    'natural gradient',
    // θ-steps of size 1: for a Gaussian likelihood this would be exact in one step; for the logistic likelihood it is
    // a Newton-like fixed-point iteration on the natural parameters.
    NaturalGradient(Descent(1)),
    { mu: Tensor.zeros([D]), L: Tensor.eye(D) },
    negElbo,
    (q) => q,
    naturalSteps,
  );
  const adam = await runMethod(
    'Adam',
    Adam(adamLearningRate),
    { mu: Tensor.zeros([D]), A: Tensor.zeros([D, D]) }, // meanLogCholesky: L = tril(A, −1) + diag(exp(diag A)); A = 0 is L = I
    (p) => negElbo(fromLogCholesky(p)),
    fromLogCholesky,
    adamSteps,
  );
  const ratio = (adam.iterationsToOptimum ?? adamSteps) / (natural.iterationsToOptimum ?? Infinity);
  return { nTrain: trainBirds.length, nTest: testBirds.length, optimum, tolerance, methods: [natural, adam], ratio };
}

/** q in (μ, L) from Adam's log-Cholesky parameters: any real A gives a valid factor (Adam's steps are not q-aware). */
const fromLogCholesky = (p: Gaussian<'mu' | 'A'>): Gaussian2 => ({ mu: p.mu, L: meanLogCholesky.toScale(p) }) as Gaussian2;

/** Runs natural-gradient steps of size 1 until −ELBO changes by less than 1e-12; returns the ELBO reached. */
async function solveToOptimum(negElbo: (q: Gaussian2) => Value, q0: Gaussian2): Promise<number> {
  const run$ = train({ objective: negElbo, params: q0, optimiser: NaturalGradient(Descent(1)), steps: 500 });
  // untilConverged with a window of 1 step compares each loss with the previous one
  const last = await lastState(run$.pipe(untilConverged({ window: 1, rtol: 0, atol: 1e-12 })));
  if (last === undefined || last.step >= 500) throw new Error('the natural-gradient reference run did not converge');
  return -last.loss;
}
