/**
 * Time per `update` of Descent and Adam on 10⁶ parameters, against one plain Float64Array pass over the same data
 * (the floor: read the gradient and the parameters, write new parameters), and Adam written with core ops (the
 * alternative to the fused loops the rules use).
 */
import { Tensor, ops } from '@natgrad/core';
import { Adam, type AnyRule, Descent, type OptimiserState, type Params, setup, update } from '@natgrad/optim';
import { type BenchSection, formatRatio, formatTime, lcgUniform, time } from '../../../bench/harness.js';
import { firstNonFinite } from '../src/tree-utils.js';

const N = 1_000_000;

/** One plain pass: out = x − 0.1·g into a fresh array (what any immutable update must at least do). */
function plainPass(x: Float64Array, g: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] - 0.1 * g[i];
  return out;
}

/** Adam with core ops: one op per formula term, each allocating a tensor. */
function opsAdam(s: { m: Tensor; v: Tensor; t: number }, x: Tensor, g: Tensor): [{ m: Tensor; v: Tensor; t: number }, Tensor] {
  const t = s.t + 1;
  const m = ops.add(ops.mul(0.9, s.m), ops.mul(0.1, g)) as Tensor;
  const v = ops.add(ops.mul(0.999, s.v), ops.mul(0.001, ops.square(g))) as Tensor;
  const mhat = ops.div(m, 1 - 0.9 ** t);
  const vhat = ops.div(v, 1 - 0.999 ** t);
  const step = ops.mul(0.001, ops.div(mhat, ops.add(ops.sqrt(vhat), 1e-8)));
  return [{ m, v, t }, ops.sub(x, step) as Tensor];
}

export default async function (): Promise<BenchSection[]> {
  const x = new Tensor(lcgUniform(N, 1), [N]);
  const g = new Tensor(lcgUniform(N, 2), [N]);
  const opts = { minTimeMs: 400, samples: 5, warmupMs: 300 };
  const base = time(() => plainPass(x.data, g.data), opts);
  const rows: (string | number)[][] = [['plain Float64Array pass (x − 0.1·g)', formatTime(base), formatRatio(1)]];
  const rules: [string, AnyRule][] = [
    ['Descent(0.1) via update', Descent(0.1)],
    ['Adam() via update', Adam()],
  ];
  for (const [name, rule] of rules) {
    let opt: OptimiserState = setup(rule, x);
    // Always update from the same parameters: the state keeps advancing, so every call does full work.
    const ms = time(() => {
      const [o] = update(opt, x as Params, g as Params);
      opt = o;
      return o;
    }, opts);
    rows.push([name, formatTime(ms), formatRatio(ms / base)]);
  }
  // The scan update runs over a new state (here Adam's, two tensors of 10⁶) so a state never holds NaN/∞.
  const adamState = setup(Adam(), x).state;
  const scan = time(() => firstNonFinite(adamState), opts);
  rows.push(["finiteness scan of Adam's new state (part of the update above)", formatTime(scan), formatRatio(scan / base)]);
  let s = { m: Tensor.zeros([N]), v: Tensor.zeros([N]), t: 0 };
  const msOps = time(() => {
    const [s2, y] = opsAdam(s, x, g);
    s = s2;
    return y;
  }, opts);
  rows.push(['Adam with core ops (for comparison)', formatTime(msOps), formatRatio(msOps / base)]);
  return [
    {
      title: 'Optimiser rules: time per update, 10⁶ parameters',
      description:
        'Median time of one `update(opt, params, grads)` on a single tensor of 10⁶ float64 parameters (rule step, ' +
        'finiteness checks, new parameters and new state — nothing is written in place), against one plain loop ' +
        'over the same arrays that writes a fresh result.',
      headers: ['what', 'time', '× plain pass'],
      rows,
      notes: [
        'The rules are fused single loops over Float64Arrays: Adam reads g, m, v and writes m, v and the step in one ' +
          'pass; `update` then checks the gradient, scans the new state for NaN/∞ (skipping subtrees it shares with the ' +
          'old state) and subtracts the step, one more pass each.',
      ],
    },
  ];
}
