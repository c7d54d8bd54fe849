/**
 * Matrix functions and factorisations next to scipy: `expm`, `det` and `luFactor` at D = 64 and 256 through
 * natgrad's ops (backend `auto`, and forced to JavaScript), against scipy.linalg (single-thread OpenBLAS, in a
 * `/usr/bin/python3` subprocess; skipped with a note when absent), as ratios scipy time / natgrad time; and what one
 * derivative costs relative to its primal in the same run (JVP of expm, gradient of det, JVP of luFactor).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Tensor, type Value, getBackend, grad, jvp, ops, setBackend } from '@natgrad/core';
import { type BenchSection, formatRatio, lcgUniform, time } from '../../../bench/harness.js';

const DIMS = [64, 256];
const script = fileURLToPath(new URL('./scipy_matfuncs.py', import.meta.url));

interface ScipyRow { d: number; expm_ms: number; det_ms: number; lu_ms: number; expm_sum: number; slogdet: number; lu_sum: number }
interface ScipyResult { numpy: string; scipy: string; rows: ScipyRow[]; python: string }

function runScipy(dims: number[]): { result?: ScipyResult; note: string } {
  const tried: string[] = [];
  for (const py of [...new Set([process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((x): x is string => !!x))]) {
    const probe = spawnSync(py, ['-c', 'import numpy, scipy.linalg'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.error || probe.status !== 0) {
      tried.push(py);
      continue;
    }
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const run = spawnSync(py, [script, ...dims.map(String)], { encoding: 'utf8', timeout: 600_000, env });
    if (run.status !== 0) return { note: `${py} ${script} failed: ${(run.stderr || String(run.error)).slice(-400)}` };
    return { result: { ...(JSON.parse(run.stdout.trim().split('\n').pop()!) as ScipyResult), python: py }, note: '' };
  }
  return { note: `no python3 with numpy and scipy found (tried ${tried.map((t) => `\`${t}\``).join(', ')})` };
}

const ROUNDS = 3;

export default async function (): Promise<BenchSection[]> {
  const before = getBackend();
  const rows: (string | number)[][] = [], derivRows: (string | number)[][] = [];
  let scipy: ScipyResult | undefined, note = '';
  for (const d of DIMS) {
    const a = new Tensor(lcgUniform(d * d, 21), [d, d]);
    const e = ops.mul(a, 4 / Math.sqrt(d)) as Tensor;
    const dir = new Tensor(lcgUniform(d * d, 22), [d, d]);
    const opts = { samples: 5, minTimeMs: d >= 256 ? 400 : 150 };
    const best = { expm: { auto: Infinity, js: Infinity }, det: { auto: Infinity, js: Infinity }, lu: { auto: Infinity, js: Infinity } };
    let ref: ScipyRow | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const r = runScipy([d]);
      note = r.note;
      const row = r.result?.rows[0];
      if (r.result && row) {
        scipy = r.result;
        ref = ref === undefined ? row : { ...ref, expm_ms: Math.min(ref.expm_ms, row.expm_ms), det_ms: Math.min(ref.det_ms, row.det_ms), lu_ms: Math.min(ref.lu_ms, row.lu_ms) };
      }
      for (const backend of ['auto', 'js'] as const) {
        setBackend(backend);
        best.expm[backend] = Math.min(best.expm[backend], time(() => ops.expm(e), opts));
        best.det[backend] = Math.min(best.det[backend], time(() => ops.det(a), opts));
        best.lu[backend] = Math.min(best.lu[backend], time(() => ops.luFactor(a), opts));
      }
    }
    setBackend('auto');
    if (ref) {
      const close = (x: number, y: number, tol: number) => Math.abs(x - y) <= tol * Math.max(1, Math.abs(y));
      const sums = {
        expm: (ops.sum(ops.expm(e)) as Tensor).item(),
        slogdet: (ops.slogdet(a).logabsdet as Tensor).item(),
        lu: (ops.sum(ops.luFactor(a).lu) as Tensor).item(),
      };
      if (!close(sums.expm, ref.expm_sum, 1e-9) || !close(sums.slogdet, ref.slogdet, 1e-9) || !close(sums.lu, ref.lu_sum, 1e-8)) {
        throw new Error(`matfuncs bench: natgrad and scipy disagree at D = ${d}: ${JSON.stringify(sums)} vs ${JSON.stringify(ref)}`);
      }
    }
    for (const k of ['expm', 'det', 'lu'] as const) {
      const s = ref?.[`${k}_ms`];
      rows.push([k, d, s === undefined ? 'skipped' : formatRatio(s / best[k].auto), s === undefined ? 'skipped' : formatRatio(s / best[k].js), formatRatio(best[k].js / best[k].auto)]);
    }
    // derivative / primal, both measured here (auto backend)
    const q = { samples: 5, minTimeMs: d >= 256 ? 300 : 120 };
    const tExpm = time(() => ops.expm(e), q), tJvp = time(() => jvp((x: Value) => ops.expm(x), [e], [dir]), q);
    const tDet = time(() => ops.det(a), q), tGrad = time(() => grad((x: Value) => ops.det(x))(a), q);
    const tLu = time(() => ops.luFactor(a).lu, q), tLuJvp = time(() => jvp((x: Value) => ops.luFactor(x).lu, [a], [dir]), q);
    derivRows.push([d, formatRatio(tJvp / tExpm), formatRatio(tGrad / tDet), formatRatio(tLuJvp / tLu)]);
  }
  setBackend(before);
  const notes = scipy
    ? [`scipy side: numpy ${scipy.numpy}, scipy ${scipy.scipy} (\`${scipy.python}\`), OPENBLAS_NUM_THREADS=1: \`scipy.linalg.expm\`, ` +
        '`scipy.linalg.det`, `scipy.linalg.lu_factor` on the same inputs (checked in the run: the sums of expm and of the LU ' +
        `factors and log|det| agree to 1e-9). ${ROUNDS} rounds alternating the subprocess and natgrad, each side's best round.`]
    : [`**scipy skipped**: ${note}.`];
  return [
    {
      title: 'Matrix functions: expm, det, LU next to scipy',
      description: 'scipy time / natgrad time for the same D × D input (above 1× natgrad is faster), natgrad with the `auto` ' +
        'backend (WebAssembly kernels from the crossover up) and forced to JavaScript; the expm input has ‖A‖₁ of a few units ' +
        '(the degree-13 approximant with a few squarings).',
      headers: ['op', 'D', 'scipy / natgrad (auto)', 'scipy / natgrad (JS)', 'JS / auto'],
      rows,
      notes,
    },
    {
      title: 'Matrix functions: derivative cost relative to the primal',
      description: 'Time of one derivative divided by the time of the primal, same input, same run, `auto` backend: ' +
        '`jvp(expm)` (the Fréchet derivative, Al-Mohy–Higham), `grad(det)` (the cofactors from a pivoted LU — partial, or ' +
        'complete near singularity — and a Schur complement, exact at singular matrices), `jvp(luFactor)`.',
      headers: ['D', 'jvp(expm) / expm', 'grad(det) / det', 'jvp(luFactor) / luFactor'],
      rows: derivRows,
    },
  ];
}
