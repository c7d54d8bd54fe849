/**
 * Decompositions: eigh, eigvalsh, qr (reduced and mode 'r'), svd and svdvals at D = 64, 128, 256 through natgrad's
 * ops, next to single-thread LAPACK (numpy/scipy in a `/usr/bin/python3` subprocess with OPENBLAS_NUM_THREADS=1,
 * packages/core/bench/openblas_decompositions.py; skipped with a note when absent), on each backend; the small-size
 * JS/wasm crossover of the decomposition kernels (the thresholds in src/backend/registry.ts); and the cost of a
 * reverse-mode derivative through each decomposition relative to its primal.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Tensor, type Value, getBackend, grad, ops, setBackend } from '@natgrad/core';
import { KERNELS } from '../src/backend/registry.js';
import { type BenchSection, formatRatio, formatTime, lcgSpd, lcgUniform, time } from '../../../bench/harness.js';

const DIMS = [64, 128, 256];
const script = fileURLToPath(new URL('./openblas_decompositions.py', import.meta.url));

interface LapackRow {
  d: number;
  eigh_ms: number;
  eigh_ev_ms: number;
  eigvalsh_ms: number;
  qr_ms: number;
  qr_r_ms: number;
  svd_ms: number;
  svd_gesvd_ms: number;
  svdvals_ms: number;
  eig_sum: number;
  sv_sum: number;
  r_sum: number;
}
interface LapackResult {
  numpy: string;
  scipy: string;
  blas: string[];
  rows: LapackRow[];
  python: string;
}

function runLapack(): { result?: LapackResult; note: string } {
  const candidates = [...new Set([process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((x): x is string => !!x))];
  for (const py of candidates) {
    const probe = spawnSync(py, ['-c', 'import numpy, scipy.linalg'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.error || probe.status !== 0) continue;
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const run = spawnSync(py, [script, ...DIMS.map(String)], { encoding: 'utf8', timeout: 600_000, env });
    if (run.status !== 0) return { note: `${py} ${script} failed: ${(run.stderr || String(run.error)).slice(-400)}` };
    return { result: { ...(JSON.parse(run.stdout.trim().split('\n').pop()!) as LapackResult), python: py }, note: '' };
  }
  return { note: `no python3 with numpy and scipy found (tried ${candidates.join(', ')}); on Debian: \`apt-get install python3-scipy\`` };
}

const sumOf = (t: Value) => (ops.sum(t) as Tensor).item();

function throughput(lapack: LapackResult | undefined, note: string): BenchSection {
  const rows: (string | number)[][] = [];
  for (const d of DIMS) {
    const s = new Tensor(lcgSpd(d, 13), [d, d]);
    const a = new Tensor(lcgUniform(d * d, 11), [d, d]);
    const opts = { samples: 5, minTimeMs: d >= 256 ? 400 : 200, warmupMs: 100 };
    const ref = lapack?.rows.find((r) => r.d === d);
    if (ref) {
      const check = (what: string, ours: number, theirs: number) => {
        if (!(Math.abs(ours - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs)))) {
          throw new Error(`decompositions bench: ${what} differs from LAPACK at D = ${d}: ${ours} vs ${theirs}`);
        }
      };
      check('Σλ', sumOf(ops.eigvalsh(s)), ref.eig_sum);
      check('Σσ', sumOf(ops.svdvals(a)), ref.sv_sum);
      check('ΣR', sumOf(ops.qr(a, { mode: 'r' })), ref.r_sum);
    }
    const ops_: [string, () => unknown, number | undefined, string, number | undefined][] = [
      ['eigh', () => ops.eigh(s).eigenvectors, ref?.eigh_ms, 'dsyev', ref?.eigh_ev_ms],
      ['eigvalsh', () => ops.eigvalsh(s), ref?.eigvalsh_ms, '', undefined],
      ['qr', () => ops.qr(a).Q, ref?.qr_ms, '', undefined],
      ["qr (mode 'r')", () => ops.qr(a, { mode: 'r' }), ref?.qr_r_ms, '', undefined],
      ['svd', () => ops.svd(a).U, ref?.svd_ms, 'dgesvd', ref?.svd_gesvd_ms],
      ['svdvals', () => ops.svdvals(a), ref?.svdvals_ms, '', undefined],
    ];
    const before = getBackend();
    for (const [name, f, theirs, driver, theirs2] of ops_) {
      setBackend('wasm');
      const wasm = time(f, opts);
      setBackend('js');
      const js = time(f, opts);
      setBackend(before);
      rows.push([
        d,
        name,
        formatTime(wasm),
        formatTime(js),
        theirs === undefined ? 'skipped' : formatTime(theirs),
        theirs === undefined ? '—' : formatRatio(wasm / theirs),
        theirs2 === undefined ? '—' : `${formatTime(theirs2)} (${driver}): ${formatRatio(wasm / theirs2)}`,
        formatRatio(js / wasm),
      ]);
    }
  }
  const notes = lapack
    ? [
        `LAPACK side: numpy ${lapack.numpy}, scipy ${lapack.scipy} (\`${lapack.python}\`), OPENBLAS_NUM_THREADS=1, ` +
          `libraries ${lapack.blas.map((p) => `\`${p.replace(/^.*\//, '')}\``).join(', ') || 'unknown'}. NumPy's defaults ` +
          'are divide and conquer (dsyevd, dgesdd); the last column is the LAPACK driver closest to natgrad\'s algorithm. ' +
          'Same inputs on both sides (Σλ, Σσ and ΣR agree to 1e-9, checked in the run).',
      ]
    : [`**LAPACK skipped**: ${note}.`];
  return {
    title: 'Decompositions: eigh, qr, svd against single-thread LAPACK',
    description:
      'Median time of the natgrad op (validation, symmetrisation, sign convention and output packing included) on ' +
      'an SPD matrix (eigh, eigvalsh) or a uniform random one (qr, svd), and of NumPy on the same matrix. ' +
      '"slowdown" is natgrad (wasm) time / LAPACK time. The kernels: Householder tridiagonalisation + implicit QL; ' +
      'Householder QR; one-sided Jacobi SVD, in JavaScript and in WebAssembly with f64x2 row operations.',
    headers: ['D', 'op', 'natgrad wasm', 'natgrad JS', 'NumPy', 'slowdown (wasm)', 'like-for-like LAPACK driver: time, slowdown', 'wasm speed-up over JS'],
    rows,
    notes,
  };
}

/** Reverse mode through each decomposition at D = 64: grad time / primal time. */
function derivativeCost(): BenchSection {
  const d = 64;
  const s = new Tensor(lcgSpd(d, 13), [d, d]);
  const a = new Tensor(lcgUniform(d * d, 11), [d, d]);
  const opts = { samples: 5, minTimeMs: 200, warmupMs: 100 };
  const cases: [string, (x: Value) => Value, Tensor][] = [
    ['eigvalsh: Σ log λ', (x) => ops.sum(ops.log(ops.eigvalsh(x))), s],
    ['eigh: Σ sin(V)', (x) => ops.sum(ops.sin(ops.eigh(x).eigenvectors)), s],
    ['sqrtmh: Σ A^½', (x) => ops.sum(ops.sqrtmh(x)), s],
    ['qr: Σ sin(Q) + Σ R', (x) => { const { Q, R } = ops.qr(x); return ops.add(ops.sum(ops.sin(Q)), ops.sum(R)); }, a],
    ['svd: Σ sin(U)', (x) => ops.sum(ops.sin(ops.svd(x).U)), a],
    ['svdvals: nuclear norm', (x) => ops.sum(ops.svdvals(x)), a],
    ['pinv: Σ A⁺', (x) => ops.sum(ops.pinv(x)), a],
  ];
  const rows = cases.map(([name, f, x]) => {
    const primal = time(() => f(x), opts);
    const rev = time(() => grad(f)(x), opts);
    return [name, formatTime(primal), formatTime(rev), formatRatio(rev / primal)];
  });
  return {
    title: 'Decompositions: cost of a gradient (D = 64)',
    description:
      'Median time of f and of grad(f) for scalar functions of one 64 × 64 matrix; the ratio is the price of the ' +
      'reverse pass (its rules are written with ops: matmuls, triangular solves, and for sqrtmh one Sylvester solve ' +
      'on the eigendecomposition the primal already computed).',
    headers: ['f', 'f', 'grad f', 'grad / f'],
    rows,
  };
}

/** JS time / wasm time of each kernel on n × n operands at small n: where `auto` switches to WebAssembly. */
function crossover(): BenchSection {
  const rows: (string | number)[][] = [];
  for (const n of [2, 3, 4, 6, 8, 12, 16, 24, 32]) {
    const a = lcgUniform(n * n, 3), s = lcgSpd(n, 5);
    const work = new Float64Array(n * n), vals = new Float64Array(n), tau = new Float64Array(n), w = new Float64Array(n * n);
    const opts = { samples: 5, minTimeMs: 40, warmupMs: 20 };
    const ratio = (f: (impl: 'js' | 'wasm') => void) => {
      const r = [0, 1, 2].map(() => time(() => f('js'), opts) / time(() => f('wasm'), opts)).sort((x, y) => x - y);
      return formatRatio(r[1]);
    };
    rows.push([
      n,
      ratio((i) => {
        work.set(s);
        KERNELS.syev[i](true, n, work, 0, n, vals, 0);
      }),
      ratio((i) => {
        work.set(a);
        KERNELS.geqrf[i](n, n, work, 0, n, tau, 0);
      }),
      ratio((i) => {
        work.set(a);
        KERNELS.orgqr[i](n, n, n, work, 0, n, tau, 0);
      }),
      ratio((i) => {
        work.set(a);
        KERNELS.gesvj[i](true, n, n, work, 0, n, vals, 0, w, 0, n);
      }),
    ]);
  }
  return {
    title: 'Decomposition kernels: JS / wasm time at small sizes (the `auto` crossover)',
    description:
      'Each kernel called directly on n × n operands, JavaScript time divided by WebAssembly time (copies in and ' +
      'out included): above 1× WebAssembly is faster. `auto` switches at the sizes written in ' +
      '`src/backend/registry.ts`, taken from this table.',
    headers: ['n', 'syev', 'geqrf', 'orgqr', 'gesvj'],
    rows,
  };
}

export default async function (): Promise<BenchSection[]> {
  const { result, note } = runLapack();
  return [throughput(result, note), crossover(), derivativeCost()];
}
