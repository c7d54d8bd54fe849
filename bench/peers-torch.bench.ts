/**
 * The natural gradient of a Gaussian in (μ, L) per call, side by side in one run at D = 4, 16, 64, 256, 512:
 * natgrad's one-JVP route and its fused closed form (the default), PyTorch's forward mode (the same JVP of θ ↦ (μ, L))
 * and closed form, and a hand-written plain-JavaScript closed form as the floor. PyTorch runs as a server in a python3
 * subprocess (bench/torch_natgrad.py) so that its batches interleave with ours; without torch its columns say
 * skipped. It never fails the run for a missing torch.
 */
import { Tensor, type Value, jvp, ops } from '@natgrad/core';
import { type NaturalParameters, meanCholesky, naturalGradient } from '@natgrad/distributions';
import { naturalGradientByHand } from '../packages/distributions/bench/floor.js';
import { BLOCKED_MIN_ORDER } from '../packages/distributions/src/fused/cholesky-step.js';
import { type BenchSection, formatRatio, formatTime, lcgSpd, lcgUniform } from './harness.js';
import { type Sampler, type Stats, interleave, loadNow, local, pairedRatio } from './interleave.js';
import { TorchServer, describeBlas } from './torch-server.js';

const DIMS = [4, 16, 64, 256, 512];

interface Problem {
  theta: NaturalParameters;
  tangent: NaturalParameters;
  q: { mu: Tensor; L: Tensor };
  g: { eta1: Tensor; eta2: Tensor };
}

/** The inputs torch_natgrad.py builds from the same LCG: q = (μ, chol Σ), θ(q), and the direction ∂L/∂η. */
function problem(d: number): Problem {
  const sigma = new Tensor(lcgSpd(d, d), [d, d]);
  const prec = ops.inv(sigma) as Tensor;
  const precSym = ops.mul(ops.add(prec, ops.matrixTranspose(prec)), 0.5) as Tensor;
  const mu = new Tensor(lcgUniform(d, d + 1), [d]);
  const theta = { theta1: ops.matmul(precSym, mu) as Tensor, theta2: ops.mul(precSym, -0.5) as Tensor };
  const tangent = { theta1: new Tensor(lcgUniform(d, d + 2), [d]), theta2: ops.mul(new Tensor(lcgSpd(d, d + 3), [d, d]), 0.1) as Tensor };
  return { theta, tangent, q: { mu, L: ops.cholesky(sigma) as Tensor }, g: { eta1: tangent.theta1, eta2: tangent.theta2 } };
}

const sum = (x: Value) => (ops.sum(x) as Tensor).item();
const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

/** Our results agree with each other, with the floor and with PyTorch before anything is timed. */
function checkAgreement(d: number, p: Problem, torch: { checksum_mu: number; checksum_L: number } | undefined): void {
  const [, dq] = jvp(meanCholesky.unchecked.fromNatural, [p.theta], [p.tangent]);
  const ad = naturalGradient(meanCholesky, p.q, p.g, { method: 'ad' });
  const closed = naturalGradient(meanCholesky, p.q, p.g);
  const [fmu, fL] = naturalGradientByHand(p.q.mu.data, p.q.L.data, p.g.eta1.data, p.g.eta2.data, d);
  const sums: [string, number, number][] = [
    ['one-JVP route μ', sum(ad.mu), sum(dq.mu)],
    ['closed form μ', sum(closed.mu), sum(dq.mu)],
    ['closed form L', sum(closed.L), sum(dq.L)],
    ['floor μ', fmu.reduce((a, b) => a + b, 0), sum(dq.mu)],
    ['floor L', fL.reduce((a, b) => a + b, 0), sum(dq.L)],
  ];
  if (torch) sums.push(['PyTorch μ', torch.checksum_mu, sum(dq.mu)], ['PyTorch L', torch.checksum_L, sum(dq.L)]);
  for (const [what, a, b] of sums) {
    if (!close(a, b, 1e-7)) throw new Error(`peers-torch bench: ${what} disagrees at D = ${d} (sum ${a} vs ${b})`);
  }
}

/** The issue's targets, judged on this run's paired ratios (medians of per-round ratios). */
function targetNote(results: Map<number, Record<string, Stats>>): string {
  const ratio = (d: number, k: string, base: string) => {
    const r = results.get(d);
    return r?.[k] && r[base] ? pairedRatio(r[k], r[base]) : undefined;
  };
  const verdict = (what: string, x: number | undefined, limit: number) =>
    x === undefined ? `${what}: not measured (PyTorch skipped)` : `${what} ${formatRatio(x)} (target ≤ ${limit}×: ${x <= limit ? 'met' : 'NOT met'})`;
  return [
    'Targets in this run: ' + verdict('closed form / PyTorch forward mode at D = 256', ratio(256, 'closed', 'torchJvp'), 2.5),
    verdict('JVP alone / PyTorch forward mode at D = 256', ratio(256, 'jvp', 'torchJvp'), 2.5),
    verdict('closed form / PyTorch forward mode at D = 4', ratio(4, 'closed', 'torchJvp'), 0.3),
    verdict('at D = 16', ratio(16, 'closed', 'torchJvp'), 0.3),
    verdict('closed form / floor at D = 4', ratio(4, 'closed', 'floor'), 10) + '.',
  ].join('; ');
}

export default async function (): Promise<BenchSection[]> {
  const loadBefore = loadNow();
  const { server, note } = await TorchServer.start();
  const problems = new Map(DIMS.map((d) => [d, problem(d)]));
  // Warm up the op code (≈ 1 s) so small D is not timed while V8 is still tiering up.
  const warm = performance.now();
  while (performance.now() - warm < 1000) {
    for (const d of [4, 16]) {
      const p = problems.get(d)!;
      naturalGradient(meanCholesky, p.q, p.g, { method: 'ad' });
      naturalGradient(meanCholesky, p.q, p.g);
    }
  }
  const rows: (string | number)[][] = [];
  const results = new Map<number, Record<string, Stats>>();
  for (const d of DIMS) {
    const p = problems.get(d)!;
    const sums = server ? await server.setup(d) : undefined;
    checkAgreement(d, p, sums);
    const samplers: Record<string, Sampler> = {
      ad: local(() => naturalGradient(meanCholesky, p.q, p.g, { method: 'ad' })),
      jvp: local(() => jvp(meanCholesky.unchecked.fromNatural, [p.theta], [p.tangent])),
      closed: local(() => naturalGradient(meanCholesky, p.q, p.g)),
      floor: local(() => naturalGradientByHand(p.q.mu.data, p.q.L.data, p.g.eta1.data, p.g.eta2.data, d)),
    };
    if (server) {
      samplers.torchJvp = server.sampler(d, 'jvp');
      samplers.torchClosed = server.sampler(d, 'closed');
    }
    // at D ≥ 256 a call takes 10–200 ms: longer batches, so that one garbage collection does not decide a round
    const r = await interleave(samplers, { rounds: 9, batchMs: d >= 256 ? 100 : 25 });
    results.set(d, r);
    const vsTorch = (k: string) => (r.torchJvp ? formatRatio(pairedRatio(r[k], r.torchJvp)) : '—');
    rows.push([
      d,
      formatTime(r.ad.median),
      formatTime(r.jvp.median),
      formatTime(r.closed.median),
      r.torchJvp ? formatTime(r.torchJvp.median) : 'skipped',
      r.torchClosed ? formatTime(r.torchClosed.median) : 'skipped',
      formatTime(r.floor.median),
      vsTorch('closed'),
      vsTorch('jvp'),
      vsTorch('ad'),
      formatRatio(pairedRatio(r.closed, r.floor)),
    ]);
  }
  await server?.stop();
  const loadAfter = loadNow();
  const info = server?.info;
  const notes = [
    `CPU time per call (process CPU time, both sides), median of 9 interleaved rounds of ≈ 25 ms batches (≈ 100 ms from D = 256); ` +
      `ratios are medians of the per-round ratios. Load average ${loadBefore} before and ${loadAfter} after this section.`,
    info
      ? `PyTorch ${info.torch} (\`${info.python}\`), forward mode by \`${info.method}\`` +
        `${info.method.includes('forward_ad') ? ' (this torch predates `torch.func`; dual tensors are the same forward mode)' : ''}` +
        `, ${info.threads} thread, BLAS/LAPACK: ${describeBlas(info.blas)}. All results agree (sums of dμ and dL to ` +
        '1e-7, checked in the run).'
      : `**PyTorch skipped**: ${note}.`,
    targetNote(results),
    `The fused closed form is one primitive per coordinate (triangular loops below D = ${BLOCKED_MIN_ORDER}, blocked calls of core's ` +
      'gemm from there: 5D³/3 flops); PyTorch\'s closed form is four dense BLAS products (6D³). The one-JVP route ' +
      'adds θ(q) (a Cholesky solve and inverse) and validation to the JVP of θ ↦ (μ, L), which is what PyTorch\'s ' +
      'forward-mode column computes (θ given).',
  ];
  return [{
    title: 'Natural gradient in (μ, L) per call: natgrad, PyTorch and a hand-written floor',
    description:
      'The natural gradient of one Gaussian in (μ, L) from ∂L/∂η, float64, one thread, the same inputs on every side. ' +
      '**one-JVP route**: `naturalGradient(meanCholesky, q, ∂L/∂η, { method: \'ad\' })`, one dual-number pass ' +
      'through θ ↦ (μ, L) (the whole library call, with validation); **JVP alone**: `jvp(meanCholesky.unchecked.' +
      'fromNatural, [θ], [∂L/∂η])`, the computation of PyTorch\'s forward-mode column; **closed form (fused)**: ' +
      '`naturalGradient(meanCholesky, q, ∂L/∂η)` (the default, `method: \'auto\'`, with validation); **floor**: the ' +
      'closed form as hand-written loops, no library. Ratios below 1 mean natgrad is faster. Targets: closed form ' +
      '≤ 2.5× PyTorch forward mode at D = 256 and ≤ 0.3× at D ≤ 16; closed form ≤ 10× the floor at D = 4.',
    headers: [
      'D', 'one-JVP route', 'JVP alone', 'closed form (fused)', 'PyTorch forward mode', 'PyTorch closed form',
      'hand-written floor', 'closed / PyTorch fwd', 'JVP alone / PyTorch fwd', 'one-JVP / PyTorch fwd', 'closed / floor',
    ],
    rows,
    notes,
  }];
}
