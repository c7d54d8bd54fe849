/** Monte-Carlo ELBO and the one-call elboNaturalGradient on the 2-D conjugate model of MATH.md. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError, Tensor, type Value, grad, ops, random } from '@natgrad/core';
import {
  type Gaussian,
  conjugatePosterior,
  convert,
  elboNaturalGradient,
  lossAndNaturalGradient,
  meanCholesky,
  meanCovariance,
  monteCarloElbo,
} from '@natgrad/distributions';
import { checkDerivatives, finiteDifference } from '../../core/test/util/check.js';
import { elboIn, logJoint, lossIn, model2d, q2d, ref2d } from './util/conjugate.js';
import { expectValues, randomIn, relErr, rng } from './util/gaussians.js';

const item = (v: Value) => (v as Tensor).item();
const target = logJoint(model2d);

describe('monteCarloElbo', () => {
  it('is unbiased: close to the closed-form ELBO for many samples, for q anywhere', () => {
    for (const seed of [1, 2, 3]) {
      const q = seed === 1 ? q2d : randomIn(meanCholesky, 2, rng(seed), 5);
      const mc = item(monteCarloElbo(target, meanCholesky, q, { samples: 20000, key: random.key(seed) }));
      const exact = item(elboIn(meanCholesky)(q));
      // log p(y, f) is quadratic in f with curvature ~1/noise: per-sample sd ≲ 3 here, standard error ≲ 0.02.
      expect(Math.abs(mc - exact)).toBeLessThan(0.1);
    }
  });

  it('equals log Z at the exact posterior in expectation (and the entropy term is closed-form)', () => {
    const post = conjugatePosterior(ops.eye(2), model2d.y, model2d.noise, meanCovariance, { mu: Tensor.from([0, 0]), Sigma: model2d.K });
    const q = convert(post.posterior, meanCovariance, meanCholesky);
    const mc = item(monteCarloElbo(target, meanCholesky, q, { samples: 50000, key: random.key(4) }));
    expect(Math.abs(mc - ref2d.logZ)).toBeLessThan(0.02);
  });

  it('is differentiable in q with a fixed key: JVP/VJP vs finite differences', () => {
    const key = random.key(5);
    checkDerivatives((mu, L) => monteCarloElbo(target, meanCholesky, { mu, L: ops.tril(L) }, { samples: 64, key }), [q2d.mu, q2d.L]);
  });

  it('gradients converge to the closed-form ELBO gradient as samples grow', () => {
    // Entries of L above the diagonal are not parameters: compare projected (lower-triangular) gradients.
    const exact = meanCholesky.project(grad(elboIn(meanCholesky))(q2d));
    for (const samples of [64, 4096, 262144]) {
      const g = meanCholesky.project(
        grad((q: Gaussian<'mu' | 'L'>) => monteCarloElbo(target, meanCholesky, q, { samples, key: random.key(6) }))(q2d),
      );
      // Monte-Carlo error ~ sd/√n. The per-sample gradient in L is (∇ log p)εᵀ with ∇ log p varying at the
      // curvature of log p (eigenvalues of K⁻¹ + I/σ² up to ≈ 4.7): relative sd ≈ 4, so 5 standard errors ≈ 20/√n.
      expect(Math.max(relErr(g.mu, exact.mu), relErr(g.L, exact.L))).toBeLessThan(20 / Math.sqrt(samples));
    }
  });

  it('checks the logTarget output shape and its options', () => {
    expect(() => monteCarloElbo((x) => ops.sum(x), meanCholesky, q2d, { samples: 4, key: random.key(0) })).toThrow(ShapeError);
    expect(() => monteCarloElbo((x) => ops.sum(x), meanCholesky, q2d, { samples: 4, key: random.key(0) })).toThrow(/\[4\]/);
    expect(() => monteCarloElbo(target, meanCholesky, q2d, { samples: 0, key: random.key(0) })).toThrow(InvalidArgumentError);
  });

  it('works for batches of Gaussians: [n, B, D] → [n, B], result [B]', () => {
    const q = randomIn(meanCholesky, 2, rng(7), 5, [3]);
    const batchTarget = (x: Value) => ops.mul(ops.sum(ops.square(x), -1), -0.5);
    const e = monteCarloElbo(batchTarget, meanCholesky, q, { samples: 10, key: random.key(8) });
    expect(e.shape).toEqual([3]);
  });
});

describe('elboNaturalGradient (2-D conjugate model, exact log-joint target)', () => {
  it('approaches the MATH.md natural gradient as samples grow', () => {
    for (const samples of [16, 1024, 65536, 1048576]) {
      const r = elboNaturalGradient({ logTarget: target, q: q2d, samples, key: random.key(1) });
      const errMu = relErr(r.naturalGradient.mu, Tensor.from(ref2d.natgradMu));
      const errL = relErr(r.naturalGradient.L, Tensor.from(ref2d.natgradL));
      // Monte-Carlo error shrinks like 1/√n (per-sample sd of order 1): the envelope 5/√n shrinks with it, so
      // passing at every size shows convergence, not just closeness at one size.
      expect(errMu).toBeLessThan(5 / Math.sqrt(samples));
      expect(errL).toBeLessThan(5 / Math.sqrt(samples));
    }
    const big = elboNaturalGradient({ logTarget: target, q: q2d, samples: 1048576, key: random.key(2) });
    expectValues(big.gradEta.eta1, ref2d.gradEta1, 0.01, '∂ℒ/∂η₁');
    expectValues(big.gradEta.eta2, ref2d.gradSigma, 0.01, '∂ℒ/∂η₂');
    expect(Math.abs(item(big.elbo) - ref2d.elbo)).toBeLessThan(0.01);
  });

  it('is deterministic for a fixed key; loss = −elbo; every method agrees', () => {
    const a = elboNaturalGradient({ logTarget: target, q: q2d, samples: 32, key: random.key(3) });
    const b = elboNaturalGradient({ logTarget: target, q: q2d, samples: 32, key: random.key(3) });
    expect(b).toEqual(a);
    expect(item(a.loss)).toBe(-item(a.elbo));
    const c = elboNaturalGradient({ logTarget: target, q: q2d, samples: 32, key: random.key(4) });
    expect(relErr(c.naturalGradient.mu, a.naturalGradient.mu)).toBeGreaterThan(1e-3);
    // The default is 'auto', which takes the fused closed form: bit for bit the 'closed-form' result.
    const closed = elboNaturalGradient({ logTarget: target, q: q2d, samples: 32, key: random.key(3), method: 'closed-form' });
    expect(closed.naturalGradient).toEqual(a.naturalGradient);
    for (const method of ['ad', 'auto'] as const) {
      const d = elboNaturalGradient({ logTarget: target, q: q2d, samples: 32, key: random.key(3), method });
      expect(relErr(d.naturalGradient.mu, a.naturalGradient.mu)).toBeLessThan(1e-13);
      expect(relErr(d.naturalGradient.L, a.naturalGradient.L)).toBeLessThan(1e-13);
    }
    expect(item(a.naturalGradient.L.slice(0, 1) as Value) === 0).toBe(true); // lower triangular
  });

  it('equals lossAndNaturalGradient of the same Monte-Carlo loss', () => {
    const key = random.key(5);
    const r = elboNaturalGradient({ logTarget: target, q: q2d, samples: 50, key });
    const s = lossAndNaturalGradient(
      (q) => ops.neg(monteCarloElbo(target, meanCholesky, q, { samples: 50, key })),
      meanCholesky,
      q2d,
    );
    expect(item(s.loss)).toBe(item(r.loss));
    expect(relErr(s.naturalGradient.L, r.naturalGradient.L)).toBeLessThan(1e-15);
    expect(relErr(s.gradEta.eta2, r.gradEta.eta2)).toBeLessThan(1e-15);
  });

  it('with the exact ELBO instead of Monte-Carlo, lossAndNaturalGradient gives the reference values', () => {
    const r = lossAndNaturalGradient(lossIn(meanCholesky), meanCholesky, q2d);
    expect(item(r.loss)).toBe(item(lossIn(meanCholesky)(q2d))); // the loss is evaluated at q bit for bit
    expectValues(r.naturalGradient.mu, ref2d.natgradMu, 1e-9);
  });

  it('rejects bad options', () => {
    expect(() => elboNaturalGradient({ logTarget: target, q: q2d, samples: 1.5, key: random.key(0) })).toThrow(InvalidArgumentError);
    expect(() => elboNaturalGradient({ logTarget: 3 as never, q: q2d, samples: 1, key: random.key(0) })).toThrow(/logTarget/);
  });

  it('finite differences of the Monte-Carlo loss agree with the Euclidean gradient it uses', () => {
    const key = random.key(9);
    const f = (mu: Value, L: Value) => ops.neg(monteCarloElbo(target, meanCholesky, { mu, L }, { samples: 40, key }));
    const dir = { mu: Tensor.from([0.3, -0.2]), L: Tensor.from([[0.1, 0], [0.4, -0.2]]) };
    const fd = finiteDifference(f, [q2d.mu, q2d.L], [dir.mu, dir.L], 1e-4);
    const g = grad((q: Gaussian<'mu' | 'L'>) => f(q.mu, q.L))(q2d);
    const dot = item(ops.add(ops.sum(ops.mul(g.mu, dir.mu)), ops.sum(ops.mul(g.L, dir.L))));
    expect(Math.abs(dot - item(fd))).toBeLessThan(1e-9);
  });
});
