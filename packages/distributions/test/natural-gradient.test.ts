/**
 * Closed forms against the AD route, batches against loops, and symmetrisation of η₂ directions (MATH.md pitfall).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Tensor, type Value, grad, jvp, ops, random, vjp } from '@natgrad/core';
import {
  type AnyParametrisation,
  type ExpectationParameters,
  type Gaussian,
  diagonal,
  diagonalExpectation,
  diagonalLogScale,
  diagonalNatural,
  entropy,
  expectation,
  expectationGradient,
  meanCholesky,
  meanCovariance,
  meanPrecision,
  natural,
  naturalGradient,
  naturalGradientFromEuclidean,
  sample,
  meanLogCholesky,
} from '@natgrad/distributions';
import { expectGaussianClose, randn, randomIn, randomLike, relErr, rng } from './util/gaussians.js';
import { opsClosedForm } from './util/mean-cholesky-reference.js';

const FULL: AnyParametrisation[] = [meanCovariance, meanCholesky, natural, expectation, meanPrecision, meanLogCholesky];
const DIAGONAL: AnyParametrisation[] = [diagonal, diagonalNatural, diagonalExpectation, diagonalLogScale];
const ALL = [...FULL, ...DIAGONAL];

function randomEta(P: AnyParametrisation, q: Gaussian<string>, next: () => number): ExpectationParameters {
  const mu = P.toMoments(q).mu;
  const d = mu.shape[mu.shape.length - 1];
  const batch = mu.shape.slice(0, -1);
  return { eta1: randn([...batch, d], next), eta2: randn(P.family === 'full' ? [...batch, d, d] : [...batch, d], next) };
}

const slice = (g: Record<string, Value>, i: number) =>
  Object.fromEntries(Object.entries(g).map(([k, v]) => [k, ops.slice(v, i)])) as Record<string, Value>;

/**
 * Closed form vs AD: both are exact formulas for the same linear map, evaluated in a different order, so they agree
 * to rounding amplified by the conditioning of q (κ ≤ 1e3 here: tolerance 1e-14·κ² covers the products Σ G Σ).
 */
const closedTol = (cond: number) => 1e-12 + 1e-14 * cond * cond;
const condArb = fc.double({ min: 0, max: 3, noNaN: true }).map((e) => 10 ** e);

describe('closed form ≡ AD route', () => {
  const withClosed = ALL.filter((P) => P.closedFormNaturalGradient !== undefined);
  const withEuclidean = ALL.filter((P) => P.closedFormNaturalGradientFromEuclidean !== undefined);

  it('every built-in but diagonalLogScale has both closed forms', () => {
    expect(withClosed.map((P) => P.name).sort()).toEqual(
      ALL.filter((P) => P !== diagonalLogScale && P !== meanLogCholesky).map((P) => P.name).sort(),
    );
    expect(withEuclidean.map((P) => P.name).sort()).toEqual(withClosed.map((P) => P.name).sort());
  });

  it.each(withClosed.map((P) => [P.name, P] as const))('%s: from ∂L/∂η', (_, P) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer(), condArb, (d, seed, cond) => {
        const next = rng(seed);
        const q = randomIn(P, d, next, cond);
        const g = randomEta(P, q, next);
        const a = naturalGradient(P, q, g, { method: 'closed-form' });
        const b = naturalGradient(P, q, g, { method: 'ad' });
        expectGaussianClose(a, b, closedTol(cond), P.name);
        expect(naturalGradient(P, q, g)).toEqual(a); // 'auto' prefers the closed form
      }),
      { numRuns: 25 },
    );
  });

  it.each(withEuclidean.map((P) => [P.name, P] as const))('%s: from ∂L/∂ξ', (_, P) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer(), condArb, (d, seed, cond) => {
        const next = rng(seed);
        const q = randomIn(P, d, next, cond);
        const g = randomLike(q, next);
        const a = naturalGradientFromEuclidean(P, q, g, { method: 'closed-form' });
        const b = naturalGradientFromEuclidean(P, q, g, { method: 'ad' });
        expectGaussianClose(a, b, closedTol(cond), P.name);
      }),
      { numRuns: 25 },
    );
  });

  it("'closed-form' without one is an InvalidArgumentError; an unknown method too", () => {
    const q = randomIn(diagonalLogScale, 2, rng(1));
    const g = randomEta(diagonalLogScale, q, rng(2));
    expect(() => naturalGradient(diagonalLogScale, q, g, { method: 'closed-form' })).toThrow(InvalidArgumentError);
    expect(() => naturalGradient(diagonalLogScale, q, g, { method: 'closed-form' })).toThrow(/diagonalLogScale has no closed-form/);
    expect(() => naturalGradient(diagonalLogScale, q, g, { method: 'fast' as never })).toThrow(/method must be one of/);
  });
});

describe('batches', () => {
  it.each(ALL.map((P) => [P.name, P] as const))('%s: a batch of 3 equals a loop over the batch', (_, P) => {
    const next = rng(5);
    const q = randomIn(P, 3, next, 100, [3]);
    const gEta = randomEta(P, q, next);
    const gXi = randomLike(q, next);
    for (const method of ['ad', 'auto'] as const) {
      const a = naturalGradient(P, q, gEta, { method }) as Record<string, Value>;
      const b = naturalGradientFromEuclidean(P, q, gXi, { method }) as Record<string, Value>;
      const c = expectationGradient(P, q, gXi) as unknown as Record<string, Value>;
      for (let i = 0; i < 3; i++) {
        const qi = slice(q, i);
        const gi = slice(gEta as never, i) as unknown as ExpectationParameters;
        expectGaussianClose(slice(a, i), naturalGradient(P, qi, gi, { method }), 1e-13, `${P.name} ${method} [${i}]`);
        expectGaussianClose(slice(b, i), naturalGradientFromEuclidean(P, qi, slice(gXi, i), { method }), 1e-13, `${P.name} [${i}]`);
        expectGaussianClose(slice(c, i), expectationGradient(P, qi, slice(gXi, i)) as never, 1e-13, `${P.name} ∂L/∂η [${i}]`);
      }
    }
  });

  it('two batch axes [2, 2] work as well', () => {
    const next = rng(8);
    const q = randomIn(meanCholesky, 2, next, 10, [2, 2]);
    const g = randomEta(meanCholesky, q, next);
    const ng = naturalGradient(meanCholesky, q, g, { method: 'ad' });
    expect(ng.L.shape).toEqual([2, 2, 2, 2]);
    expectGaussianClose(ng, naturalGradient(meanCholesky, q, g, { method: 'closed-form' }), 1e-12);
  });
});

describe('symmetrisation of η₂ directions', () => {
  it('G, Gᵀ and ½(G + Gᵀ) as ∂L/∂η₂ give bit-identical results in every parametrisation and method', () => {
    const next = rng(21);
    for (const P of FULL) {
      const q = randomIn(P, 4, next, 50);
      const G = randn([4, 4], next);
      const g1 = randn([4], next);
      const variants = [G, ops.matrixTranspose(G), ops.mul(ops.add(G, ops.matrixTranspose(G)), 0.5)];
      for (const method of ['ad', 'auto'] as const) {
        const [a, b, c] = variants.map((eta2) => naturalGradient(P, q, { eta1: g1, eta2 }, { method }));
        expect(b).toEqual(a);
        expect(c).toEqual(a);
      }
    }
  });

  it('a Euclidean gradient is projected first: G vs Gᵀ (symmetric coordinates), G vs tril(G) (L)', () => {
    const next = rng(22);
    for (const P of FULL) {
      const q = randomIn(P, 4, next, 50);
      const g = randomLike(q, next);
      const other: Record<string, Value> = {};
      for (const k of P.keys) {
        const kind = P.coordinates[k];
        other[k] = kind === 'symmetric' ? ops.matrixTranspose(g[k]) : kind === 'vector' ? g[k] : ops.tril(g[k]);
      }
      for (const method of ['ad', 'auto'] as const) {
        expectGaussianClose(naturalGradientFromEuclidean(P, q, other, { method }), naturalGradientFromEuclidean(P, q, g, { method }), 1e-14, P.name);
      }
      expectGaussianClose(expectationGradient(P, q, other) as never, expectationGradient(P, q, g) as never, 1e-14, P.name);
    }
  });

  it('the pitfall (MATH.md): an unsymmetrised η₂ direction pushed through the formulas gives wrong answers', () => {
    // 4-D example: q in (μ, L) and a non-symmetric G. The formulas dμ = Σ(g₁ + 2Gμ) and dL = LΦ(2LᵀGL) assume a
    // symmetric G: fed G directly they are off by O(1–10). The library's fused (μ, L) primitives read G through its
    // symmetric part, so even the bare closed form (P.unchecked) is right; the checked map symmetrises first as well.
    const next = rng(4);
    const q = randomIn(meanCholesky, 4, next, 20);
    const g = { eta1: randn([4], next), eta2: randn([4, 4], next, 3) };
    const right = naturalGradient(meanCholesky, q, g);
    const wrong = opsClosedForm(q, g);
    expect(relErr(meanCholesky.closedFormNaturalGradient!(q, g).L, right.L)).toBeLessThan(1e-14);
    expectGaussianClose(meanCholesky.unchecked.closedFormNaturalGradient!(q, g), right, 1e-14);
    const err = Math.max(relErr(wrong.mu, right.mu), relErr(wrong.L, right.L));
    expect(err).toBeGreaterThan(0.1);
    // In (μ, Σ) an unsymmetrised Euclidean gradient makes the step 2ΣGΣ asymmetric: one step later Σ is invalid.
    const qs = randomIn(meanCovariance, 4, next, 20);
    const G = randn([4, 4], next);
    const raw = meanCovariance.unchecked.closedFormNaturalGradientFromEuclidean!(qs, { mu: qs.mu, Sigma: G });
    const sym = naturalGradientFromEuclidean(meanCovariance, qs, { mu: qs.mu, Sigma: G });
    expect(relErr(raw.Sigma, sym.Sigma)).toBeLessThan(1e-14); // our closed form symmetrises its own output…
    const unsymmetrisedStep = ops.matmul(qs.Sigma, ops.matmul(ops.mul(G, 2), qs.Sigma)); // …the naive formula does not
    expect(relErr(unsymmetrisedStep, ops.matrixTranspose(unsymmetrisedStep))).toBeGreaterThan(0.1);
    // And the dual-number route through a map that does not symmetrise its tangent (η ↦ ξ via Σ = η₂ − η₁η₁ᵀ
    // inverted by LU, not Cholesky) differs as soon as the direction is not symmetric.
    const theta = natural.fromMoments(meanCovariance.toMoments(qs));
    const viaInverse = (th: { theta1: Value; theta2: Value }) => ops.inv(ops.mul(th.theta2, -2));
    const [, dG] = jvp(viaInverse, [theta], [{ theta1: g.eta1, theta2: G }]);
    const [, dS] = jvp(viaInverse, [theta], [{ theta1: g.eta1, theta2: ops.mul(ops.add(G, ops.matrixTranspose(G)), 0.5) }]);
    expect(relErr(dG as Tensor, dS as Tensor)).toBeGreaterThan(0.1);
  });
});

describe('pull-back accuracy', () => {
  it('pulling back through the moments avoids the cancellation in η₂ − η₁η₁ᵀ when |μ|² ≫ ‖Σ‖', () => {
    // |μ| = 1e5, Σ ≈ 1e-2: recomputing Σ from η loses ~|μ|²/‖Σ‖·u ≈ 1e-4 relative. The pull-back used here is the
    // same linear map evaluated at the moments of q, so the AD route keeps the closed form's accuracy for L.
    const q = { mu: Tensor.from([1e5, -7e4]), L: Tensor.from([[0.1, 0], [0.05, 0.2]]) };
    const g = { mu: Tensor.from([0.3, -0.2]), L: Tensor.from([[1, 0], [0.5, -2]]) };
    const exact = naturalGradientFromEuclidean(meanCholesky, q, g, { method: 'closed-form' });
    const ours = naturalGradientFromEuclidean(meanCholesky, q, g, { method: 'ad' });
    expect(relErr(ours.L, exact.L)).toBeLessThan(1e-14);
    const [, pullback] = vjp((e: ExpectationParameters) => meanCholesky.fromExpectation(e), [meanCholesky.toExpectation(q)]);
    const literal = naturalGradient(meanCholesky, q, pullback(g)[0] as ExpectationParameters, { method: 'ad' });
    expect(relErr(literal.L, exact.L)).toBeGreaterThan(1e-7);
  });
});

describe('Euclidean gradients in (μ, L)', () => {
  it('are zero above the diagonal, so a plain optimiser keeps L lower triangular', () => {
    const q = { mu: Tensor.from([0.2, -0.1, 0.3]), L: Tensor.from([[0.8, 0, 0], [0.3, 0.6, 0], [-0.2, 0.1, 0.9]]) };
    const loss = (qq: typeof q) => ops.add(ops.sum(ops.square(sample(meanCholesky, qq, random.key(1), 8))), entropy(meanCholesky, qq));
    const g = grad(loss)(q) as { L: Tensor };
    expect([g.L.get(0, 1), g.L.get(0, 2), g.L.get(1, 2)]).toEqual([0, 0, 0]);
    expect(Math.abs(g.L.get(2, 0))).toBeGreaterThan(0);
  });
});
