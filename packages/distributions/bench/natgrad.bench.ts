/**
 * The natural gradient in (μ, L): where the fused closed form's kernels cross over (triangular loops vs blocked gemm,
 * per backend) and what `method: 'auto'` picks (the fused closed form against the closed form written with ops and the
 * one-JVP route); both routes against one Cholesky factorisation of the same size; the one-pass JVP against the
 * seed's first approach (an explicit Jacobian of θ ↦ (μ, L) times the vector); and what argument checks cost: a
 * descriptor's checked maps against its bare `unchecked` maps. Run with `pnpm bench natgrad`.
 */
import { Tensor, type Value, cholesky, getBackend, jacobian, ops, setBackend } from '@natgrad/core';
import {
  type AnyParametrisation,
  type Gaussian,
  convert,
  diagonal,
  meanCholesky,
  meanCovariance,
  naturalGradient,
  parametrisations,
} from '@natgrad/distributions';
import { type BenchSection, formatRatio, formatTime, lcgSpd, lcgUniform, time } from '../../../bench/harness.js';
import { type Sampler, interleave, loadNow, local, pairedRatio } from '../../../bench/interleave.js';
import { BLOCKED_MIN_ORDER } from '../src/fused/cholesky-step.js';
import { STEP_BLOCK, choleskyStepBlocked } from '../src/fused/cholesky-step-blocked.js';
import { choleskyStepLoops } from '../src/fused/cholesky-step-loops.js';
import { opsClosedForm } from '../test/util/mean-cholesky-reference.js';

/** A Gaussian in (μ, L) and a symmetric ∂L/∂η of dimension d. */
function problem(d: number) {
  const sigma = new Tensor(lcgSpd(d, d), [d, d]);
  const q = { mu: new Tensor(lcgUniform(d, d + 1), [d]), L: cholesky(sigma) as Tensor };
  const g = { eta1: new Tensor(lcgUniform(d, d + 2), [d]), eta2: ops.mul(new Tensor(lcgSpd(d, d + 3), [d, d]), 0.1) as Tensor };
  return { sigma, q, g };
}

function maxDiff(a: Value, b: Value): number {
  const x = (a as Tensor).data, y = (b as Tensor).data;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** The step of L by both kernels at each D, on each backend: the measurement behind BLOCKED_MIN_ORDER. */
async function kernelCrossover(): Promise<BenchSection> {
  const rows: (string | number)[][] = [];
  const load = loadNow();
  const before = getBackend();
  for (const backend of ['auto', 'js'] as const) {
    setBackend(backend);
    for (const d of [8, 16, 20, 24, 28, 32, 48, 64, 96, 128, 256]) {
      if (backend === 'js' && d < 32) continue;
      const L = cholesky(new Tensor(lcgSpd(d, d), [d, d])) as Tensor;
      const G = new Tensor(lcgSpd(d, d + 3), [d, d]);
      const y = new Float64Array(d * d);
      const r = await interleave(
        {
          loops: local(() => choleskyStepLoops(false, d, L.data, 0, G.data, 0, y, 0)),
          blocked: local(() => choleskyStepBlocked(false, d, L.data, 0, G.data, 0, y.fill(0), 0)),
        },
        { rounds: 9, batchMs: 20 },
      );
      const ratio = pairedRatio(r.blocked, r.loops);
      rows.push([backend === 'auto' ? 'WebAssembly (auto)' : 'JavaScript', d, formatTime(r.loops.median), formatTime(r.blocked.median), formatRatio(ratio), ratio < 1 ? 'blocked' : 'loops']);
    }
  }
  setBackend(before);
  return {
    title: 'Fused (μ, L) closed form: kernel crossover',
    description:
      'The step of L, `L·Φ(Lᵀ(G + Gᵀ)L)`, for one D×D matrix: the triangular register-blocked loops (5D³/3 flops) ' +
      `against the blocked path (core's \`gemm\` on ${STEP_BLOCK}×${STEP_BLOCK} blocks that skips the zero blocks of the ` +
      'triangular factors; while D ≤ 64 it is three dense products, 6D³ flops). Under `auto` the gemm calls run on ' +
      'WebAssembly SIMD from 16³; with `setBackend(\'js\')` on the JavaScript gemm.',
    headers: ['backend', 'D', 'loops', 'blocked gemm', 'blocked / loops', 'faster'],
    rows,
    notes: [
      `CPU time, median of 9 interleaved rounds; load average ${load}. The kernel takes the blocked path from ` +
        `D = ${BLOCKED_MIN_ORDER} (\`BLOCKED_MIN_ORDER\`) unless the backend is forced to JavaScript, where the ` +
        'loops are faster at every size measured.',
    ],
  };
}

/** `method: 'auto'` picks the fused closed form: against the closed form written with ops and the one-JVP route. */
async function autoChoice(): Promise<BenchSection> {
  const rows: (string | number)[][] = [];
  const versusAd: number[] = [];
  const load = loadNow();
  const before = getBackend();
  // The JavaScript backend runs the fused form on its loops at every D: checked at the sizes where that matters.
  const plan: ['auto' | 'js', number[]][] = [['auto', [2, 4, 8, 16, 32, 64, 128, 256]], ['js', [64, 256]]];
  for (const [backend, dims] of plan) {
    setBackend(backend);
    for (const d of dims) {
      const { q, g } = problem(d);
      const samplers: Record<string, Sampler> = {
        fused: local(() => naturalGradient(meanCholesky, q, g, { validate: false })),
        ops: local(() => opsClosedForm(q, g)),
        ad: local(() => naturalGradient(meanCholesky, q, g, { method: 'ad', validate: false })),
      };
      const r = await interleave(samplers, { rounds: d >= 128 ? 5 : 9, batchMs: 25 });
      versusAd.push(pairedRatio(r.fused, r.ad));
      rows.push([
        backend === 'auto' ? 'auto (WebAssembly)' : 'JavaScript', d, formatTime(r.fused.median), formatTime(r.ops.median),
        formatTime(r.ad.median), formatRatio(pairedRatio(r.fused, r.ops)), formatRatio(versusAd[versusAd.length - 1]),
      ]);
    }
  }
  setBackend(before);
  const slowest = Math.max(...versusAd);
  return {
    title: "Natural gradient in (μ, L): what `method: 'auto'` picks",
    description:
      "`naturalGradient(meanCholesky, q, ∂L/∂η, { validate: false })` with the default `method: 'auto'` (the fused " +
      "closed form) against the same closed form written with core ops (symmetrise, three `matmul`s, Φ, two " +
      "matrix–vector products: the library's closed form before the fused primitives) and the one-JVP route " +
      "(`method: 'ad'`), without validation so the routes themselves are compared; on the default backend and with " +
      "`setBackend('js')`.",
    headers: ['backend', 'D', 'fused closed form (auto)', 'closed form with ops', 'one-JVP route', 'fused / ops', 'fused / one-JVP'],
    rows,
    notes: [
      `CPU time, median of 5–9 interleaved rounds; load average ${load}. ` +
        (slowest < 1
          ? "The fused form is faster than the one-JVP route at every D and backend measured (at most " +
            `${formatRatio(slowest)} its time here), so there is no crossover: \`'auto'\` (and \`'closed-form'\`) always ` +
            "take it for (μ, L); `'ad'` keeps the one-JVP route."
          : `**The one-JVP route was faster somewhere in this run (fused / one-JVP up to ${formatRatio(slowest)})**: ` +
            "`'auto'` would need a crossover."),
    ],
  };
}

/** A valid Gaussian of dimension d in P (converted from moments as the library does) and a direction ∂L/∂η. */
function problemIn(P: AnyParametrisation, d: number) {
  const mu = new Tensor(lcgUniform(d, d + 1), [d]);
  const full = P.family === 'full';
  const base: AnyParametrisation = full ? meanCovariance : diagonal;
  const moments: Gaussian<string> = full
    ? { mu, Sigma: new Tensor(lcgSpd(d, d), [d, d]) }
    : { mu, sigma2: new Tensor(Float64Array.from(lcgUniform(d, d + 4), (u) => 1.5 + u), [d]) };
  const q = convert(moments, base, P);
  const eta2 = full ? ops.mul(new Tensor(lcgSpd(d, d + 3), [d, d]), 0.1) : new Tensor(lcgUniform(d, d + 3), [d]);
  return { q, g: { eta1: new Tensor(lcgUniform(d, d + 2), [d]), eta2 } };
}

/** `'auto'` against `'ad'` in every built-in parametrisation that has a closed form: is there a crossover anywhere? */
async function autoEveryParametrisation(): Promise<BenchSection> {
  const rows: (string | number)[][] = [];
  const ratios: number[] = [];
  const load = loadNow();
  for (const P of Object.values(parametrisations) as AnyParametrisation[]) {
    if (P.unchecked.closedFormNaturalGradient === undefined) continue;
    for (const d of [4, 64]) {
      const { q, g } = problemIn(P, d);
      const r = await interleave(
        {
          auto: local(() => naturalGradient(P, q, g, { validate: false })),
          ad: local(() => naturalGradient(P, q, g, { method: 'ad', validate: false })),
        },
        { rounds: 7, batchMs: 20 },
      );
      ratios.push(pairedRatio(r.auto, r.ad));
      rows.push([P.name, d, formatTime(r.auto.median), formatTime(r.ad.median), formatRatio(ratios[ratios.length - 1])]);
    }
  }
  const worst = Math.max(...ratios);
  return {
    title: "`method: 'auto'` in every parametrisation with a closed form",
    description:
      "`naturalGradient(P, q, ∂L/∂η, { validate: false })` with `'auto'` (the parametrisation's closed form) against " +
      "`'ad'` (one dual-number pass through `P.fromNatural`), for each built-in parametrisation that has a closed " +
      'form, at D = 4 and 64. Parametrisations without one (meanLogCholesky, diagonalLogScale) always use the JVP.',
    headers: ['parametrisation', 'D', "'auto' (closed form)", "'ad' (one JVP)", 'auto / ad'],
    rows,
    notes: [
      `CPU time, median of 7 interleaved rounds; load average ${load}. ` +
        (worst < 1
          ? `The closed form is the faster route everywhere measured (auto / ad at most ${formatRatio(worst)}), so \`'auto'\` ` +
            'takes it whenever a parametrisation has one, with no size threshold.'
          : `**'ad' was faster somewhere in this run (auto / ad up to ${formatRatio(worst)})**: 'auto' would need a crossover.`),
    ],
  };
}

async function versusCholesky(): Promise<BenchSection> {
  const rows: (string | number)[][] = [];
  for (const d of [4, 16, 64, 256]) {
    const { sigma, q, g } = problem(d);
    const err = maxDiff(naturalGradient(meanCholesky, q, g, { method: 'ad' }).L, naturalGradient(meanCholesky, q, g, { method: 'closed-form' }).L);
    if (!(err < 1e-8)) throw new Error(`natgrad bench: AD and closed form disagree at D = ${d} (${err})`);
    const r = await interleave(
      {
        chol: local(() => cholesky(sigma)),
        ad: local(() => naturalGradient(meanCholesky, q, g, { method: 'ad' })),
        closed: local(() => naturalGradient(meanCholesky, q, g, { method: 'closed-form' })),
      },
      { rounds: d >= 64 ? 5 : 9, batchMs: 25 },
    );
    rows.push([
      d, formatTime(r.chol.median), formatTime(r.ad.median), formatRatio(pairedRatio(r.ad, r.chol)),
      formatTime(r.closed.median), formatRatio(pairedRatio(r.closed, r.chol)),
    ]);
  }
  return {
    title: 'Natural gradient in (μ, L): one JVP pass vs closed form, relative to one Cholesky',
    description:
      '`naturalGradient(meanCholesky, q, ∂L/∂η)` for one Gaussian of dimension D, with default validation (for (μ, L) ' +
      'an O(D²) structural check). **AD** is one dual-number pass through θ ↦ (μ, L) (`fromNatural`: one Cholesky ' +
      'of the flipped precision and one triangular inverse, plus their tangents); **closed form** is the fused ' +
      'primitive pair μ̇ = L(Lᵀ(g₁ + 2G₂μ)), L̇ = L Φ(2LᵀG₂L). Ratios divide by one `cholesky` of a D×D matrix, ' +
      'interleaved in the same run (CPU time, paired by round).',
    headers: ['D', 'cholesky', 'AD (JVP)', 'AD / cholesky', 'closed form', 'closed / cholesky'],
    rows,
    notes: [
      'Both routes are dominated by dense products: the fused closed form does 5D³/3 flops (= 5 Choleskys\' worth, ' +
        'on triangular blocks of core\'s gemm); the JVP pass 2 matmuls and 3 triangular solves with D right-hand ' +
        'sides besides its primal Cholesky and triangular inverse. At small D per-op overhead dominates the JVP pass.',
    ],
  };
}

function versusJacobian(): BenchSection {
  const rows: (string | number)[][] = [];
  for (const d of [4, 8, 16, 32]) {
    const { q, g } = problem(d);
    const theta = meanCholesky.unchecked.toNatural(q);
    const flat = (t: { theta1: Value; theta2: Value }) => ops.concat([t.theta1, ops.ravel(t.theta2)]);
    const unflat = (v: Value) => ({ theta1: ops.slice(v, [0, d]), theta2: ops.reshape(ops.slice(v, [d, d + d * d]), [d, d]) });
    const f = (v: Value) => {
      const out = meanCholesky.unchecked.fromNatural(unflat(v)); // the bare map, as the one-pass route runs it
      return ops.concat([out.mu, ops.ravel(out.L)]);
    };
    const v0 = flat(theta);
    const tangent = flat({ theta1: g.eta1, theta2: g.eta2 }); // g.eta2 is symmetric already
    const explicit = () => ops.matmul(jacobian(f)(v0), tangent);
    const slow = d >= 16 ? { samples: 3, warmupMs: 0, minTimeMs: 0 } : {};
    const tJac = time(explicit, slow);
    const tJvp = time(() => naturalGradient(meanCholesky, q, g, { method: 'ad' }));
    const jv = explicit();
    const ng = naturalGradient(meanCholesky, q, g, { method: 'ad' });
    const err = maxDiff(ops.slice(jv, [d, null]), ops.ravel(ng.L));
    if (!(err < 1e-9)) throw new Error(`natgrad bench: Jacobian route disagrees at D = ${d} (${err})`);
    rows.push([d, d + d * d, formatTime(tJac), formatTime(tJvp), formatRatio(tJac / tJvp)]);
  }
  return {
    title: 'One JVP pass vs the explicit Jacobian of θ ↦ (μ, L)',
    description:
      'The seed’s first approach builds the (D + D²)×(D + D²) Jacobian of θ ↦ (μ, L) with `jacobian` (forward mode, ' +
      '16 tangents per pass) and multiplies it by vec(∂L/∂η); the one-pass route carries ∂L/∂η as the single tangent ' +
      'of one forward pass. Both give the same natural gradient (checked in the run).',
    headers: ['D', 'Jacobian size', 'Jacobian · vector', 'one JVP', 'speed-up'],
    rows,
    notes: ['The Jacobian needs D + D² tangents where the JVP needs one, so the speed-up grows like D².'],
  };
}

/** A checked map against the same bare map, on one valid Gaussian of dimension d. */
function checkedVersusBare(): BenchSection {
  const rows: (string | number)[][] = [];
  const cases: [string, AnyParametrisation, 'toNatural' | 'fromNatural' | 'toMoments', (d: number) => unknown][] = [
    ['meanCholesky', meanCholesky, 'toNatural', (d) => problem(d).q],
    ['meanCholesky', meanCholesky, 'fromNatural', (d) => meanCholesky.unchecked.toNatural(problem(d).q)],
    ['meanCovariance', meanCovariance, 'toMoments', (d) => ({ mu: problem(d).q.mu, Sigma: problem(d).sigma })],
  ];
  for (const [name, P, map, arg] of cases) {
    for (const d of [4, 16, 64, 256]) {
      const x = arg(d) as never;
      const quick = d >= 64 ? { samples: 5 } : {};
      const checked = time(() => (P as unknown as Record<string, (a: unknown) => unknown>)[map](x), quick);
      const bare = time(() => (P.unchecked as unknown as Record<string, (a: unknown) => unknown>)[map](x), quick);
      rows.push([`${name}.${map}`, d, formatTime(bare), formatTime(checked), formatRatio(checked / bare)]);
    }
  }
  return {
    title: 'What argument checks cost: checked maps vs `P.unchecked`',
    description:
      'A descriptor map called on the descriptor validates its argument (structure, finiteness, constraints — for ' +
      'θ or Σ a Cholesky factorisation) and checks that its result is finite; `P.unchecked` has the bare map. Both ' +
      'timed in the same run on one valid Gaussian of dimension D. The entry points (`naturalGradient`, …) validate ' +
      'once and then use the bare maps, so their cost is unchanged; this is the price of calling a map directly.',
    headers: ['map', 'D', 'bare', 'checked', 'checked / bare'],
    rows,
    notes: [
      'toNatural of (μ, L) checks L in O(D²) against an O(D³) map; fromNatural must factorise −2θ₂ to check it, about ' +
        'as much work as the map’s own factorisation; meanCovariance.toMoments is the identity, so its check (a ' +
        'Cholesky of Σ) is all the cost. Use `P.unchecked` in loops that validated once.',
    ],
  };
}

export default async function natgradBench(): Promise<BenchSection[]> {
  // Warm up both routes (≈ 1 s) so the small sizes are not measured while V8 is still tiering up the op code.
  const warm = [problem(4), problem(16)];
  const start = performance.now();
  while (performance.now() - start < 1000) {
    for (const { q, g } of warm) {
      naturalGradient(meanCholesky, q, g, { method: 'ad' });
      naturalGradient(meanCholesky, q, g, { method: 'closed-form' });
    }
  }
  return [await kernelCrossover(), await autoChoice(), await autoEveryParametrisation(), await versusCholesky(), versusJacobian(), checkedVersusBare()];
}
