/**
 * What it costs to emit only usable Gaussians: one `NaturalGradient` update of a (μ, L) block at D = 4, 16, 64, the
 * check it now runs on the parameters it emits (validation, a Cholesky of Σ, finite θ with a positive definite
 * precision), and the check it used to run (the parametrisation's structural validation alone), measured in the
 * same run.
 */
import { Tensor, grad } from '@natgrad/core';
import { kl, meanCholesky, meanCovariance } from '@natgrad/distributions';
import { Descent, type OptimiserState, type Params, setup, update } from '@natgrad/optim';
import { NaturalGradient, usableGaussian } from '@natgrad/optim/natural';
import { type BenchSection, formatRatio, formatTime, lcgUniform, time } from '../../../bench/harness.js';

/** A well-conditioned lower-triangular L (diagonal in [1, 2], small entries below) and a random mean. */
function block(d: number, seed: number): { mu: Tensor; L: Tensor } {
  const u = lcgUniform(d * d + d, seed);
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    l[i * d + i] = 1 + u[i * d + i];
    for (let j = 0; j < i; j++) l[i * d + j] = 0.2 * (u[i * d + j] - 0.5);
  }
  return { mu: new Tensor(u.slice(d * d), [d]), L: new Tensor(l, [d, d]) };
}

export default async function (): Promise<BenchSection[]> {
  const opts = { minTimeMs: 300, samples: 5, warmupMs: 200 };
  const rows: (string | number)[][] = [];
  for (const d of [4, 16, 64]) {
    const q = block(d, d);
    const target = { mu: Tensor.zeros([d]), Sigma: Tensor.eye(d) };
    const g = grad((p: any) => kl(meanCholesky, p, meanCovariance, target))(q);
    const opt: OptimiserState = setup(NaturalGradient(Descent(0.1)), q);
    const full = time(() => update(opt, q as Params, g as Params), opts);
    const usableCheck = usableGaussian(meanCholesky);
    const usable = time(() => usableCheck.valid(q, ''), opts);
    const structural = time(() => meanCholesky.validate(q), opts);
    rows.push([d, formatTime(full), formatTime(usable), formatRatio(usable / full), formatTime(structural), formatRatio(usable / structural)]);
  }
  return [
    {
      title: 'NaturalGradient: the cost of emitting only usable Gaussians',
      description:
        'Median time of one `update` of `NaturalGradient(Descent(0.1))` on a (μ, L) block (natural coordinates, the ' +
        'gradient given), of the usability check it runs on the parameters it emits, and of the structural validation ' +
        'it ran before (meanCholesky.validate alone), all measured in the same run.',
      headers: ['D', 'update', 'usable check', 'check ÷ update', 'structural validation (before)', 'usable ÷ before'],
      rows,
      notes: [
        'The check is `checkUsable` of @natgrad/distributions (with its Cholesky pivot margin): one validation, Σ = LLᵀ, ' +
          'a Cholesky of Σ, θ = (Σ⁻¹μ, −½Σ⁻¹), a Cholesky of the precision and η: about as much linear algebra as the ' +
          'step itself, run once per accepted step (and once per halving).',
      ],
    },
  ];
}
