/**
 * natgrad's natural gradient in (μ, L) next to PyTorch's forward mode, by the same method: one JVP of θ ↦ (μ, L) in
 * the direction ∂L/∂η, float64, at D = 4, 16, 64, 256. PyTorch runs in a python3 subprocess (bench/torch_natgrad.py)
 * when an interpreter with `import torch` is found (Debian: `apt-get install python3-torch`); otherwise the section
 * says it was skipped. It never fails the benchmark run for a missing torch.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Tensor, jvp, ops } from '@natgrad/core';
import { type NaturalParameters, meanCholesky, naturalGradient } from '@natgrad/distributions';
import { type BenchSection, formatRatio, formatTime, lcgSpd, lcgUniform, time } from './harness.js';

const DIMS = [4, 16, 64, 256];
const script = fileURLToPath(new URL('./torch_natgrad.py', import.meta.url));

interface TorchResult {
  torch: string;
  method: string;
  threads: number;
  python: string;
  blas: string[];
  rows: { d: number; ms: number; checksum_mu: number; checksum_L: number }[];
}

/** Runs torch_natgrad.py with the first interpreter that can import torch. */
function runTorch(): { result?: TorchResult; note: string } {
  const candidates = [...new Set([process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((x): x is string => !!x))];
  const tried: string[] = [];
  for (const py of candidates) {
    const probe = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.error || probe.status !== 0) {
      tried.push(py);
      continue;
    }
    // One thread everywhere (torch's intra-op pool, OpenMP, OpenBLAS), like the single-threaded JavaScript side.
    const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const run = spawnSync(py, [script, ...DIMS.map(String)], { encoding: 'utf8', timeout: 300_000, env });
    if (run.status !== 0) return { note: `${py} ${script} failed: ${(run.stderr || String(run.error)).slice(-500)}` };
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as TorchResult;
    return { result: { ...result, python: py }, note: '' };
  }
  return { note: `no python3 with torch found (tried ${tried.map((t) => `\`${t}\``).join(', ')}); on Debian: \`apt-get install python3-torch\`` };
}

/** Names the BLAS torch loaded: Debian's torch is only as fast as the system libblas.so.3. */
function describeBlas(paths: string[]): string {
  const names = paths.map((p) => p.replace(/^.*\/x86_64-linux-gnu\//, ''));
  if (paths.some((p) => /openblas/i.test(p))) return `OpenBLAS (${names.join(', ')})`;
  if (paths.some((p) => /mkl/i.test(p))) return 'MKL';
  if (paths.length) return `the reference BLAS (${names.join(', ')}) — install \`libopenblas0\` for a fast one`;
  return 'unknown';
}

export default async function (): Promise<BenchSection[]> {
  const { result, note } = runTorch();
  const ours = new Map<number, { jvp: number; full: number; mu: number; L: number }>();
  // Warm up the op code (≈ 1 s), as the distributions benchmark does, so small D is not timed while V8 tiers up.
  const problems = new Map<number, { theta: NaturalParameters; tangent: NaturalParameters; q: { mu: Tensor; L: Tensor } }>();
  for (const d of DIMS) {
    const sigma = new Tensor(lcgSpd(d, d), [d, d]);
    const prec = ops.inv(sigma) as Tensor;
    const precSym = ops.mul(ops.add(prec, ops.matrixTranspose(prec)), 0.5) as Tensor;
    const mu = new Tensor(lcgUniform(d, d + 1), [d]);
    const theta = { theta1: ops.matmul(precSym, mu), theta2: ops.mul(precSym, -0.5) };
    const tangent = { theta1: new Tensor(lcgUniform(d, d + 2), [d]), theta2: ops.mul(new Tensor(lcgSpd(d, d + 3), [d, d]), 0.1) };
    problems.set(d, { theta, tangent, q: { mu, L: ops.cholesky(sigma) as Tensor } });
  }
  const warm = performance.now();
  while (performance.now() - warm < 1000) for (const d of [4, 16]) jvp(meanCholesky.unchecked.fromNatural, [problems.get(d)!.theta], [problems.get(d)!.tangent]);
  for (const d of DIMS) {
    const { theta, tangent, q } = problems.get(d)!;
    const quick = d >= 64 ? { samples: 5 } : {};
    const tJvp = time(() => jvp(meanCholesky.unchecked.fromNatural, [theta], [tangent]), quick);
    const dLdEta = { eta1: tangent.theta1, eta2: tangent.theta2 };
    const tFull = time(() => naturalGradient(meanCholesky, q, dLdEta, { method: 'ad' }), quick);
    const [, dq] = jvp(meanCholesky.unchecked.fromNatural, [theta], [tangent]);
    ours.set(d, { jvp: tJvp, full: tFull, mu: (ops.sum(dq.mu) as Tensor).item(), L: (ops.sum(dq.L) as Tensor).item() });
  }

  const headers = ['D', 'natgrad: JVP of θ ↦ (μ, L)', 'PyTorch: same JVP', 'ours / PyTorch', 'natgrad: whole `naturalGradient(…, { method: \'ad\' })`'];
  const rows: (string | number)[][] = [];
  for (const d of DIMS) {
    const o = ours.get(d)!;
    const t = result?.rows.find((r) => r.d === d);
    if (t) {
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(a));
      if (!close(o.mu, t.checksum_mu) || !close(o.L, t.checksum_L)) {
        throw new Error(`torch bench: results differ at D = ${d} (μ̇ sums ${o.mu} vs ${t.checksum_mu}, L̇ sums ${o.L} vs ${t.checksum_L})`);
      }
    }
    rows.push([d, formatTime(o.jvp), t ? formatTime(t.ms) : 'skipped', t ? formatRatio(o.jvp / t.ms) : '—', formatTime(o.full)]);
  }
  const notes = result
    ? [
        `PyTorch ${result.torch} (\`${result.python}\`), forward mode by \`${result.method}\`` +
          `${result.method.includes('forward_ad') ? ' (this torch predates `torch.func`; dual tensors are the same forward mode)' : ''}` +
          `, ${result.threads} thread, BLAS/LAPACK: ${describeBlas(result.blas)}. The results of both sides agree ` +
          '(sums of μ̇ and L̇ to 1e-7, checked in the run).',
        'PyTorch runs each op as a compiled kernel (LAPACK Cholesky, BLAS triangular solves) behind a Python ' +
          'dispatcher: at small D the per-op overhead dominates both sides; at large D, compiled blocked kernels ' +
          'against natgrad\'s JavaScript loops.',
      ]
    : [`**PyTorch skipped**: ${note}.`];
  return [{
    title: 'Peers: PyTorch forward-mode natural gradient',
    description:
      'The natural gradient of a Gaussian in (μ, L) as one forward-mode JVP of θ ↦ (μ, L) at θ(q) with tangent ' +
      '∂L/∂η — the same map written the same way on both sides (L from one Cholesky of the flipped precision and ' +
      'one triangular solve, μ = L(Lᵀθ₁)), float64, one thread, the same inputs. Ratio = ours / PyTorch (below 1 ' +
      'means natgrad is faster). The last column is the whole library call, which adds θ(q) (a Cholesky solve and ' +
      'inverse) and validation.',
    headers,
    rows,
    notes,
  }];
}
