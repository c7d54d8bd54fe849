/**
 * The natural gradient in every parametrisation equals F_v⁻¹ ∂L/∂v with a dense Fisher matrix built from Jacobians
 * (small D). v are the free coordinates of ξ (all entries of vectors, the lower triangle of symmetric and triangular
 * matrices); F_v = J_θᵀ J_η with J_θ = ∂vec(θ)/∂v and J_η = ∂vec(η)/∂v over all matrix entries (the
 * sufficient-statistic pairing ⟨θ, T(x)⟩ of MATH.md), and ∂L/∂v by reverse mode.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tensor, type Value, grad, jacobian, ops } from '@natgrad/core';
import {
  type AnyParametrisation,
  type CoordinateKind,
  type FullMoments,
  type Gaussian,
  diagonalLogScale,
  lossAndNaturalGradient,
  naturalGradient,
  naturalGradientFromEuclidean,
  parametrisations,
} from '@natgrad/distributions';
import { randn, randomIn, randomSpd, relErr, rng } from './util/gaussians.js';

// Every built-in, so a new one is covered automatically (meanLogCholesky and diagonalLogScale exercise the AD route).
const ALL: AnyParametrisation[] = Object.values(parametrisations);

const isMatrix = (k: CoordinateKind) => k === 'symmetric' || k === 'lower' || k === 'cholesky';

/** Linear maps between free coordinates v and the coordinates of ξ (written as products, so differentiable). */
function coordinateMaps(P: AnyParametrisation, d: number) {
  const parts = P.keys.map((key: string) => {
    const kind = P.coordinates[key] as CoordinateKind;
    if (!isMatrix(kind)) return { key, size: d, embed: null as Tensor | null, pick: [] as number[] };
    const pairs: [number, number][] = [];
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) pairs.push([i, j]);
    const e = Tensor.zeros([d * d, pairs.length]);
    pairs.forEach(([i, j], k) => {
      e.data[(i * d + j) * pairs.length + k] = 1;
      if (kind === 'symmetric') e.data[(j * d + i) * pairs.length + k] = 1;
    });
    return { key, size: pairs.length, embed: e, pick: pairs.map(([i, j]) => i * d + j) };
  });
  const unpack = (v: Value): Gaussian<string> => {
    const out: Record<string, Value> = {};
    let o = 0;
    for (const p of parts) {
      const seg = ops.slice(v, [o, o + p.size]);
      out[p.key] = p.embed ? ops.reshape(ops.matmul(p.embed, seg), [d, d]) : seg;
      o += p.size;
    }
    return out;
  };
  const pack = (g: Gaussian<string>): Tensor => {
    const vals: number[] = [];
    for (const p of parts) {
      const t = g[p.key] as Tensor;
      if (p.embed) for (const idx of p.pick) vals.push(t.data[idx]);
      else vals.push(...t.data);
    }
    return Tensor.from(vals);
  };
  return { unpack, pack };
}

/** A random smooth objective of the moments with coupled mean and covariance terms. */
function randomObjective(d: number, next: () => number) {
  const a = randn([d], next), A = randomSpd(d, next, 5), B = randn([d, d], next), c = 0.3 + next();
  return (m: FullMoments): Value => {
    const quad = ops.mul(ops.dot(m.mu, ops.matmul(A, m.mu)), 0.5);
    const sig = ops.add(ops.sum(ops.mul(B, m.Sigma)), ops.mul(ops.sum(ops.square(m.Sigma)), c));
    const couple = ops.mul(ops.sum(m.mu), ops.trace(m.Sigma));
    return ops.add(ops.add(ops.dot(a, m.mu), quad), ops.add(sig, couple));
  };
}

function momentsOf(P: AnyParametrisation, q: Gaussian<string>): FullMoments {
  const m = P.toMoments(q) as unknown as Record<string, Value>;
  return P.family === 'full' ? (m as unknown as FullMoments) : { mu: m.mu, Sigma: ops.diag(m.sigma2) };
}

const flatPair = (x: { [k: string]: Value }, a: string, b: string) => ops.concat([ops.ravel(x[a]), ops.ravel(x[b])]);

describe.each(ALL.map((P) => [P.name, P] as const))('%s', (_, P) => {
  it('natural gradient = F_v⁻¹ ∂L/∂v (dense Fisher from Jacobians), every method and entry point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer(), (d, seed) => {
        const next = rng(seed);
        const q = randomIn(P, d, next, 10);
        const objective = randomObjective(d, next);
        const loss = (qq: Gaussian<string>) => objective(momentsOf(P, qq));
        const { unpack, pack } = coordinateMaps(P, d);
        const v0 = pack(q);

        const jTheta = jacobian((v) => flatPair(P.toNatural(unpack(v)) as never, 'theta1', 'theta2'))(v0);
        const jEta = jacobian((v) => flatPair(P.toExpectation(unpack(v)) as never, 'eta1', 'eta2'))(v0);
        const fisher = ops.matmul(ops.matrixTranspose(jTheta), jEta);
        expect(relErr(fisher, ops.matrixTranspose(fisher))).toBeLessThan(1e-9); // the Fisher is symmetric
        const gv = grad((v: Value) => loss(unpack(v)))(v0);
        const dense = ops.solve(fisher, gv);

        const gXi = grad(loss)(q);
        const results: [string, Gaussian<string>][] = [
          ['fromEuclidean ad', naturalGradientFromEuclidean(P, q, gXi, { method: 'ad' })],
          ['fromEuclidean auto', naturalGradientFromEuclidean(P, q, gXi)],
          ['lossAndNaturalGradient ad', lossAndNaturalGradient(loss, P, q, { method: 'ad' }).naturalGradient],
          ['lossAndNaturalGradient auto', lossAndNaturalGradient(loss, P, q).naturalGradient],
        ];
        const gEta = lossAndNaturalGradient(loss, P, q).gradEta;
        results.push(['naturalGradient ad', naturalGradient(P, q, gEta, { method: 'ad' })]);
        for (const [what, ng] of results) {
          // F is built from products of Jacobians at κ(Σ) ≤ 10: its solve loses a few digits at most.
          const e = relErr(pack(ng), dense);
          if (!(e < 1e-8)) throw new Error(`${P.name} ${what}: relative error ${e}`);
          for (const k of P.keys) expect(ng[k].shape).toEqual(q[k].shape);
        }
      }),
      { numRuns: 8 },
    );
  });
});

describe('diagonalLogScale (AD only) against its hand-derived closed form', () => {
  it('natgrad_μ = σ² ∂L/∂μ, natgrad_logσ = ½ ∂L/∂logσ (Fisher diag(1/σ², 2))', () => {
    const next = rng(11);
    const q = randomIn(diagonalLogScale, 4, next);
    const g = { mu: randn([4], next), logSigma: randn([4], next) };
    const ng = naturalGradientFromEuclidean(diagonalLogScale, q, g);
    const sigma2 = ops.exp(ops.mul(q.logSigma, 2));
    expect(relErr(ng.mu, ops.mul(sigma2, g.mu))).toBeLessThan(1e-14);
    expect(relErr(ng.logSigma, ops.mul(g.logSigma, 0.5))).toBeLessThan(1e-14);
  });
});
