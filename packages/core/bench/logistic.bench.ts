/**
 * A logistic-regression iteration (value and gradient of the negative log likelihood with a bias and an L2 penalty,
 * then a gradient step) written with core ops, before (an older tree, `NATGRAD_BASELINE`) and after, interleaved in
 * one run, against the loss alone and a hand-written loop; and the cost of one small op (the per-op overhead that
 * dominates at D = 4) against the same loop written by hand, before and after. Run with `pnpm bench logistic`.
 */
import * as current from '@natgrad/core';
import { type Value } from '@natgrad/core';
import { type CoreModule, baselineCore } from '../../../bench/baseline.js';
import { type BenchSection, formatRatio, formatTime, lcgUniform } from '../../../bench/harness.js';
import { type Sampler, interleave, loadNow, local, pairedRatio } from '../../../bench/interleave.js';

const N = 1000, D = 10;

/** −Σₙ log σ(sₙ(xₙᵀw + b)) + ½‖w‖², sₙ = ±1, with the ops of `core`. */
function lossOf(core: CoreModule): (X: Value, s: Value, w: Value, b: Value) => Value {
  const { ops } = core;
  return (X, s, w, b) => {
    const margins = ops.mul(s, ops.add(ops.matmul(X, w), b));
    return ops.add(ops.neg(ops.sum(ops.logSigmoid(margins))), ops.mul(0.5, ops.sum(ops.square(w))));
  };
}

/** The same value and gradient by hand: one pass over X for the margins, one for the gradient. */
function lossAndGradLoop(X: Float64Array, s: Float64Array, w: Float64Array, b: number, gw: Float64Array): [number, number] {
  let value = 0, gb = 0;
  gw.fill(0);
  for (let n = 0; n < N; n++) {
    let z = b;
    for (let d = 0; d < D; d++) z += X[n * D + d] * w[d];
    const m = s[n] * z;
    value += m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)); // softplus(−m)
    const r = -s[n] / (1 + Math.exp(m)); // d softplus(−m)/dz
    gb += r;
    for (let d = 0; d < D; d++) gw[d] += r * X[n * D + d];
  }
  for (let d = 0; d < D; d++) {
    value += 0.5 * w[d] * w[d];
    gw[d] += w[d];
  }
  return [value, gb];
}

/** The loss and one full iteration (value, gradient, step) in one tree; checked against the loop first. */
function logisticSamplers(core: CoreModule, prefix: string): Record<string, Sampler> {
  const { Tensor, ops } = core;
  const loss = lossOf(core);
  const X = new Tensor(lcgUniform(N * D, 21), [N, D]);
  const s = new Tensor(Float64Array.from(lcgUniform(N, 22), (u) => (u > 0 ? 1 : -1)), [N]);
  const w = new Tensor(lcgUniform(D, 23), [D]);
  const b = Tensor.scalar(0.1);
  const vg = core.valueAndGrad((w_: Value, b_: Value) => loss(X, s, w_, b_), { argnums: [0, 1] });
  const step = () => {
    const [, [gw, gb]] = vg(w, b) as [Value, [Value, Value]];
    return [ops.sub(w, ops.mul(0.01, gw)), ops.sub(b, ops.mul(0.01, gb))];
  };
  // The loop must agree with AD before it is timed.
  const gwLoop = new Float64Array(D);
  const [vLoop, gbLoop] = lossAndGradLoop(X.data, s.data, w.data, 0.1, gwLoop);
  const [v, [gw, gb]] = vg(w, b) as unknown as [current.Tensor, [current.Tensor, current.Tensor]];
  const err = Math.max(Math.abs(v.item() - vLoop) / Math.abs(vLoop), Math.abs(gb.item() - gbLoop), ...Array.from(gw.data, (g, i) => Math.abs(g - gwLoop[i])));
  if (!(err < 1e-10)) throw new Error(`logistic bench: ${prefix} the loop disagrees with AD (${err})`);
  const out: Record<string, Sampler> = { [`${prefix}loss`]: local(() => loss(X, s, w, b)), [`${prefix}step`]: local(step) };
  if (prefix === '') out.loop = local(() => lossAndGradLoop(X.data, s.data, w.data, 0.1, gwLoop));
  return out;
}

async function logisticSection(): Promise<BenchSection> {
  const base = await baselineCore();
  const load = loadNow();
  const r = await interleave({ ...logisticSamplers(current, ''), ...(base.core ? logisticSamplers(base.core, 'old.') : {}) }, { rounds: 11, batchMs: 30 });
  const old = (k: string, ratio: boolean) => (r[`old.${k}`] ? (ratio ? formatRatio(pairedRatio(r[`old.${k}`], r['old.loss'])) : formatTime(r[`old.${k}`].median)) : '—');
  return {
    title: `Logistic-regression iteration, N = ${N}, D = ${D}, before and after`,
    description:
      'One gradient step of L2-penalised logistic regression with a bias: `valueAndGrad` of ' +
      '−Σ log σ(s ⊙ (Xw + b)) + ½‖w‖² (a matmul, a scalar broadcast, logSigmoid, sums) and the parameter update, ' +
      'against the loss alone and a hand-written loop computing the same value and gradient. **Before** is an ' +
      'older tree loaded into the same process and interleaved with the current one.',
    headers: ['computation', `before (${base.label})`, 'before: ratio to loss', 'after', 'after: ratio to loss', 'after / before'],
    rows: [
      ['loss only', old('loss', false), base.core ? '1.00×' : '—', formatTime(r.loss.median), '1.00×', base.core ? formatRatio(pairedRatio(r.loss, r['old.loss'])) : '—'],
      ['value + gradient + step', old('step', false), old('step', true), formatTime(r.step.median), formatRatio(pairedRatio(r.step, r.loss)), base.core ? formatRatio(pairedRatio(r.step, r['old.step'])) : '—'],
      ['hand-written loop (value + gradient)', '', '', formatTime(r.loop.median), formatRatio(pairedRatio(r.loop, r.loss)), ''],
    ],
    notes: [`CPU time per call, median of 11 interleaved rounds of ≈ 30 ms; load average ${load} at the start. ${base.core ? base.note : `**Before skipped**: ${base.note}.`}`],
  };
}
/** The ops of the per-op table in one tree, on 4×4 or 100×100 operands. */
function opSamplers(core: CoreModule, prefix: string, side: number[]): Record<string, Sampler> {
  const { Tensor, ops } = core;
  const size = side[0] * side[1];
  const a = new Tensor(lcgUniform(size, 31), side), c = new Tensor(lcgUniform(size, 32), side);
  const row = new Tensor(lcgUniform(side[1], 33), [side[1]]);
  const out: Record<string, Sampler> = {};
  for (const [name, f] of OPS) out[prefix + name] = local(() => f(ops, a, c, row));
  if (prefix === '') {
    out.plain = local(() => {
      const o = new Float64Array(size);
      for (let i = 0; i < size; i++) o[i] = a.data[i] + c.data[i];
      return o;
    });
  }
  return out;
}

type Ops = CoreModule['ops'];
const OPS: [string, (ops: Ops, a: current.Tensor, c: current.Tensor, row: current.Tensor) => unknown][] = [
  ['add', (ops, a, c) => ops.add(a, c)],
  ['add a row (broadcast)', (ops, a, _c, row) => ops.add(a, row)],
  ['mul by a number', (ops, a) => ops.mul(a, 2)],
  ['exp', (ops, a) => ops.exp(a)],
  ['matrixTranspose', (ops, a) => ops.matrixTranspose(a)],
  ['sum over axis 0', (ops, a) => ops.sum(a, 0)],
  ['matmul', (ops, a, c) => ops.matmul(a, c)],
];

async function overheadSection(): Promise<BenchSection> {
  const base = await baselineCore();
  const rows: (string | number)[][] = [];
  for (const side of [[4, 4], [100, 100]]) {
    const r = await interleave({ ...opSamplers(current, '', side), ...(base.core ? opSamplers(base.core, 'old.', side) : {}) }, { rounds: 9, batchMs: 20 });
    for (const [name] of OPS) {
      const old = r[`old.${name}`];
      rows.push([
        side.join('×'),
        name,
        old ? formatTime(old.median) : '—',
        formatTime(r[name].median),
        formatRatio(pairedRatio(r[name], r.plain)),
        old ? formatRatio(pairedRatio(r[name], old)) : '—',
      ]);
    }
    rows.push([side.join('×'), 'plain loop a + c (new Float64Array)', '', formatTime(r.plain.median), '1.00×', '']);
  }
  return {
    title: 'Per-op cost against a plain loop, before and after',
    description:
      'One core op on concrete tensors (argument conversion, dispatch, kernel, result tensor) against a hand-written ' +
      'loop that allocates its own `Float64Array`. At 4×4 the difference is the per-op overhead; at 100×100 the ' +
      'kernels themselves. **Before** is an older tree, interleaved in the same process.',
    headers: ['size', 'op', `before (${base.label})`, 'after', 'after: ratio to plain loop', 'after / before'],
    rows,
    notes: [`CPU time per call, median of 9 interleaved rounds. ${base.core ? base.note : `**Before skipped**: ${base.note}.`}`],
  };
}

export default async function (): Promise<BenchSection[]> {
  return [await logisticSection(), await overheadSection()];
}
