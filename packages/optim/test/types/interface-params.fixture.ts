/**
 * Type-level fixture (checked by `pnpm typecheck` and by types.test.ts under strict): parameter types declared with
 * `interface` — which have no index signature — work with setup, update, train, load and TrainState; trees with a
 * non-value leaf are rejected at compile time.
 */
import { Tensor, type Value, grad, ops } from '@natgrad/core';
import { kl, meanCholesky, meanCovariance } from '@natgrad/distributions';
import { Adam, Descent, type TrainState, lastState, load, partition, save, setup, train, update } from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';

interface Block {
  mu: Tensor;
  L: Tensor;
}
interface Model {
  q: Block;
  layers: Tensor[];
  logNoise: Tensor;
  bias?: Tensor;
}

const model: Model = { q: { mu: Tensor.zeros([2]), L: Tensor.eye(2) }, layers: [Tensor.zeros([3])], logNoise: Tensor.scalar(0) };
const prior = { mu: Tensor.zeros([2]), Sigma: Tensor.eye(2) };
const loss = (p: Model): Value => ops.add(kl(meanCholesky, p.q, meanCovariance, prior), ops.sum(ops.square(p.logNoise)));

const rule = partition({ q: NaturalGradient(Descent(0.5)), rest: Adam(0.01) }, { q: 'q', layers: 'rest', logNoise: 'rest' });
let opt = setup(rule, model);
let next: Model = model;
[opt, next] = update(opt, next, grad(loss)(next));
export const kept: Tensor = next.q.mu; // update returns the caller's type

export async function run(): Promise<number | undefined> {
  const run$ = train<Model>({ objective: loss, params: model, optimiser: rule, steps: 3 });
  const final: TrainState<Model> | undefined = await lastState(run$);
  const resumed = load(save(opt), { params: model });
  return final === undefined ? resumed.step : final.params.q.L.data[0] + resumed.step;
}

interface NotParams {
  w: number;
}
interface NestedNotParams {
  q: { mu: Tensor; sigma: string };
}
// @ts-expect-error a number is not a parameter leaf
setup(Descent(0.1), { w: 1 } as NotParams);
// @ts-expect-error nor is a string, however deep
train<NestedNotParams>({ objective: () => 0, params: { q: { mu: Tensor.zeros([1]), sigma: 'x' } }, optimiser: Descent(0.1) });
