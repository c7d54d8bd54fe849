/**
 * Whole-run checkpoints: one call saves a `TrainState` — parameters, optimiser state, step, seed, wall time, and
 * the snapshot's loss, gradient norm, step sizes and events — and one call loads it, so that a process can stop and
 * a new one continue from the file bit for bit — with the same batches: the state's position in the data (`epoch`,
 * `batchIndex`) is saved too (`train({ objective, initialState: loadTrainState(json), steps })`).
 * @module
 */
import { NatgradError, Tensor, isTreeNode, joinPath, random } from '@natgrad/core';
import { freeze } from 'immer';
import { CheckpointError, InvalidKeyError, shown } from '../errors.js';
import { checkKey, nullRecord } from '../keys.js';
import type { OptimiserEvent, Params, ParamsLike } from '../rule.js';
import type { TrainState } from '../train/types.js';
import { checkLayout, checkParamsMatch } from './layout.js';
import { type LoadOptions, optimiserOf, readLoadOptions } from './load.js';
import { readDocument } from './read.js';
import { optimiserBody, sealed } from './save.js';
import { TRAIN_STATE_FORMAT } from './schema.js';

/** Options of {@link loadTrainState}: those of `load` but `params`, which the file holds. */
export type LoadTrainStateOptions = Omit<LoadOptions, 'params'>;

const RUN_FIELDS = ['params', 'seed', 'wallTime', 'loss', 'gradNorm', 'stepSize', 'stepSizes', 'events'] as const;
/** Fields a run may have: the position in the data (files written before minibatch training have none). */
const OPTIONAL_RUN_FIELDS = ['epoch', 'batchIndex'] as const;
const TOKENS: Readonly<Record<string, number>> = /* @__PURE__ */ Object.freeze(Object.assign(Object.create(null) as Record<string, number>, { '-0': -0, NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }));

/** A float64 as JSON, exactly: −0, NaN and ±∞ spelled as core's tensor JSON spells them. */
function encodeNumber(v: number): number | string {
  if (v - v === 0) return Object.is(v, -0) ? '-0' : v;
  return v !== v ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

function decodeNumber(x: unknown, where: string): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && Object.hasOwn(TOKENS, x)) return TOKENS[x];
  throw new CheckpointError(`${where}: expected a number (or "-0", "NaN", "Infinity", "-Infinity"), found ${x === null ? 'null' : typeof x}`);
}

/** The parameter tree as JSON: tensors as `Tensor.toJSON` writes them; objects, arrays and `null` as they are. */
function encodeParams(x: unknown, path: string): unknown {
  if (x instanceof Tensor) {
    for (let i = 0; i < x.data.length; i++) if (x.data[i] - x.data[i] !== 0) throw new CheckpointError(`cannot save non-finite parameter ${x.data[i]} at "${path}"[${i}]`);
    return x.toJSON();
  }
  if (x === null) return null;
  if (Array.isArray(x)) return x.map((c, i) => encodeParams(c, joinPath(path, String(i))));
  if (isTreeNode(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) if ((x as Record<string, unknown>)[k] !== undefined) out[k] = encodeParams((x as Record<string, unknown>)[k], joinPath(path, k));
    return out;
  }
  throw new CheckpointError(`cannot save a ${typeof x} as parameter "${path}"`);
}

/**
 * The parameter tree of a file, against its layout (already bounded): a tensor of the layout's shape at every layout
 * path and nowhere else, inner nodes as arrays and null-prototype records whose keys are checked.
 */
function decodeParams(x: unknown, layout: Readonly<Record<string, readonly number[]>>, path: string, seen: { n: number }): unknown {
  const where = `run.params${path === '' ? '' : `.${path}`}`;
  const leaf = Object.hasOwn(layout, path) && (path !== '' || Object.keys(layout).length === 1);
  if (leaf) {
    const shape = layout[path];
    const s = isTreeNode(x) && !Array.isArray(x) ? (x as Record<string, unknown>).shape : undefined;
    if (!Array.isArray(s) || s.length !== shape.length || s.join() !== shape.join()) {
      throw new CheckpointError(`${where}: expected a tensor of shape [${shape}] (the layout's), found ${JSON.stringify(s ?? (x === null ? null : typeof x))}`);
    }
    let t: Tensor;
    try {
      t = Tensor.fromJSON(x);
    } catch (e) {
      if (e instanceof NatgradError) throw new CheckpointError(`${where}: ${e.message.replace(/^Tensor\.fromJSON: /, '')}`);
      throw e;
    }
    for (let i = 0; i < t.data.length; i++) if (!Number.isFinite(t.data[i])) throw new CheckpointError(`${where}: entry ${i} is ${t.data[i]}, not a finite number`);
    seen.n++;
    return t;
  }
  if (x === null) return null;
  if (Array.isArray(x)) return x.map((c, i) => decodeParams(c, layout, joinPath(path, String(i)), seen));
  if (isTreeNode(x)) {
    const out = nullRecord<unknown>();
    for (const k of Object.keys(x)) {
      try {
        checkKey('run.params', k, path);
      } catch (e) {
        if (e instanceof InvalidKeyError) throw new CheckpointError(e.message);
        throw e;
      }
      out[k] = decodeParams((x as Record<string, unknown>)[k], layout, joinPath(path, k), seen);
    }
    return out;
  }
  throw new CheckpointError(`${where}: a parameter tree holds tensors, objects, arrays and null, found ${typeof x}`);
}

function decodeSeed(x: unknown): number | bigint {
  let seed: number | bigint;
  if (typeof x === 'number') seed = x;
  else if (typeof x === 'string' && /^[0-9]{1,20}$/.test(x)) seed = BigInt(x);
  else throw new CheckpointError(`run.seed: expected a non-negative integer (a decimal string for a bigint), found ${x === null ? 'null' : typeof x}`);
  try {
    random.key(seed);
  } catch (e) {
    throw new CheckpointError(`run.seed: ${(e as Error).message}`);
  }
  return seed;
}

function decodeEvents(x: unknown): OptimiserEvent[] {
  if (!Array.isArray(x)) throw new CheckpointError('run.events: expected an array of events');
  return x.map((e, i) => {
    const where = `run.events[${i}]`;
    if (!isTreeNode(e) || Array.isArray(e)) throw new CheckpointError(`${where}: expected an event { type, path, step, message, data? }`);
    const { type, path, step, message, data, ...rest } = e as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw new CheckpointError(`${where}: unexpected field ${JSON.stringify(Object.keys(rest)[0])}`);
    if (typeof type !== 'string' || typeof path !== 'string' || typeof message !== 'string' || !Number.isInteger(step) || (step as number) < 0) {
      throw new CheckpointError(`${where}: type, path and message must be strings and step an integer ≥ 0`);
    }
    const event: { type: string; path: string; step: number; message: string; data?: Record<string, number> } = { type, path, step: step as number, message };
    if (data !== undefined) {
      if (!isTreeNode(data) || Array.isArray(data)) throw new CheckpointError(`${where}.data: expected an object of numbers`);
      const d = nullRecord<number>();
      for (const [k, v] of Object.entries(data)) d[k] = decodeNumber(v, `${where}.data.${k}`);
      event.data = d;
    }
    return event;
  });
}

/**
 * The position in the data of the run's last batch: epoch ≥ 0, and an index in [−1, 2⁵³) (−1: before the first
 * batch of its epoch). Without them (an older file) the run is taken as one epoch of `step` batches.
 */
function decodePosition(fields: Record<string, unknown>, step: number): { epoch: number; batchIndex: number } {
  const epoch = Object.hasOwn(fields, 'epoch') ? fields.epoch : 0;
  const batchIndex = Object.hasOwn(fields, 'batchIndex') ? fields.batchIndex : step - 1;
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0) throw new CheckpointError(`run.epoch: expected an integer ≥ 0, found ${shown(epoch)}`);
  if (typeof batchIndex !== 'number' || !Number.isSafeInteger(batchIndex) || batchIndex < -1) {
    throw new CheckpointError(`run.batchIndex: expected an integer ≥ −1, found ${shown(batchIndex)}`);
  }
  return { epoch, batchIndex };
}

function decodeStepSizes(x: unknown): Record<string, number> {
  if (!isTreeNode(x) || Array.isArray(x)) throw new CheckpointError('run.stepSizes: expected an object of numbers by rule path');
  const out = nullRecord<number>();
  for (const [k, v] of Object.entries(x)) out[k] = decodeNumber(v, `run.stepSizes[${JSON.stringify(k)}]`);
  return out;
}

/**
 * Saves a whole training run as JSON (format `natgrad-train-state`, version 2): everything a `TrainState` holds —
 * the parameters (their tree as it is: objects, arrays, tensors with their exact float64 values), the optimiser state
 * (as `save` writes it: rules, hyperparameters and schedules, partition labels, frozen paths, per-path state), the
 * step, the seed of the run's random keys (a decimal string for a bigint), the wall time, and the snapshot's loss,
 * gradient norm, step sizes and events. `loadTrainState` gives back an equal state, from which `train` continues
 * exactly as the uninterrupted run would have.
 * @example writeFileSync('run.json', saveTrainState(state)); … train({ objective, initialState: loadTrainState(readFileSync('run.json', 'utf8')), steps })
 * @throws {CheckpointError} for something that is not a `TrainState`, parameters that do not match the optimiser's
 * layout, or values JSON cannot carry exactly (a non-finite parameter or state)
 */
export function saveTrainState<P extends ParamsLike<P>>(state: TrainState<P>): string {
  if (state === null || typeof state !== 'object' || state.optimiser === undefined || state.params === undefined) {
    throw new CheckpointError('saveTrainState: expected a TrainState emitted by train (with params and optimiser)');
  }
  const body = optimiserBody(state.optimiser, state.optimiser?.layout === undefined ? (state.params as Params) : undefined);
  if (state.step !== state.optimiser.step) throw new CheckpointError(`saveTrainState: the state's step ${shown(state.step)} is not its optimiser's (${state.optimiser.step})`);
  checkParamsMatch(state.params as Params, body.params as Record<string, readonly number[]>);
  const events: unknown = state.events;
  if (events !== undefined && !Array.isArray(events)) throw new CheckpointError(`saveTrainState: events must be an array, got ${shown(events)}`);
  if (typeof state.seed !== 'number' && typeof state.seed !== 'bigint') throw new CheckpointError(`saveTrainState: seed must be a number or a bigint, got ${typeof state.seed}`);
  const run = {
    params: encodeParams(state.params, ''),
    seed: typeof state.seed === 'bigint' ? state.seed.toString() : state.seed,
    wallTime: encodeNumber(state.wallTime),
    loss: encodeNumber(state.loss),
    gradNorm: encodeNumber(state.gradNorm),
    stepSize: state.stepSize === undefined ? null : encodeNumber(state.stepSize),
    stepSizes: Object.fromEntries(Object.entries(state.stepSizes ?? {}).map(([k, v]) => [k, encodeNumber(v)])),
    epoch: state.epoch ?? 0,
    batchIndex: state.batchIndex ?? state.step - 1,
    events: (state.events ?? []).map((e) => ({
      type: e.type,
      path: e.path,
      step: e.step,
      message: e.message,
      ...(e.data === undefined ? {} : { data: Object.fromEntries(Object.entries(e.data).map(([k, v]) => [k, encodeNumber(v)])) }),
    })),
  };
  return sealed(TRAIN_STATE_FORMAT, { ...body, run });
}

/**
 * Loads a whole-run checkpoint written by `saveTrainState`: a frozen `TrainState` equal to the saved one (the
 * parameter tree's objects are null-prototype records), ready for `train({ objective, initialState, steps })`.
 * Everything `load` checks is checked — hostile keys, sizes before allocating, the schema, the checksum, rule
 * descriptions, state domains — and the parameters: a tensor of the layout's shape at each of its paths and nowhere
 * else, every key checked, the tree built from null-prototype records; the seed, numbers and events too.
 * @throws {CheckpointError} saying what is wrong and where (an optimiser checkpoint from `save` is refused: it holds
 * no parameters — read it with `load`)
 */
export function loadTrainState<P extends ParamsLike<P> = Params>(json: string, options: LoadTrainStateOptions = {}): TrainState<P> {
  const { maxElements, verifyChecksum, registry } = readLoadOptions(options, ['registry', 'verifyChecksum', 'maxElements'], 'loadTrainState');
  const doc = readDocument(json, verifyChecksum);
  if (doc.format !== TRAIN_STATE_FORMAT) {
    throw new CheckpointError(`this is an optimiser checkpoint (from save), not a whole-run one (from saveTrainState): it holds no parameters, so read it with load`);
  }
  const run = doc.run;
  if (!isTreeNode(run) || Array.isArray(run)) throw new CheckpointError('run: expected an object');
  const fields = run as Record<string, unknown>;
  const known: readonly string[] = [...RUN_FIELDS, ...OPTIONAL_RUN_FIELDS];
  for (const k of Object.keys(fields)) if (!known.includes(k)) throw new CheckpointError(`run.${k}: unexpected field (a run has ${known.join(', ')})`);
  for (const k of RUN_FIELDS) if (!Object.hasOwn(fields, k)) throw new CheckpointError(`run.${k}: missing`);
  checkLayout(doc.params, maxElements); // bounds every allocation below
  const seen = { n: 0 };
  const params = decodeParams(fields.params, doc.params, '', seen) as Params;
  if (seen.n !== Object.keys(doc.params).length) throw new CheckpointError('run.params: some parameters of the layout are missing from the tree');
  const events = decodeEvents(fields.events);
  const optimiser = freeze({ ...optimiserOf(doc, params, registry, maxElements), events }, true);
  const wallTime = decodeNumber(fields.wallTime, 'run.wallTime');
  if (!(wallTime >= 0 && wallTime < Infinity)) throw new CheckpointError(`run.wallTime: expected a finite number ≥ 0, found ${wallTime}`);
  const state = {
    step: doc.step,
    params,
    optimiser,
    loss: decodeNumber(fields.loss, 'run.loss'),
    gradNorm: decodeNumber(fields.gradNorm, 'run.gradNorm'),
    stepSize: fields.stepSize === null ? undefined : decodeNumber(fields.stepSize, 'run.stepSize'),
    stepSizes: decodeStepSizes(fields.stepSizes),
    wallTime,
    events: optimiser.events,
    seed: decodeSeed(fields.seed),
    ...decodePosition(fields, doc.step),
  };
  return freeze(state, true) as unknown as TrainState<P>;
}
