/**
 * A logistic-regression iteration (value and gradient of the negative log likelihood with a bias and an L2 penalty,
 * then a gradient step) written with core ops, against the loss alone and a hand-written loop; and the cost of one
 * small op (the per-op overhead that dominates at D = 4) against the same loop written by hand.
 * Run with `pnpm bench logistic`.
 */
import { Tensor, type Value, ops, valueAndGrad } from '@natgrad/core';
import { type BenchSection, formatRatio, formatTime, lcgUniform, time } from '../../../bench/harness.js';

const N = 1000, D = 10;

/** −Σₙ log σ(sₙ(xₙᵀw + b)) + ½‖w‖², sₙ = ±1. */
function loss(X: Value, s: Value, w: Value, b: Value): Value {
  const margins = ops.mul(s, ops.add(ops.matmul(X, w), b));
  return ops.add(ops.neg(ops.sum(ops.logSigmoid(margins))), ops.mul(0.5, ops.sum(ops.square(w))));
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

function logisticSection(): BenchSection {
  const X = new Tensor(lcgUniform(N * D, 21), [N, D]);
  const s = new Tensor(Float64Array.from(lcgUniform(N, 22), (u) => (u > 0 ? 1 : -1)), [N]);
  const w = new Tensor(lcgUniform(D, 23), [D]);
  const b = Tensor.scalar(0.1);
  const vg = valueAndGrad((w_: Value, b_: Value) => loss(X, s, w_, b_), { argnums: [0, 1] });
  const step = () => {
    const [, [gw, gb]] = vg(w, b);
    return [ops.sub(w, ops.mul(0.01, gw)), ops.sub(b, ops.mul(0.01, gb))];
  };
  // The loop must agree with AD before it is timed.
  const gwLoop = new Float64Array(D);
  const [vLoop, gbLoop] = lossAndGradLoop(X.data, s.data, w.data, 0.1, gwLoop);
  const [v, [gw, gb]] = vg(w, b) as [Tensor, [Tensor, Tensor]];
  const err = Math.max(Math.abs(v.item() - vLoop) / Math.abs(vLoop), Math.abs(gb.item() - gbLoop), ...Array.from(gw.data, (g, i) => Math.abs(g - gwLoop[i])));
  if (!(err < 1e-10)) throw new Error(`logistic bench: the loop disagrees with AD (${err})`);
  const tPrimal = time(() => loss(X, s, w, b));
  const tStep = time(step);
  const tLoop = time(() => lossAndGradLoop(X.data, s.data, w.data, 0.1, gwLoop));
  return {
    title: `Logistic-regression iteration, N = ${N}, D = ${D}`,
    description:
      'One gradient step of L2-penalised logistic regression with a bias: `valueAndGrad` of ' +
      '−Σ log σ(s ⊙ (Xw + b)) + ½‖w‖² (a matmul, a scalar broadcast, logSigmoid, sums) and the parameter update, ' +
      'against the loss alone and a hand-written loop computing the same value and gradient.',
    headers: ['computation', 'time', 'ratio to loss'],
    rows: [
      ['loss only', formatTime(tPrimal), '1.00×'],
      ['value + gradient + step', formatTime(tStep), formatRatio(tStep / tPrimal)],
      ['hand-written loop (value + gradient)', formatTime(tLoop), formatRatio(tLoop / tPrimal)],
    ],
  };
}

function overheadSection(): BenchSection {
  const rows: (string | number)[][] = [];
  for (const n of [4, 10_000]) {
    const side = n === 4 ? [4, 4] : [100, 100];
    const size = side[0] * side[1];
    const a = new Tensor(lcgUniform(size, 31), side), c = new Tensor(lcgUniform(size, 32), side);
    const row = new Tensor(lcgUniform(side[1], 33), [side[1]]);
    const plain = () => {
      const o = new Float64Array(size);
      for (let i = 0; i < size; i++) o[i] = a.data[i] + c.data[i];
      return o;
    };
    const tPlain = time(plain);
    const cases: [string, () => unknown][] = [
      ['add', () => ops.add(a, c)],
      ['add a row (broadcast)', () => ops.add(a, row)],
      ['mul by a number', () => ops.mul(a, 2)],
      ['exp', () => ops.exp(a)],
      ['matrixTranspose', () => ops.matrixTranspose(a)],
      ['sum over axis 0', () => ops.sum(a, 0)],
    ];
    for (const [name, f] of cases) {
      const t = time(f);
      rows.push([`${side.join('×')}`, name, formatTime(t), formatRatio(t / tPlain)]);
    }
    rows.push([`${side.join('×')}`, 'plain loop a + c (new Float64Array)', formatTime(tPlain), '1.00×']);
  }
  return {
    title: 'Per-op cost against a plain loop',
    description:
      'One core op on concrete tensors (argument conversion, dispatch, kernel, result tensor) against a hand-written ' +
      'loop that allocates its own `Float64Array`. At 4×4 the difference is the per-op overhead; at 100×100 the ' +
      'kernels themselves.',
    headers: ['size', 'op', 'time', 'ratio to plain loop'],
    rows,
  };
}

export default async function (): Promise<BenchSection[]> {
  return [logisticSection(), overheadSection()];
}
