/**
 * Dense linear algebra throughput: gemm, Cholesky and triangular solve in GFLOP/s at D = 64…512 through natgrad's ops
 * on each backend (`setBackend('wasm')`, `setBackend('js')`), next to single-thread OpenBLAS/LAPACK (numpy/scipy in a
 * `/usr/bin/python3` subprocess with OPENBLAS_NUM_THREADS=1; skipped with a note when absent), and the small-size
 * crossover table the `auto` backend's thresholds (src/backend/registry.ts) come from.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Tensor, getBackend, ops, setBackend } from '@natgrad/core';
import { KERNELS } from '../src/backend/registry.js';
import { type BenchSection, formatRatio, lcgSpd, lcgUniform, time } from '../../../bench/harness.js';

const DIMS = [64, 128, 256, 512];
const script = fileURLToPath(new URL('../../../bench/openblas_linalg.py', import.meta.url));

interface BlasRow {
  d: number;
  gemm_ms: number;
  potrf_ms: number;
  trsm_ms: number;
  gemm_sum: number;
  trsm_sum: number;
}
interface BlasResult {
  numpy: string;
  scipy: string;
  blas: string[];
  python: string;
  rows: BlasRow[];
}

function runOpenBlas(dims: number[]): { result?: BlasResult; note: string } {
  const candidates = [...new Set([process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((x): x is string => !!x))];
  const tried: string[] = [];
  for (const py of candidates) {
    const probe = spawnSync(py, ['-c', 'import numpy, scipy.linalg'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.error || probe.status !== 0) {
      tried.push(py);
      continue;
    }
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    // These make current OpenBLAS builds pick slower kernels on some CPUs; unset for this command only.
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const run = spawnSync(py, [script, ...dims.map(String)], { encoding: 'utf8', timeout: 300_000, env });
    if (run.status !== 0) return { note: `${py} ${script} failed: ${(run.stderr || String(run.error)).slice(-400)}` };
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as BlasResult;
    return { result: { ...result, python: py }, note: '' };
  }
  return { note: `no python3 with numpy and scipy found (tried ${tried.map((t) => `\`${t}\``).join(', ')}); on Debian: \`apt-get install python3-scipy\`` };
}

const gflops = (flops: number, ms: number) => (flops / ms / 1e6).toFixed(1);

/** Why the OpenBLAS column is missing, when it is. */
let runOpenBlasNote = '';

/** Rounds per size: OpenBLAS (a subprocess) and natgrad alternate, and each side keeps its best round. */
const ROUNDS = 5;

function throughput(): { sections: BenchSection[]; blas?: BlasResult } {
  const rows: Record<'gemm' | 'chol' | 'trsm', (string | number)[][]> = { gemm: [], chol: [], trsm: [] };
  const before = getBackend();
  let blas: BlasResult | undefined;
  for (const d of DIMS) {
    const a = new Tensor(lcgUniform(d * d, 11), [d, d]);
    const b = new Tensor(lcgUniform(d * d, 12), [d, d]);
    const s = new Tensor(lcgSpd(d, 13), [d, d]);
    const l = ops.cholesky(s) as Tensor;
    const quick = { samples: 5, minTimeMs: d >= 256 ? 300 : 150 };
    const t = { gemm: { wasm: Infinity, js: Infinity }, chol: { wasm: Infinity, js: Infinity }, trsm: { wasm: Infinity, js: Infinity } };
    let ref: BlasRow | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const { result, note } = runOpenBlas([d]);
      runOpenBlasNote = note;
      const r = result?.rows[0];
      if (result && r) {
        blas = result;
        ref = ref === undefined ? r : {
          ...ref, gemm_ms: Math.min(ref.gemm_ms, r.gemm_ms), potrf_ms: Math.min(ref.potrf_ms, r.potrf_ms), trsm_ms: Math.min(ref.trsm_ms, r.trsm_ms),
        };
      }
      for (const backend of ['wasm', 'js'] as const) {
        setBackend(backend);
        t.gemm[backend] = Math.min(t.gemm[backend], time(() => ops.matmul(a, b), quick));
        t.chol[backend] = Math.min(t.chol[backend], time(() => ops.cholesky(s), quick));
        t.trsm[backend] = Math.min(t.trsm[backend], time(() => ops.triangularSolve(l, b), quick));
      }
    }
    if (ref) {
      const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
      for (const backend of ['wasm', 'js'] as const) {
        setBackend(backend);
        const sums = { gemm: (ops.sum(ops.matmul(a, b)) as Tensor).item(), trsm: (ops.sum(ops.triangularSolve(l, b)) as Tensor).item() };
        for (const k of ['gemm', 'trsm'] as const) {
          if (!close(sums[k], ref[`${k}_sum`])) throw new Error(`linalg bench: ${k} (${backend}) differs from OpenBLAS at D = ${d}: ${sums[k]} vs ${ref[`${k}_sum`]}`);
        }
      }
    }
    const flops = { gemm: 2 * d ** 3, chol: d ** 3 / 3, trsm: d ** 3 };
    const refMs = { gemm: ref?.gemm_ms, chol: ref?.potrf_ms, trsm: ref?.trsm_ms };
    for (const k of ['gemm', 'chol', 'trsm'] as const) {
      const w = t[k].wasm, j = t[k].js, r = refMs[k];
      rows[k].push([
        d,
        gflops(flops[k], w),
        gflops(flops[k], j),
        r === undefined ? 'skipped' : gflops(flops[k], r),
        r === undefined ? '—' : formatRatio(r / w),
        r === undefined ? '—' : formatRatio(r / j),
        formatRatio(j / w),
      ]);
    }
  }
  const split = choleskySplit(DIMS[DIMS.length - 1]);
  setBackend(before);
  const headers = ['D', 'wasm GFLOP/s', 'JS GFLOP/s', 'OpenBLAS GFLOP/s', 'wasm / OpenBLAS', 'JS / OpenBLAS', 'wasm speed-up over JS'];
  const notes = blas
    ? [
        `Each size runs ${ROUNDS} rounds alternating the OpenBLAS subprocess and natgrad; each side's best round ` +
          'is reported (on a machine shared with other work, the best round is the closest to an idle machine, and ' +
          'it is taken the same way on both sides).',
        `OpenBLAS side: numpy ${blas.numpy}, scipy ${blas.scipy} (\`${blas.python}\`), OPENBLAS_NUM_THREADS=1, libraries ` +
          `${blas.blas.map((p) => `\`${p.replace(/^.*\//, '')}\``).join(', ') || 'unknown'}. Same inputs on both sides (sums of the ` +
          'gemm and trsm results agree to 1e-9, checked in the run). "wasm / OpenBLAS" is OpenBLAS time / wasm time: the ' +
          'fraction of single-thread OpenBLAS speed reached.',
      ]
    : [`**OpenBLAS skipped**: ${runOpenBlasNote}.`];
  const base = 'Median time of the natgrad op (output allocation, input validation and, for wasm, the copies into and ' +
    'out of WebAssembly memory included) with the backend forced, as GFLOP/s';
  const sections: BenchSection[] = [
    {
      title: 'Dense kernels: gemm (`matmul`, D × D × D)',
      description: `${base}, counting 2D³ flops.`,
      headers,
      rows: rows.gemm,
      notes,
    },
    {
      title: 'Dense kernels: Cholesky (`cholesky`, D × D)',
      description: `${base}, counting D³/3 flops. OpenBLAS side: LAPACK \`dpotrf\` on a column-major copy (scipy).`,
      headers,
      rows: rows.chol,
      notes: [...notes, split],
    },
    {
      title: 'Dense kernels: triangular solve (`triangularSolve(L, B)`, D right-hand sides)',
      description: `${base}, counting D³ flops. OpenBLAS side: BLAS \`dtrsm\` (scipy), column-major operands.`,
      headers,
      rows: rows.trsm,
      notes,
    },
  ];
  return { sections, blas };
}


/** Minor page faults of this process so far (Linux `/proc/self/stat`), or undefined elsewhere. */
function minorFaults(): number | undefined {
  try {
    return Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[7]);
  } catch {
    return undefined;
  }
}

/**
 * Where the Cholesky op's time goes at order d on WebAssembly: the op against the same kernel writing into one
 * reused array (`KERNELS.potrf.wasm`, copies in and out of linear memory included), interleaved, and the page faults
 * per op call — the first touch of each fresh 4 KiB page of the output, which the allocator hands back to the
 * operating system between garbage collections.
 */
function choleskySplit(d: number): string {
  setBackend('wasm');
  const s = new Tensor(lcgSpd(d, 13), [d, d]), out = new Float64Array(d * d);
  const opts = { samples: 5, minTimeMs: 200 };
  let op = Infinity, kernel = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    op = Math.min(op, time(() => ops.cholesky(s), opts));
    kernel = Math.min(kernel, time(() => KERNELS.potrf.wasm(d, s.data, 0, d, out, 0, d), opts));
  }
  const f0 = minorFaults();
  const calls = 20;
  for (let i = 0; i < calls; i++) ops.cholesky(s);
  const f1 = minorFaults();
  const faults = f0 === undefined || f1 === undefined ? 'not measured here (no /proc/self/stat)' : `${Math.round((f1 - f0) / calls)} in this process`;
  return `Where the op's time goes at D = ${d} (wasm, best of ${ROUNDS} rounds): the op ${op.toFixed(2)} ms, the same kernel writing ` +
    `into one reused array ${kernel.toFixed(2)} ms (copies into and out of WebAssembly memory included); the difference, ` +
    `${(op - kernel).toFixed(2)} ms, is the fresh output (allocation and first touch) and the op's bookkeeping. Page faults per op ` +
    `call: ${faults} (the output is ${(d * d * 8) / 4096} pages of 4 KiB). A new page costs a fault (≈ 3 µs on this machine) whenever ` +
    'the allocator has returned freed memory to the system between garbage collections, as glibc does in a small process; ' +
    'MALLOC_TRIM_THRESHOLD_ and MALLOC_MMAP_THRESHOLD_ keep it mapped (defaults are measured here).';
}

/** JS time / wasm time per kernel at small sizes, straight on the kernels (no op overhead): where `auto` switches. */
function crossover(): BenchSection {
  const sizes = [8, 12, 16, 24, 32, 48, 64, 96];
  const rows: (string | number)[][] = [];
  for (const n of sizes) {
    const a = lcgUniform(n * n, 3), b = lcgUniform(n * n, 4), c = new Float64Array(n * n);
    const s = lcgSpd(n, 5);
    const l = s.slice();
    KERNELS.potrf.js(n, l, 0, n, l, 0, n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
    const w = new Float64Array(n * n), perm = new Int32Array(n);
    const opts = { samples: 5, minTimeMs: 50, warmupMs: 30 };
    // median of three JS/wasm ratios, each from back-to-back timings (robust to bursts of load from other work)
    const ratio = (f: (impl: 'js' | 'wasm') => void) => {
      const r = [0, 1, 2].map(() => time(() => f('js'), opts) / time(() => f('wasm'), opts)).sort((x, y) => x - y);
      return formatRatio(r[1]);
    };
    rows.push([
      n,
      ratio((i) => KERNELS.gemm[i](false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n)),
      ratio((i) => {
        w.set(b);
        KERNELS.trsm[i](false, true, false, false, n, n, l, 0, n, w, 0, n);
      }),
      ratio((i) => {
        w.set(b);
        KERNELS.trmm[i](false, true, false, false, n, n, l, 0, n, w, 0, n);
      }),
      ratio((i) => {
        KERNELS.potrf[i](n, s, 0, n, w, 0, n);
      }),
      ratio((i) => KERNELS.potri[i](n, l, 0, n, w, 0, n)),
      ratio((i) => {
        w.set(s);
        KERNELS.getrf[i](n, n, w, 0, n, perm);
      }),
      ratio((i) => {
        w.set(l);
        KERNELS.trtri[i](true, false, n, w, 0, n);
      }),
    ]);
  }
  return {
    title: 'Dense kernels: JS / wasm time at small sizes (the `auto` crossover)',
    description:
      'Each kernel called directly on n × n operands (n right-hand sides for trsm and trmm), JavaScript time divided by ' +
      'WebAssembly time (copies in and out included): above 1× WebAssembly is faster. `auto` switches to ' +
      'WebAssembly at the size written in `src/backend/registry.ts`, taken from this table.',
    headers: ['n', 'gemm', 'trsm', 'trmm', 'potrf', 'potri', 'getrf', 'trtri'],
    rows,
  };
}

export default async function (): Promise<BenchSection[]> {
  return [...throughput().sections, crossover()];
}
