/**
 * Stress property of NaturalGradient (issue 10.2): under random dimensions up to 50, huge step sizes, near-singular
 * targets and starting points, both coordinate modes, several parametrisations, and inside partition / chain /
 * trees of blocks, every state `update` emits is a usable Gaussian — it passes the parametrisation's validation, an
 * independent Cholesky of its covariance, and its natural parameters are finite — and anything else is a typed
 * error. `NATGRAD_STRESS_RUNS=2000 pnpm vitest run packages/optim/test/natural-gradient-stress.test.ts` runs a large
 * search and prints its figures.
 */
import { NatgradError, Tensor, grad } from '@natgrad/core';
import {
  type AnyParametrisation,
  convert,
  diagonal,
  diagonalNatural,
  kl,
  meanCholesky,
  meanCovariance,
  meanPrecision,
  natural,
} from '@natgrad/distributions';
import {
  Adam,
  type AnyRule,
  ClipNorm,
  Descent,
  IncreasingRate,
  Momentum,
  type OptimiserState,
  type Params,
  chain,
  partition,
  setup,
  update,
} from '@natgrad/optim';
import { NaturalGradient, nativeCoordinates, naturalCoordinates } from '@natgrad/optim/natural';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { choleskyOk, lowerTimesTranspose } from './helpers.js';

const LARGE = process.env.NATGRAD_STRESS_RUNS !== undefined;
const RUNS = Number(process.env.NATGRAD_STRESS_RUNS ?? 60);
const PARAMETRISATIONS: readonly AnyParametrisation[] = [meanCholesky, meanCovariance, meanPrecision, natural, diagonal, diagonalNatural];
const figures = { runs: 0, states: 0, invalid: 0, typedStops: 0, untyped: 0, backtracks: 0, rejected: 0 };

/** A deterministic stream of uniforms in [0, 1) from a seed (big arrays without big fast-check values). */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A near-singular SPD target: tiny eigenvalues on a diagonal, or low rank plus a small ridge. */
function target(d: number, kind: 'diagonal' | 'low-rank', rnd: () => number): Tensor {
  const out = new Float64Array(d * d);
  if (kind === 'diagonal') {
    for (let i = 0; i < d; i++) out[i * d + i] = 10 ** (-34 + 36 * rnd());
    return new Tensor(out, [d, d]);
  }
  const r = 1 + Math.floor(rnd() * d);
  const b = Array.from({ length: d * r }, () => 2 * rnd() - 1);
  for (let ridge = 10 ** (-4 - 12 * rnd()); ; ridge *= 10) {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = i === j ? ridge : 0;
        for (let k = 0; k < r; k++) s += b[i * r + k] * b[j * r + k];
        out[i * d + j] = s;
      }
    }
    if (choleskyOk(out, d)) return new Tensor(out.slice(), [d, d]);
  }
}

/** A starting block in P: Σ₀ = CCᵀ with C lower, its diagonal spread over 10^[−6, 1]; identity if P cannot hold it. */
function start(P: AnyParametrisation, d: number, rnd: () => number): Record<string, Tensor> {
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    c[i * d + i] = 10 ** (-6 + 7 * rnd());
    for (let j = 0; j < i; j++) c[i * d + j] = 0.5 * (2 * rnd() - 1);
  }
  const mu = Tensor.from(Array.from({ length: d }, () => 4 * rnd() - 2));
  const diagonalOnly = P.family === 'diagonal';
  const sqrt = { mu, L: new Tensor(c, [d, d]) };
  for (const q of [sqrt, { mu, L: Tensor.eye(d) }]) {
    try {
      const moments = diagonalOnly ? { mu, sigma2: Tensor.from(Array.from({ length: d }, (_, i) => q.L.data[i * d + i] ** 2)) } : undefined;
      const x = (moments ? convert(moments, diagonal, P) : convert(q, meanCholesky, P)) as Record<string, Tensor>;
      if (usable(P, x)) return x;
    } catch (e) {
      if (!(e instanceof NatgradError)) throw e;
    }
  }
  throw new Error('no usable start');
}

/** Validation, an independent Cholesky of the covariance (LLᵀ by hand for (μ, L)), and finite natural parameters. */
function usable(P: AnyParametrisation, q: Record<string, Tensor>): boolean {
  try {
    P.validate(q as never);
    const theta = P.toNatural(q as never) as { theta1: Tensor; theta2: Tensor };
    if (![...theta.theta1.data, ...theta.theta2.data].every(Number.isFinite)) return false;
    const d = (q[P.keys[0] as string] as Tensor).shape[0];
    if (P.family === 'diagonal') {
      const s2 = (P.toMoments(q as never) as unknown as { sigma2: Tensor }).sigma2.data;
      return Array.from(s2).every((x) => x > 0 && x < Infinity);
    }
    const sigma = P === meanCholesky ? lowerTimesTranspose(q.L.data, d) : (P.toMoments(q as never) as unknown as { Sigma: Tensor }).Sigma.data;
    return choleskyOk(sigma, d);
  } catch (e) {
    if (e instanceof NatgradError) return false;
    throw e;
  }
}

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  // mostly small dimensions (fast), sometimes up to 50
  d: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 7, max: 50 }) }),
  p: fc.integer({ min: 0, max: PARAMETRISATIONS.length - 1 }),
  coordinates: fc.constantFrom('natural' as const, 'native' as const),
  riemannian: fc.boolean(),
  logRate: fc.double({ min: -3, max: 8, noNaN: true }),
  inner: fc.constantFrom('Descent', 'Momentum', 'IncreasingRate', 'Adam'),
  targetKind: fc.constantFrom('diagonal' as const, 'low-rank' as const),
  wrapper: fc.constantFrom('plain', 'partition', 'chain', 'tree'),
  maxHalvings: fc.integer({ min: 0, max: 12 }),
  steps: fc.integer({ min: 1, max: LARGE ? 40 : 4 }),
});

function innerRule(name: string, lr: number): AnyRule {
  if (name === 'Momentum') return Momentum(lr, 0.9);
  if (name === 'IncreasingRate') return IncreasingRate(lr, 1);
  if (name === 'Adam') return Adam(lr);
  return Descent(lr);
}

describe('NaturalGradient never emits an unusable Gaussian (fast-check stress)', () => {
  afterAll(() => {
    if (LARGE) console.log('NaturalGradient stress:', JSON.stringify(figures));
  });

  it(`${RUNS} random runs: every emitted block is usable, every failure is typed`, () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        figures.runs++;
        const rnd = lcg(sc.seed);
        const P = PARAMETRISATIONS[sc.p];
        const d = P.family === 'diagonal' || LARGE ? sc.d : Math.min(sc.d, 30); // full blocks: keep the suite fast
        const Sigma = target(d, sc.targetKind, rnd);
        const goal = { mu: Tensor.from(Array.from({ length: d }, () => 2 * rnd() - 1)), Sigma };
        const loss = (q: any) => kl(P, q, meanCovariance, goal);
        const g = grad(loss);
        const ng = NaturalGradient(innerRule(sc.inner, 10 ** sc.logRate), {
          coordinates: sc.coordinates === 'natural' ? naturalCoordinates(P, { riemannian: sc.riemannian }) : nativeCoordinates(P),
          maxHalvings: sc.maxHalvings,
          maxConsecutiveRejections: 2,
        });
        const q0 = start(P, d, rnd);
        let params: any;
        let rule: AnyRule;
        let blocks: (p: any) => Record<string, Tensor>[];
        let grads: (p: any) => Params;
        if (sc.wrapper === 'partition') {
          params = { q: q0, h: Tensor.from([1, -1]) };
          rule = partition({ ng, other: Adam(0.1) }, { q: 'ng', h: 'other' });
          blocks = (p) => [p.q];
          grads = (p) => ({ q: g(p.q), h: Tensor.from([0.3, -0.2]) });
        } else if (sc.wrapper === 'tree') {
          params = { a: q0, b: [start(P, d, rnd)] };
          rule = ng;
          blocks = (p) => [p.a, p.b[0]];
          grads = (p) => ({ a: g(p.a), b: [g(p.b[0])] });
        } else {
          params = q0;
          rule = sc.wrapper === 'chain' ? chain(ClipNorm(1e6, 2, { global: true }), ng) : ng;
          blocks = (p) => [p];
          grads = (p) => g(p);
        }
        let opt: OptimiserState = setup(rule, params);
        for (let t = 0; t < sc.steps; t++) {
          try {
            [opt, params] = update(opt, params, grads(params));
          } catch (e) {
            if (e instanceof NatgradError) {
              figures.typedStops++;
              return true; // a typed refusal: nothing was emitted
            }
            figures.untyped++;
            throw e;
          }
          figures.backtracks += opt.events.filter((e) => e.type === 'backtrack').length;
          figures.rejected += opt.events.filter((e) => e.type === 'step-rejected').length;
          for (const b of blocks(params)) {
            figures.states++;
            if (!usable(P, b)) {
              figures.invalid++;
              return false;
            }
          }
        }
        return true;
      }),
      { numRuns: RUNS },
    );
    expect(figures.invalid).toBe(0);
    expect(figures.untyped).toBe(0);
    expect(figures.states).toBeGreaterThan(RUNS); // the runs really emitted states (not all refused at step 1)
  }, LARGE ? 3_600_000 : undefined);
});
