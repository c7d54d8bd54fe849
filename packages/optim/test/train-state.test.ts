/**
 * Whole-run checkpoints (`saveTrainState` / `loadTrainState`): a run saved mid-way and continued from the file follows
 * the uninterrupted run bit for bit — in this process, and across two real Node processes running the built packages
 * (fixtures/resume-run.mjs); the file keeps everything a `TrainState` holds; what it refuses.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tensor, random } from '@natgrad/core';
import {
  Adam,
  CheckpointError,
  Descent,
  Momentum,
  type Params,
  type TrainState,
  applyIfFinite,
  chain,
  describeRule,
  freeze,
  lastState,
  load,
  loadTrainState,
  partition,
  save,
  saveTrainState,
  setup,
  train,
} from '@natgrad/optim';
import { toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';

type P = { layers: Tensor[]; head: { w: Tensor; b: Tensor } };

const params0 = (): P => ({
  layers: [Tensor.from([1, -2, 0.5]), Tensor.from([[0.1, 0.2], [0.3, -0.4]])],
  head: { w: Tensor.from([3]), b: Tensor.from([-1, 1]) },
});

/** Σ (x − 0.1·noise)² over every leaf, noise from the step's key: a different key would change the trajectory. */
function objective(p: P, key: random.Key) {
  const leaves = [...p.layers, p.head.w, p.head.b];
  const keys = random.split(key, leaves.length);
  let loss = 0;
  const grads = leaves.map((t, i) => {
    const n = random.normal(keys[i], t.shape).data;
    const g = new Float64Array(t.size);
    for (let j = 0; j < t.size; j++) {
      const r = t.data[j] - 0.1 * n[j];
      loss += r * r;
      g[j] = 2 * r;
    }
    return new Tensor(g, t.shape);
  });
  return { loss, grad: { layers: [grads[0], grads[1]], head: { w: grads[2], b: grads[3] } } };
}

const rule = () => partition({ body: chain(applyIfFinite(Momentum(0.05, 0.9))), head: Adam(0.1) }, { layers: 'body', head: 'head' });
const bits = (s: TrainState<P>) => [...s.params.layers, s.params.head.w, s.params.head.b].map((t) => Array.from(t.data));

describe('whole-run checkpoints in one process', () => {
  const seed = 2n ** 64n - 3n;
  const start = () => ({ params: params0(), optimiser: freeze(setup(rule(), params0()), 'head.b'), seed });

  it('a run saved at step 7 and continued from the file is the uninterrupted run, bit for bit', async () => {
    const all = (await new Promise<TrainState<P>[]>((resolve, reject) =>
      train({ objective, ...start(), steps: 20, yieldEvery: 5 }).pipe(toArray()).subscribe({ next: resolve, error: reject }),
    )) as TrainState<P>[];
    const first = (await lastState(train({ objective, ...start(), steps: 7, yieldEvery: 5 }))) as TrainState<P>;
    const file = saveTrainState(first);
    const rest = await new Promise<TrainState<P>[]>((resolve, reject) =>
      train({ objective, initialState: loadTrainState<P>(file), steps: 20, yieldEvery: 5 }).pipe(toArray()).subscribe({ next: resolve, error: reject }),
    );
    expect(rest.map((s) => s.step)).toEqual(Array.from({ length: 13 }, (_, i) => 8 + i));
    for (let i = 0; i < rest.length; i++) {
      const u = all[7 + i];
      expect(bits(rest[i])).toEqual(bits(u));
      expect(rest[i].loss).toBe(u.loss);
      expect(rest[i].gradNorm).toBe(u.gradNorm);
      expect(rest[i].seed).toBe(seed);
    }
    // the run moved (so the equality above says something) and the frozen leaf did not
    expect(bits(all[19])[0]).not.toEqual(bits(all[7])[0]);
    expect(all[19].params.head.b.data).toEqual(params0().head.b.data);
  });

  it('keeps everything a TrainState holds: parameters (arrays too), optimiser state, step, seed, wall time, labels, frozen paths, loss, step sizes, events', async () => {
    const s = (await lastState(train({ objective, ...start(), steps: 4, yieldEvery: 5 }))) as TrainState<P>;
    const withExtras: TrainState<P> = { ...s, wallTime: 123.5, events: [{ type: 'skip', path: 'body', step: 4, message: 'a test event', data: { norm: -0 } }] };
    const back = loadTrainState<P>(saveTrainState(withExtras));
    expect(Array.isArray(back.params.layers)).toBe(true);
    expect(bits(back)).toEqual(bits(s));
    expect(back.params.layers[1].shape).toEqual([2, 2]);
    expect(back.step).toBe(4);
    expect(back.optimiser.step).toBe(4);
    expect(back.seed).toBe(seed);
    expect(back.wallTime).toBe(123.5);
    expect(back.loss).toBe(s.loss);
    expect(back.gradNorm).toBe(s.gradNorm);
    expect(back.stepSize).toBe(s.stepSize);
    expect({ ...back.stepSizes }).toEqual({ ...s.stepSizes });
    expect(back.events).toHaveLength(1);
    expect(Object.is(back.events[0].data?.norm, -0)).toBe(true);
    expect(back.optimiser.frozen).toEqual(['head.b']);
    expect(describeRule(back.optimiser.rule)).toEqual(describeRule(s.optimiser.rule)); // labels, branches, hyperparameters
    expect(save(back.optimiser)).toBe(save(s.optimiser)); // every rule state, exactly
    expect(Object.isFrozen(back) && Object.isFrozen(back.params.head)).toBe(true);
    expect(Object.getPrototypeOf(back.params.head)).toBe(null);
  });

  it('a number seed stays a number; a state with no step sizes is fine', async () => {
    const s = (await lastState(train({ objective: (p: { x: Tensor }) => ({ loss: p.x.data[0] ** 2, grad: { x: Tensor.from([2 * p.x.data[0]]) } }), params: { x: Tensor.from([1]) }, optimiser: Descent(0.1), steps: 3, seed: 42 }))) as TrainState<{ x: Tensor }>;
    const back = loadTrainState<{ x: Tensor }>(saveTrainState(s));
    expect(back.seed).toBe(42);
    expect(back.params.x.data[0]).toBe(s.params.x.data[0]);
  });

  it('refuses what it cannot resume from, with a CheckpointError that says why', async () => {
    const s = (await lastState(train({ objective, ...start(), steps: 2, yieldEvery: 5 }))) as TrainState<P>;
    const file = saveTrainState(s);
    // an optimiser checkpoint holds no parameters
    expect(() => loadTrainState(save(s.optimiser))).toThrow(/optimiser checkpoint \(from save\).*read it with load/);
    // an unknown field of the run is refused even with the checksum check off
    const doc = JSON.parse(file);
    doc.run.extra = 1;
    expect(() => loadTrainState(JSON.stringify(doc), { verifyChecksum: false })).toThrow(CheckpointError);
    expect(() => loadTrainState(JSON.stringify(doc), { verifyChecksum: false })).toThrow(/run\.extra: unexpected field/);
    // a parameter that is not where the layout says
    const moved = JSON.parse(file);
    moved.run.params.head.c = moved.run.params.head.w;
    delete moved.run.params.head.w;
    expect(() => loadTrainState(JSON.stringify(moved), { verifyChecksum: false })).toThrow(CheckpointError);
    // a parameter of the wrong shape
    const reshaped = JSON.parse(file);
    reshaped.run.params.head.w.shape = [1, 1];
    expect(() => loadTrainState(JSON.stringify(reshaped), { verifyChecksum: false })).toThrow(/run\.params\.head\.w: expected a tensor of shape \[1\]/);
    // an edited file without the checksum check off
    const edited = JSON.parse(file);
    edited.run.wallTime = 99;
    expect(() => loadTrainState(JSON.stringify(edited))).toThrow(/checksum/);
    // a non-finite parameter cannot be saved exactly
    const bad = { ...s, params: { ...s.params, head: { ...s.params.head, w: Tensor.from([Number.NaN]) } } };
    expect(() => saveTrainState(bad)).toThrow(/non-finite parameter NaN at "head\.w"\[0\]/);
    // load reads the optimiser part of a whole-run file: the same optimiser state
    expect(save(load(file, { params: s.params as unknown as Params }))).toBe(save(s.optimiser));
  });
});

const fixture = fileURLToPath(new URL('./fixtures/resume-run.mjs', import.meta.url));
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const tmp = mkdtempSync(join(os.tmpdir(), 'natgrad-resume-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the fixture in a fresh Node process; rejects with its stderr on failure. */
function node(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fixture, ...args], { timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`node resume-run.mjs ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve();
    });
  });
}

describe('whole-run checkpoints across processes (built packages)', () => {
  it('a process stops at step 11 and saves; a new process loads the file and continues: the uninterrupted trajectory, bit for bit', async () => {
    if (!existsSync(dist)) throw new Error(`${dist} is missing: run pnpm build first (pnpm test does)`);
    const full = join(tmp, 'full.json');
    const first = join(tmp, 'first.json');
    const rest = join(tmp, 'rest.json');
    const checkpoint = join(tmp, 'run.json');
    await Promise.all([node(['full', '30', full]), node(['first', '11', first, checkpoint])]);
    await node(['continue', '30', rest, checkpoint]);
    const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as { step: number; params: Record<string, string>; stepSizes: Record<string, number> }[];
    const uninterrupted = read(full);
    const resumed = [...read(first), ...read(rest)];
    expect(resumed.map((s) => s.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(resumed).toEqual(uninterrupted); // params as float64 bytes, loss, gradient norm, step sizes, events
    // the trajectory is not trivial: the Adam branch, its cosine schedule and the natural-gradient block all moved
    expect(uninterrupted[29].params.w).not.toBe(uninterrupted[11].params.w);
    expect(uninterrupted[29].params.mu).not.toBe(uninterrupted[11].params.mu);
    expect(uninterrupted[29].stepSizes['adam.Adam']).toBeLessThan(uninterrupted[11].stepSizes['adam.Adam']);
    expect(uninterrupted[29].params.b).toBe(uninterrupted[0].params.b); // frozen
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8'));
    expect(saved.format).toBe('natgrad-train-state');
    expect(saved.run.seed).toBe((2n ** 63n + 12345n).toString());
    expect(saved.frozen).toEqual(['b']);
  }, 120_000);
});
