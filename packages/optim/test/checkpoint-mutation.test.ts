/**
 * Checkpoint mutation property: real checkpoints of several optimisers — optimiser checkpoints of format version 2
 * (`save`) and version 1 (written by natgrad 0.1), and whole-run checkpoints (`saveTrainState`) — mutated in their
 * keys, values, types, sizes and paths, re-sealed (the checksum is public) or not, and loaded with and without the
 * parameters. Every outcome is either a CheckpointError, or a state that is fully valid: it saves and reloads to
 * itself, its next update works (or refuses with a typed error), and when the edit changed nothing that matters the
 * next update is bit for bit the unmutated one's. No other error, and the built-in prototypes are untouched.
 * `NATGRAD_MUTATION_RUNS=20000` runs a large search and prints its figures.
 */
import { readFileSync } from 'node:fs';
import { NatgradError, Tensor, grad, ops } from '@natgrad/core';
import {
  Adam,
  type AnyRule,
  CheckpointError,
  ClipNorm,
  Descent,
  IncreasingRate,
  Momentum,
  type OptimiserState,
  type Params,
  RAdam,
  RMSProp,
  Rprop,
  SignDecay,
  type TrainState,
  Yogi,
  accumulate,
  adjust,
  applyIfFinite,
  chain,
  cosineDecay,
  describeRule,
  freeze,
  load,
  loadTrainState,
  partition,
  save,
  saveTrainState,
  setup,
  update,
} from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checksum } from '../src/checkpoint/hash.js';
import { bodyString } from '../src/checkpoint/save.js';
import { grads as testGrads } from './checkpoint-fixtures.js';
import { elbo, model2d, noise2d, q2d } from './elbo.js';
import { bitwiseEqual, builtinsSnapshot } from './helpers.js';

const LARGE = process.env.NATGRAD_MUTATION_RUNS !== undefined;
const RUNS = Number(process.env.NATGRAD_MUTATION_RUNS ?? 400);
const figures = { tried: 0, rejected: 0, acceptedUnchanged: 0, acceptedEdited: 0, typedUpdateRefusals: 0, untyped: 0 };

const t = (x: number[]) => Tensor.from(x);
const ngGrad = grad((q: any) => ops.neg(elbo(q, model2d, noise2d)));

interface Subject {
  readonly name: string;
  readonly params: Params;
  readonly grads: (i: number, p: Params) => Params;
  readonly opt: OptimiserState;
  /** What is mutated: `save(opt)`, a version-1 file of the same state, or `saveTrainState` of a snapshot of it. */
  readonly kind: 'optimiser' | 'v1' | 'train-state';
  readonly text: string;
  /** The snapshot saved, for train-state subjects. */
  readonly run?: TrainState;
}

function subject(name: string, rule: AnyRule, params: Params, grads: (i: number, p: Params) => Params, edit?: (o: OptimiserState) => OptimiserState): Subject {
  let opt = setup(rule, params);
  let p = params;
  for (let i = 0; i < 2; i++) [opt, p] = update(opt, p, grads(i, p));
  if (edit) opt = edit(opt);
  return { name, params: p, grads, opt, kind: 'optimiser', text: save(opt) };
}

/** A whole-run snapshot of a subject's state, saved with saveTrainState. */
function trainState(s: Subject, seed: number | bigint): Subject {
  const run = { step: s.opt.step, params: s.params, optimiser: s.opt, loss: 1.5, gradNorm: 0.25, stepSize: 0.1, stepSizes: { '': 0.1 }, wallTime: 12.5, events: s.opt.events, seed, epoch: 0, batchIndex: s.opt.step - 1 } as TrainState;
  return { ...s, name: `${s.name} (whole run)`, kind: 'train-state', run, text: saveTrainState(run) };
}

/** A version-1 checkpoint (natgrad 0.1) from the committed fixtures, with the parameters it was saved at. */
function v1(name: string, grads: (i: number, p: Params) => Params): Subject {
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/v1-checkpoints.json', import.meta.url), 'utf8')).cases[name];
  const params = fromFixture(fixture.params) as Params;
  const opt = load(fixture.checkpoint, { params });
  return { name: `${name} (version 1)`, params, grads, opt, kind: 'v1', text: fixture.checkpoint };
}

/** A parameter tree of the fixtures' form ({ shape, data } leaves, "-0" for −0) as tensors. */
export function fromFixture(x: any): unknown {
  if (x !== null && typeof x === 'object' && Array.isArray(x.shape) && Array.isArray(x.data)) return Tensor.from(x.data.map((v: number | string) => (v === '-0' ? -0 : v)), x.shape);
  if (Array.isArray(x)) return x.map(fromFixture);
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, fromFixture(v)]));
}

const plain = () => ({ w: Tensor.from([[1, 2], [3, 4]]), b: t([0.5]) }) as Params;
const gaussian = () => ({ q: q2d(), h: t([1, 2]) }) as Params;
const gaussianGrads = (i: number, p: any) => ({ q: ngGrad(p.q), h: t([0.5 - 0.1 * i, -0.5]) });

const SUBJECTS: Subject[] = [
  subject('Adam', Adam(0.1), plain(), testGrads),
  subject('chain(ClipNorm, Adam)', chain(ClipNorm(1), Adam(0.05)), plain(), testGrads),
  subject('Descent(cosineDecay) with a frozen leaf', Descent(cosineDecay(0.1, 10)), plain(), testGrads, (o) => freeze(o, 'b')),
  subject('applyIfFinite(Momentum)', applyIfFinite(Momentum(0.05, 0.9), { maxConsecutive: 3 }), plain(), testGrads),
  subject('RMSProp centred, adjusted', RMSProp(0.01, 0.9, 1e-8, { centred: true }), plain(), testGrads, (o) => adjust(o, { lr: cosineDecay(0.02, 5), rho: 0.8 })),
  subject('IncreasingRate', IncreasingRate(0.1, 0.5), plain(), testGrads),
  subject(
    'partition(NaturalGradient, accumulate(Adam))',
    partition({ ng: NaturalGradient(Descent(0.5)), h: accumulate(3, Adam(0.1)) }, { q: 'ng', h: 'h' }),
    gaussian(),
    gaussianGrads,
  ),
  subject('RAdam', RAdam(0.1), plain(), testGrads),
  subject('chain(SignDecay, Rprop)', chain(SignDecay(0.01), Rprop(0.05)), plain(), testGrads),
  subject('Yogi', Yogi(0.1), plain(), testGrads),
];
SUBJECTS.push(trainState(SUBJECTS[1], 7), trainState(SUBJECTS[6], 2n ** 63n + 5n), trainState(SUBJECTS[2], 0));
SUBJECTS.push(v1('chain-clipnorm-adam-frozen', testGrads), v1('partition-natural-accumulate', gaussianGrads));

/** Values an edit may write: other kinds, out-of-domain numbers, hostile strings, huge sizes. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, 1, 2, 1.5, -0.5, 1e308, -1e308, 2 ** 53, 50000, 1e-320),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'a.b', '', 'Adam', 'natural', '-0', 'NaN'),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(null, true, false, [], {}, [1, 2], [50000, 50000], { $tensor: { shape: [1], data: [1] } }, { $number: '-0' }),
);

/** Keys an edit may write (renames, additions): hostile names and dotted paths among them. */
const anyKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'a.b', '', '$tensor', 'bogus'),
  fc.constantFrom('__proto__.polluted', 'constructor.prototype.polluted', 'a.__proto__.b', 'toString.x', 'w.__proto__', 'q..mu', '.w'),
  fc.string({ maxLength: 5 }),
);

const EDITS = ['delete', 'rename', 'add', 'replace', 'wrap', 'duplicate', 'truncate', 'scale', 'negate', 'retype', 'path'] as const;

/** All node paths of a JSON value. */
function nodePaths(x: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(x)) x.forEach((c, i) => nodePaths(c, [...path, i], out));
  else if (x !== null && typeof x === 'object') for (const k of Object.keys(x)) nodePaths((x as any)[k], [...path, k], out);
  return out;
}

/** Defines an own, enumerable property even for "__proto__" (as JSON.parse makes it from hostile text). */
function put(o: any, k: string | number, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
}

function mutate(doc: any, at: number, edit: (typeof EDITS)[number], key: string, value: unknown): void {
  if (edit === 'path') {
    // a parameter path of the layout (or a frozen path) renamed, keeping its shape
    const layout = doc.params !== null && typeof doc.params === 'object' ? Object.keys(doc.params) : [];
    if (at % 3 === 0 && Array.isArray(doc.frozen) && doc.frozen.length > 0) doc.frozen[at % doc.frozen.length] = key;
    else if (layout.length > 0) {
      const old = layout[at % layout.length];
      const shape = doc.params[old];
      delete doc.params[old];
      put(doc.params, key, shape);
    }
    return;
  }
  const paths = nodePaths(doc);
  const path = paths[at % paths.length];
  if (path.length === 0) {
    put(doc, key, value);
    return;
  }
  const parent: any = path.slice(0, -1).reduce((o: any, k) => o[k], doc);
  const k = path[path.length - 1];
  const v = parent[k];
  const isArr = Array.isArray(parent);
  switch (edit) {
    case 'delete':
      if (isArr) parent.splice(k as number, 1);
      else delete parent[k];
      break;
    case 'rename':
      if (!isArr) {
        delete parent[k];
        put(parent, key, v);
      } else parent[k as number] = value;
      break;
    case 'add':
      if (isArr) parent.push(value);
      else put(parent, key, value);
      break;
    case 'replace':
      parent[k] = value;
      break;
    case 'wrap':
      parent[k] = [v];
      break;
    case 'duplicate':
      if (Array.isArray(v)) parent[k] = [...v, ...v];
      else parent[k] = value;
      break;
    case 'truncate':
      if (Array.isArray(v)) parent[k] = v.slice(0, Math.max(0, v.length - 1));
      else if (typeof v === 'string') parent[k] = v.slice(0, -1);
      else parent[k] = value;
      break;
    case 'scale':
      parent[k] = typeof v === 'number' ? v * 1e6 : value;
      break;
    case 'negate':
      parent[k] = typeof v === 'number' ? -v : value;
      break;
    case 'retype':
      parent[k] = typeof v === 'number' ? String(v) : typeof v === 'string' ? Number(v) : v === null ? 0 : null;
      break;
  }
}

function reseal(doc: any): string {
  doc.checksum = checksum(bodyString(doc));
  return JSON.stringify(doc);
}

/** A zero tree with the layout of a loaded optimiser (what a caller without the parameters would have). */
function paramsOf(opt: OptimiserState): Params {
  const root: any = {};
  for (const [path, shape] of Object.entries(opt.layout ?? {})) {
    if (path === '') return Tensor.zeros(shape);
    const segs = path.split('.');
    let node = root;
    segs.forEach((s, i) => {
      if (i === segs.length - 1) node[s] = Tensor.zeros(shape);
      else node = node[s] ??= {};
    });
  }
  return root;
}

/** The largest magnitude of any number in a JSON text. */
function largest(text: string): number {
  let m = 0;
  JSON.parse(text, (_k, v) => {
    if (typeof v === 'number') m = Math.max(m, Math.abs(v));
    return v;
  });
  return m;
}

/** A whole-run checkpoint: only these outcomes are allowed; counts them. */
function checkRun(s: Subject, text: string, verifyChecksum: boolean): void {
  figures.tried++;
  let loaded: TrainState;
  try {
    loaded = loadTrainState(text, { verifyChecksum });
  } catch (e) {
    if (e instanceof CheckpointError) {
      figures.rejected++;
      return;
    }
    figures.untyped++;
    throw e;
  }
  // A loaded state is complete and consistent: it saves, and reloads to itself.
  const again = loadTrainState(saveTrainState(loaded));
  expect(describeRule(again.optimiser.rule)).toEqual(describeRule(loaded.optimiser.rule));
  expect(bitwiseEqual(again.optimiser.state, loaded.optimiser.state)).toBe(true);
  expect(bitwiseEqual(again.params, loaded.params)).toBe(true);
  for (const k of ['step', 'seed', 'loss', 'gradNorm', 'stepSize', 'wallTime'] as const) expect(Object.is(again[k], loaded[k])).toBe(true);
  expect(again.events).toEqual(loaded.events);
  const run = s.run!;
  const unchanged =
    loaded.step === run.step &&
    JSON.stringify(describeRule(loaded.optimiser.rule)) === JSON.stringify(describeRule(run.optimiser.rule)) &&
    bitwiseEqual(loaded.optimiser.state, run.optimiser.state) &&
    bitwiseEqual(loaded.params, run.params) &&
    JSON.stringify(loaded.optimiser.frozen) === JSON.stringify(run.optimiser.frozen) &&
    JSON.stringify(loaded.optimiser.layout) === JSON.stringify(run.optimiser.layout);
  let next: [OptimiserState, Params];
  try {
    next = update(loaded.optimiser, loaded.params, s.grads(2, loaded.params));
  } catch (e) {
    if (!(e instanceof NatgradError)) {
      figures.untyped++;
      throw e;
    }
    expect(unchanged).toBe(false);
    figures.typedUpdateRefusals++;
    return;
  }
  if (unchanged) {
    figures.acceptedUnchanged++;
    const expected = update(run.optimiser, run.params, s.grads(2, run.params));
    expect(bitwiseEqual(next[1], expected[1])).toBe(true);
    expect(bitwiseEqual(next[0].state, expected[0].state)).toBe(true);
  } else {
    figures.acceptedEdited++;
    expect(() => save(next[0])).not.toThrow();
  }
}

/** Only these outcomes are allowed; counts them. */
function check(s: Subject, text: string, withParams: boolean, verifyChecksum: boolean): void {
  if (s.kind === 'train-state') {
    checkRun(s, text, verifyChecksum);
    return;
  }
  figures.tried++;
  let loaded: OptimiserState;
  try {
    loaded = load(text, { ...(withParams ? { params: s.params } : {}), verifyChecksum });
  } catch (e) {
    if (e instanceof CheckpointError) {
      figures.rejected++;
      return;
    }
    figures.untyped++;
    throw e;
  }
  // A loaded state is complete and consistent: it saves, and reloads to itself.
  const again = load(save(loaded));
  expect(describeRule(again.rule)).toEqual(describeRule(loaded.rule));
  expect(bitwiseEqual(again.state, loaded.state)).toBe(true);
  expect(again.step).toBe(loaded.step);
  const unchanged =
    loaded.step === s.opt.step &&
    JSON.stringify(describeRule(loaded.rule)) === JSON.stringify(describeRule(s.opt.rule)) &&
    bitwiseEqual(loaded.state, s.opt.state) &&
    JSON.stringify(loaded.frozen) === JSON.stringify(s.opt.frozen) &&
    JSON.stringify(loaded.layout) === JSON.stringify(s.opt.layout);
  // With the original layout the original parameters fit; otherwise only zeros of the new layout do (which need not
  // be a valid point of the objective: a zero Cholesky factor has a NaN gradient).
  const sameLayout = JSON.stringify(loaded.layout) === JSON.stringify(s.opt.layout);
  const params = sameLayout ? s.params : paramsOf(loaded);
  let next: [OptimiserState, Params];
  try {
    next = update(loaded, params, s.grads(2, params));
  } catch (e) {
    if (!(e instanceof NatgradError)) {
      figures.untyped++;
      throw e;
    }
    expect(unchanged).toBe(false); // the unmutated state must update
    figures.typedUpdateRefusals++;
    if (!sameLayout) return;
    // The one documented refusal of an accepted file: numbers edited to beyond 1e150 — in the rule's domain, but
    // their squares (second moments) overflow — make the next update refuse with a typed non-finite error.
    expect(['NON_FINITE', 'NON_FINITE_STATE']).toContain((e as NatgradError).code);
    expect(largest(text)).toBeGreaterThan(1e150);
    return;
  }
  if (unchanged) {
    figures.acceptedUnchanged++;
    const expected = update(s.opt, s.params, s.grads(2, s.params));
    expect(bitwiseEqual(next[1], expected[1])).toBe(true);
    expect(bitwiseEqual(next[0].state, expected[0].state)).toBe(true);
  } else {
    figures.acceptedEdited++;
    expect(() => save(next[0])).not.toThrow(); // an edited but in-domain state stays finite and savable
  }
}

describe('checkpoint mutations: a CheckpointError or a fully valid state, never junk or pollution (fast-check)', () => {
  afterAll(() => {
    if (LARGE) console.log('checkpoint mutations:', JSON.stringify(figures));
  });

  it(`${RUNS} mutations of ${SUBJECTS.length} optimisers' checkpoints`, () => {
    const before = builtinsSnapshot();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SUBJECTS.length - 1 }),
        fc.array(fc.record({ at: fc.nat(), edit: fc.constantFrom(...EDITS), key: anyKey, value: anyValue }), { minLength: 1, maxLength: 3 }),
        fc.oneof({ weight: 1, arbitrary: fc.constant('raw') }, { weight: 3, arbitrary: fc.constantFrom('resealed', 'unverified') }),
        fc.boolean(),
        (i, edits, sealing, withParams) => {
          const s = SUBJECTS[i];
          const doc = JSON.parse(s.text);
          // a fresh copy of each value: fast-check hands out the same constant objects again, and edits mutate
          for (const e of edits) mutate(doc, e.at, e.edit, e.key, structuredClone(e.value));
          check(s, sealing === 'resealed' ? reseal(doc) : JSON.stringify(doc), withParams, sealing !== 'unverified');
          expect(({} as any).polluted).toBeUndefined();
          expect(builtinsSnapshot()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
    expect(figures.untyped).toBe(0);
    // the search reaches both outcomes: many rejections, and accepted files (unchanged or edited within the domain)
    expect(figures.rejected).toBeGreaterThan(RUNS / 4);
    expect(figures.acceptedUnchanged + figures.acceptedEdited).toBeGreaterThan(0);
  }, LARGE ? 3_600_000 : undefined);
});
