/**
 * Convergence on real data: iterations (and wall time) for natural-gradient steps and for Adam to bring the ELBO of a
 * Bayesian logistic regression within 1e-3 of its optimum. Data: Palmer penguins (vega-datasets), sex from the four
 * body measurements.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Tensor, type Value, ops, valueAndGrad } from '@natgrad/core';
import { bernoulliLogLikelihood, expectedLogLikelihood, kl, meanCholesky, meanCovariance } from '@natgrad/distributions';
import { Adam, type AnyRule, Descent, type OptimiserState, setup, update } from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import { type BenchSection, formatRatio, formatTime } from './harness.js';

const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'] as const;
const TOLERANCE = 1e-3;
const GH_POINTS = 20;

type Q = { mu: Tensor; L: Tensor };

/** Penguins with all four measurements and a recorded sex; X standardised (population statistics) plus an intercept. */
function penguins(): { X: Tensor; y: Tensor; n: number } {
  // vega-datasets' exports map only exposes its JS entry, so step from it to data/.
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  const rows = (JSON.parse(readFileSync(join(dirname(entry), '..', 'data', 'penguins.json'), 'utf8')) as Record<string, unknown>[])
    .filter((r) => (r.Sex === 'MALE' || r.Sex === 'FEMALE') && FEATURES.every((f) => typeof r[f] === 'number'));
  const n = rows.length, d = FEATURES.length + 1;
  const stats = FEATURES.map((f) => {
    const v = rows.map((r) => r[f] as number);
    const mean = v.reduce((a, b) => a + b, 0) / n;
    return [mean, Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / n)];
  });
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  rows.forEach((r, i) => {
    X[i * d] = 1;
    FEATURES.forEach((f, j) => (X[i * d + j + 1] = ((r[f] as number) - stats[j][0]) / stats[j][1]));
    y[i] = r.Sex === 'MALE' ? 1 : 0;
  });
  return { X: new Tensor(X, [n, d]), y: new Tensor(y, [n]), n };
}

/** log p(y | f) for y ∈ {0, 1} and a logit f: log σ((2y − 1) f). */

interface Run {
  elbos: number[];
  failure?: string;
}

/** `iterations` updates of `rule` from q₀ = prior, recording the exact ELBO at q₀, q₁, …. */
function optimise(negElbo: (q: Q) => Value, rule: AnyRule, iterations: number, dim: number, stopBelow?: number): Run {
  const vg = valueAndGrad(negElbo);
  let q: Q = { mu: Tensor.zeros([dim]), L: ops.eye(dim) as Tensor };
  let opt: OptimiserState = setup(rule, q);
  const elbos: number[] = [];
  try {
    for (let k = 0; k <= iterations; k++) {
      const [loss, g] = vg(q) as [Tensor, Q];
      elbos.push(-loss.item());
      if (k === iterations || (stopBelow !== undefined && -loss.item() >= stopBelow)) break;
      [opt, q] = update(opt, q, g) as [OptimiserState, Q];
    }
  } catch (e) {
    // e.g. "expectedLogLikelihood: q.L must have a positive diagonal: entry (0, 0) is -0.001": keep the reason.
    const reason = (e as Error).message.split(': ')[1] ?? (e as Error).message;
    return { elbos, failure: `${reason} after ${elbos.length - 1} updates` };
  }
  return { elbos };
}

/** Median time of one iteration (gradient + update) over `reps` runs of `k` iterations from the prior, after a warm-up run. */
function iterationTime(negElbo: (q: Q) => Value, rule: AnyRule, dim: number, k = 20, reps = 9): number {
  const out: number[] = [];
  for (let r = 0; r <= reps; r++) {
    const t0 = performance.now();
    const run = optimise(negElbo, rule, k, dim);
    const dt = (performance.now() - t0) / run.elbos.length; // one gradient per recorded ELBO
    if (r > 0) out.push(dt);
  }
  out.sort((a, b) => a - b);
  return out[Math.floor(out.length / 2)];
}

export default async function (): Promise<BenchSection[]> {
  const { X, y, n } = penguins();
  const dim = X.shape[1];
  const prior = { mu: Tensor.zeros([dim]), Sigma: ops.eye(dim) as Tensor };
  // ELBO(q) = Σₙ E_q[log p(yₙ | xₙᵀw)] (Gauss–Hermite, exact up to quadrature error, no sampling noise) − KL(q ‖ p).
  // `tril(L)`: the ELBO as a function of the free (lower) entries only, so a Euclidean rule such as Adam never
  // moves the structural zeros above the diagonal (their raw gradient through XL is not zero).
  const negElbo = (q: Q): Value => {
    const qq = { mu: q.mu, L: ops.tril(q.L) };
    const ell = expectedLogLikelihood(bernoulliLogLikelihood, X, y, meanCholesky, qq, { points: GH_POINTS });
    return ops.neg(ops.sub(ell, kl(meanCholesky, qq, meanCovariance, prior)));
  };

  // The optimum: a long natural-gradient run with step 1, to convergence.
  const long = optimise(negElbo, NaturalGradient(Descent(1)), 200, dim);
  const optimum = Math.max(...long.elbos);
  const lastChange = Math.abs(long.elbos[long.elbos.length - 1] - long.elbos[long.elbos.length - 2]);
  if (!(lastChange < 1e-9)) throw new Error(`convergence bench: the reference run did not converge (last change ${lastChange})`);
  const target = optimum - TOLERANCE;

  const maxAdam = 5000;
  const candidates: [string, AnyRule, number][] = [
    ['natural gradient, `NaturalGradient(Descent(1))`', NaturalGradient(Descent(1)), 200],
    ['natural gradient, `NaturalGradient(Descent(0.5))`', NaturalGradient(Descent(0.5)), 200],
    ...[0.003, 0.01, 0.03, 0.1].map((lr): [string, AnyRule, number] => [`Adam, \`Adam(${lr})\``, Adam(lr), maxAdam]),
  ];
  const results = candidates.map(([label, rule, cap]) => {
    const run = optimise(negElbo, rule, cap, dim, target);
    const hit = run.elbos.findIndex((e) => e >= target);
    // A run that left the valid set is timed over the iterations it managed.
    const perIteration = iterationTime(negElbo, rule, dim, run.failure ? Math.max(1, run.elbos.length - 2) : 20);
    return { label, run, hit, cap, perIteration, toHit: hit * perIteration };
  });
  const rows = results.map(({ label, run, hit, cap, perIteration, toHit }) => [
    label,
    hit >= 0 ? hit : run.failure ? `— (${run.failure})` : `> ${cap}`,
    hit >= 0 ? formatTime(toHit) : '—',
    formatTime(perIteration),
    hit >= 0 ? (optimum - run.elbos[hit]).toExponential(1) : '—',
  ]);
  const ng = results[0];
  const adams = results.filter((r) => r.label.startsWith('Adam') && r.hit >= 0);
  const bestAdam = adams.sort((a, b) => a.hit - b.hit)[0];
  const notes = [
    `Optimum ELBO ${optimum.toFixed(6)} (natural-gradient steps of 1 for 200 iterations; last change ${lastChange.toExponential(1)}).`,
  ];
  if (ng.hit >= 0 && bestAdam) {
    notes.push(
      `Best Adam learning rate of the grid: ${bestAdam.label.replace(/^Adam, /, '')}, ${bestAdam.hit} iterations against ` +
        `${ng.hit} for the natural gradient with step 1: ${formatRatio(bestAdam.hit / ng.hit)} as many iterations, ` +
        `${formatRatio(bestAdam.toHit / ng.toHit)} the wall time. A natural-gradient iteration costs ` +
        `${formatRatio(ng.perIteration / bestAdam.perIteration)} an Adam one: besides the quadrature ELBO and its ` +
        'gradient, which both pay, it pulls the gradient back to ∂L/∂η (a reverse pass through η ↦ (μ, L)), maps q ' +
        'to θ and the stepped θ back to (μ, L), and validates the candidate — a dozen small D × D operations whose ' +
        'per-op overhead dominates at D = 5.',
    );
  }
  notes.push(
    'Adam steps (μ, L) directly, as GPflow-style code does; a step that makes a diagonal entry of L non-positive ' +
      'leaves the parametrisation, which the ELBO rejects (`InvalidParameterError`): that is where a too-large ' +
      'learning rate stops. The natural-gradient rule backtracks instead of leaving the valid set.',
  );
  return [{
    title: 'Convergence: natural gradient vs Adam, Bayesian logistic regression on penguins',
    description:
      `Predict sex (male = 1) from the four body measurements of the ${n} Palmer penguins (vega-datasets) with all ` +
      'of them recorded, standardised, plus an intercept (D = 5); prior N(0, I); full-covariance q = N(μ, LLᵀ) in ' +
      `\`meanCholesky\` starting at the prior. ELBO = Σₙ E_q[log σ((2yₙ − 1)xₙᵀw)] by ${GH_POINTS}-point ` +
      'Gauss–Hermite quadrature (`expectedLogLikelihood`) − KL(q ‖ prior) (`kl`): deterministic, so the ELBO ' +
      `after each iteration is exact (no sampling noise). Reported: the first iteration k whose q_k has an ELBO ` +
      `within ${TOLERANCE} of the optimum and the gap there; the time to get there = iterations × the median time ` +
      `per iteration (\`valueAndGrad\` + \`update\`, measured after warm-up). Adam is capped at ${maxAdam} ` +
      'iterations and tried at four learning rates. The natural-gradient rule ' +
      'steps in natural coordinates, θ ← θ − γ ∂(−ELBO)/∂η.',
    headers: ['method', `iterations to within ${TOLERANCE}`, 'time to get there', 'time per iteration', 'gap at that iteration'],
    rows,
    notes,
  }];
}
