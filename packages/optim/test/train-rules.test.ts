/**
 * The training stream with the real rules: step sizes of plain, scheduled, adjusted and composite rules; resuming
 * from a `save`/`load` checkpoint; `applyIfFinite` skipping non-finite steps inside a run.
 */
import { Tensor, type Value, cholesky, ops, random } from '@natgrad/core';
import { meanCholesky } from '@natgrad/distributions';
import { firstValueFrom, lastValueFrom, map, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  ClipNorm,
  Descent,
  IncreasingRate,
  TooManyNonFiniteStepsError,
  type TrainState,
  TrainingError,
  accumulate,
  adjust,
  applyIfFinite,
  chain,
  cosineDecay,
  load,
  partition,
  save,
  setup,
  stepSizeOf,
  stepSizesOf,
  summary,
  train,
} from '../src/index.js';
import { NaturalGradient, nativeCoordinates } from '../src/natural/index.js';

type Q = { mu: Tensor; rho: Tensor };
const q0 = (): Q => ({ mu: Tensor.from([0.5, -1, 2]), rho: Tensor.from([[0.1, 0.2], [0.3, 0.4]]) });

/** A stochastic objective on two blocks (a Monte Carlo-style estimate drawn from the step key). */
function objective(p: Q, key: random.Key): Value {
  const [k1, k2] = random.split(key);
  const a = ops.sum(ops.square(ops.sub(p.mu, ops.mul(random.normal(k1, [3]), 0.1))));
  const b = ops.sum(ops.square(ops.sub(p.rho, ops.add(1, ops.mul(random.normal(k2, [2, 2]), 0.1)))));
  return ops.add(a, b) as Value;
}

const collect = <T>(o: import('rxjs').Observable<T>) => firstValueFrom(o.pipe(toArray()));

function hex(t: Tensor): string {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');
}

/** Bitwise fingerprint of a state: step, params, loss, and the optimiser state as a checkpoint (exact float64). */
function fingerprint(s: TrainState): string {
  const p = s.params as Q;
  return [s.step, hex(p.mu), hex(p.rho), Buffer.from(Float64Array.of(s.loss).buffer).toString('hex'), save(s.optimiser)].join('|');
}

describe('train with the built-in rules', () => {
  it('reports the learning rate of plain, scheduled, composite and injected rules', async () => {
    const run = (optimiser: Parameters<typeof setup>[0], steps = 5) =>
      collect(train({ objective, params: q0(), optimiser, steps, differentiate: true }));
    expect((await run(Descent(0.05))).map((s) => s.stepSize)).toEqual([0.05, 0.05, 0.05, 0.05, 0.05]);
    const sched = cosineDecay(0.1, 4);
    expect((await run(Descent(sched))).map((s) => s.stepSize)).toEqual([0, 1, 2, 3, 4].map((t) => sched(t)));
    expect((await run(chain(ClipNorm(1), Adam(0.002))))[0].stepSize).toBe(0.002);
    // a partition with one rate per branch: no single step size, one per label
    const [parted] = await run(partition({ fast: Adam(0.01), slow: Descent(0.001) }, { mu: 'fast', rho: 'slow' }));
    expect(parted.stepSize).toBeUndefined();
    expect(parted.stepSizes).toEqual({ fast: 0.01, slow: 0.001 });
    const twoStates = await run(partition({ fast: Adam(0.01), slow: Descent(0.001) }, { mu: 'fast', rho: 'slow' }), 2);
    expect(twoStates[1].stepSizes).toBe(twoStates[0].stepSizes); // unchanged: shared between snapshots
    const gaussian = { q: { mu: Tensor.zeros([2]), L: Tensor.eye(2) }, h: Tensor.zeros([1]) };
    const natural = partition({ natural: NaturalGradient(IncreasingRate(1, 0.5)), adam: Adam(0.05) }, { q: 'natural', h: 'adam' });
    expect(stepSizesOf(setup(natural, gaussian))).toEqual({ natural: 1, adam: 0.05 });
    expect((await run(chain(ClipNorm(1), Adam(0.002))))[0].stepSizes).toEqual({ Adam: 0.002 });
    expect((await run(accumulate(2, Descent(sched)))).map((s) => s.stepSize)).toEqual([0, 0, 1, 1, 2].map((t) => sched(t)));
    expect((await run(IncreasingRate(0.1, 0.1)))[0].stepSize).toBe(0.1);
    // adjusted between runs: what is reported changes with it
    const states = await run(Adam(0.01), 3);
    const changed = adjust(states[2].optimiser, { lr: 0.001 });
    expect(stepSizeOf(changed)).toBe(0.001);
    expect(changed.rule.hyperparams.lr).toBe(0.001);
    const more = await collect(train({ objective, initialState: { ...states[2], optimiser: changed }, steps: 5 }));
    expect(more.map((s) => s.stepSize)).toEqual([0.001, 0.001]);
  });

  it('resumes from a save/load checkpoint exactly as an uninterrupted run (Adam, stochastic objective)', async () => {
    const opts = { objective, params: q0(), optimiser: chain(ClipNorm(5), Adam(0.05)), steps: 40, seed: 123 } as const;
    const full = await collect(train(opts));
    const mid = full[14];
    // what a program would write to disk: the optimiser checkpoint, the parameters, the seed
    const disk = JSON.stringify({
      opt: save(mid.optimiser),
      params: { mu: Array.from((mid.params as Q).mu.data), rho: Array.from((mid.params as Q).rho.data) },
      seed: mid.seed,
    });
    const back = JSON.parse(disk) as { opt: string; params: { mu: number[]; rho: number[] }; seed: number };
    const params: Q = { mu: Tensor.from(back.params.mu), rho: Tensor.from(back.params.rho, [2, 2]) };
    const optimiser = load(back.opt, { params });
    expect(optimiser.step).toBe(15);
    const rest = await collect(train({ objective, params, optimiser, steps: 40, seed: back.seed }));
    expect(rest.map(fingerprint)).toEqual(full.slice(15).map(fingerprint));
  });

  it('passes non-finite steps to applyIfFinite, which skips them and reports them as events', async () => {
    const flaky = (p: Q, key: random.Key, step: number): Value =>
      step === 3 || step === 4 ? (ops.mul(objective(p, key), NaN) as Value) : objective(p, key);
    const states = await collect(
      train({ objective: flaky, params: q0(), optimiser: applyIfFinite(Adam(0.01)), steps: 8, differentiate: true }),
    );
    expect(states).toHaveLength(8);
    expect(states.map((s) => s.events.map((e) => e.type))).toEqual([[], [], [], ['skip-nonfinite'], ['skip-nonfinite'], [], [], []]);
    for (const s of states) {
      const p = s.params as Q;
      expect([...p.mu.data, ...p.rho.data].every(Number.isFinite)).toBe(true);
    }
    expect(states[4].params).toBe(states[2].params); // skipped steps change nothing
    expect(Number.isNaN(states[3].loss)).toBe(true); // the objective's value, as reported
    const [s] = await collect(
      train({ objective: flaky, params: q0(), optimiser: applyIfFinite(Adam(0.01)), steps: 8, differentiate: true }).pipe(summary()),
    );
    expect(s.events).toEqual({ 'skip-nonfinite': 2 });
    expect(s.bestLoss).toBe(Math.min(...states.filter((x) => Number.isFinite(x.loss)).map((x) => x.loss)));
  });

  it('fails with a TrainingError once applyIfFinite has skipped too many steps in a row', async () => {
    const broken = (p: Q, key: random.Key, step: number): Value => (step >= 2 ? (ops.mul(objective(p, key), NaN) as Value) : objective(p, key));
    const err = await lastValueFrom(
      train({ objective: broken, params: q0(), optimiser: applyIfFinite(Adam(0.01), { maxConsecutive: 2 }), steps: 10 }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingError);
    expect((err as TrainingError).reason).toBe('non-finite-gradient');
    expect((err as TrainingError).cause).toBeInstanceOf(TooManyNonFiniteStepsError);
    expect((err as TrainingError).step).toBe(4);
    expect((err as TrainingError).lastGoodState!.step).toBe(4);
  });
});

describe('train with NaturalGradient on a Gaussian block', () => {
  type G = { mu: Tensor; L: Tensor };
  const A = Tensor.from([[2, 0.9], [0.9, 1]]);
  const m = Tensor.from([1, -1]);
  /** Monte Carlo −ELBO of q = N(μ, LLᵀ) against the target N(m, A⁻¹) (up to a constant), 8 samples per step. */
  const negElbo = (q: { mu: Value; L: Value }, key: random.Key): Value => {
    const f = ops.add(q.mu, ops.matmul(random.normal(key, [8, 2]), ops.matrixTranspose(q.L)));
    const r = ops.sub(f, m);
    const quad = ops.mean(ops.sum(ops.mul(r, ops.matmul(r, A)), -1));
    return ops.sub(ops.mul(0.5, quad), ops.sum(ops.log(ops.abs(ops.diagonal(q.L))))) as Value;
  };
  const g0 = (): G => ({ mu: Tensor.from([0, 0]), L: Tensor.from([[1, 0], [0.5, 1]]) });
  /** Finite, and L a valid Cholesky factor (lower triangular, positive diagonal): Σ = LLᵀ is positive definite. */
  const isValidGaussian = (q: G): boolean => {
    if (![...q.mu.data, ...q.L.data].every(Number.isFinite)) return false;
    meanCholesky.validate(q as never, 'test'); // throws otherwise
    return true;
  };
  /** Σ = LLᵀ formed explicitly also factorises (true while the entries stay moderate). */
  const sigmaFactorises = (q: G): boolean => {
    cholesky(ops.matmul(q.L, ops.matrixTranspose(q.L)) as Tensor); // throws NotPositiveDefiniteError otherwise
    return true;
  };

  it('never emits a non-positive-definite block, even when steps have to be backtracked', async () => {
    const states = await collect(
      train({ objective: negElbo, params: g0(), optimiser: NaturalGradient(Descent(1)), steps: 60, seed: 1 }),
    );
    expect(states).toHaveLength(60);
    const backtracks = states.flatMap((s) => s.events).filter((e) => e.type === 'backtrack');
    expect(backtracks.length).toBeGreaterThan(0); // the test exercises the rule's safeguard
    for (const s of states) expect(isValidGaussian(s.params as G) && sigmaFactorises(s.params as G)).toBe(true);
  });

  // Steps of size 2 in (μ, L) coordinates make the stochastic run diverge: L grows to ~1e215 (where LLᵀ can no longer
  // be formed in float64, though L is still a valid factor) until the loss overflows and the run fails.
  it('keeps every emitted block valid up to the failure when a run diverges', async () => {
    const seen: TrainState[] = [];
    const err = await lastValueFrom(
      train({ objective: negElbo, params: g0(), optimiser: NaturalGradient(Descent(2), { coordinates: nativeCoordinates() }), steps: 60, seed: 1 }).pipe(
        map((s) => (seen.push(s), s)),
      ),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingError);
    expect((err as TrainingError).lastGoodState).toBe(seen[seen.length - 1]);
    for (const s of seen) expect(isValidGaussian(s.params as G)).toBe(true);
  });
});
