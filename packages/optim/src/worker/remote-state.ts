/**
 * Training snapshots across `postMessage`: {@link TrainState} without its optimiser state (whose rule holds
 * functions, which cannot be cloned) and with the parameters packed into one transferable buffer.
 * @module
 */
import { type TreeDef, treeDefEqual } from '@natgrad/core';
import { freeze } from 'immer';
import type { OptimiserEvent, Params, TrainState } from '../index.js';
import { TransferError } from './errors.js';
import { type PackedTree, packTree, unpackTree } from './packed-tree.js';

/**
 * A {@link TrainState} as seen from outside the worker that trained it: every field but `optimiser`, which stays in
 * the worker (keep it there for a resumed run, or write a whole-run checkpoint there with `saveTrainState`). Deeply
 * frozen like the original; `params` are tensors over the transferred buffer.
 */
export type RemoteTrainState<P extends Params = Params> = Omit<TrainState<P>, 'optimiser'>;

/** A state on the wire. `def` is left out when it equals the previous state's of the same run. @internal */
export interface WireState {
  readonly step: number;
  readonly loss: number;
  readonly gradNorm: number;
  readonly stepSize: number | undefined;
  readonly stepSizes: Readonly<Record<string, number>>;
  readonly wallTime: number;
  readonly seed: number | bigint;
  readonly epoch: number;
  readonly batchIndex: number;
  readonly events: readonly OptimiserEvent[];
  readonly def: TreeDef | undefined;
  readonly shapes: PackedTree['shapes'];
  readonly data: Float64Array;
}

const MAX_EVENTS = 10_000;

/** Encodes a run's states in order, sending the parameter structure only when it changes. @internal */
export class StateEncoder {
  private lastDef: TreeDef | undefined;

  /** The wire form of `s` and the buffer to transfer. */
  encode(s: TrainState | RemoteTrainState): [WireState, ArrayBuffer] {
    const { def, shapes, data } = packTree(s.params, 'exposeTraining: params of the state');
    const same = this.lastDef !== undefined && treeDefEqual(this.lastDef, def);
    this.lastDef = def;
    const wire: WireState = {
      step: s.step,
      loss: s.loss,
      gradNorm: s.gradNorm,
      stepSize: s.stepSize,
      stepSizes: { ...s.stepSizes },
      wallTime: s.wallTime,
      seed: s.seed,
      epoch: s.epoch,
      batchIndex: s.batchIndex,
      events: s.events.map(plainEvent),
      def: same ? undefined : def,
      shapes,
      data,
    };
    return [wire, data.buffer as ArrayBuffer];
  }
}

/** Decodes a run's states in order (the counterpart of {@link StateEncoder}), checking each as untrusted. @internal */
export class StateDecoder {
  private lastDef: unknown;

  /** A frozen {@link RemoteTrainState} from a wire state. @throws {TransferError} for a malformed one. */
  decode<P extends Params>(x: unknown, where: string): RemoteTrainState<P> {
    const bad = (msg: string): never => {
      throw new TransferError(where, msg);
    };
    if (x === null || typeof x !== 'object') bad('expected a state');
    const w = x as Partial<Record<keyof WireState, unknown>>;
    if (!Number.isInteger(w.step) || (w.step as number) < 0) bad('step must be a non-negative integer');
    for (const k of ['loss', 'gradNorm', 'wallTime'] as const) if (typeof w[k] !== 'number') bad(`${k} must be a number`);
    if (w.stepSize !== undefined && typeof w.stepSize !== 'number') bad('stepSize must be a number or undefined');
    const stepSizes = readStepSizes(w.stepSizes, bad);
    if (typeof w.seed !== 'number' && typeof w.seed !== 'bigint') bad('seed must be a number or a bigint');
    if (!Array.isArray(w.events) || w.events.length > MAX_EVENTS) bad(`events must be an array of at most ${MAX_EVENTS}`);
    const def = w.def ?? this.lastDef;
    if (def === undefined) bad('the first state of a run must carry the parameter structure');
    const params = unpackTree<P>({ def, shapes: w.shapes, data: w.data }, `${where} (params)`);
    this.lastDef = def;
    if (!Number.isSafeInteger(w.epoch) || (w.epoch as number) < 0) bad('epoch must be a non-negative integer');
    if (!Number.isSafeInteger(w.batchIndex) || (w.batchIndex as number) < -1) bad('batchIndex must be an integer ≥ −1');
    const state: RemoteTrainState<P> = {
      step: w.step as number,
      params,
      loss: w.loss as number,
      gradNorm: w.gradNorm as number,
      stepSize: w.stepSize as number | undefined,
      stepSizes,
      wallTime: w.wallTime as number,
      events: (w.events as unknown[]).map((e, i) => readEvent(e, `${where} (event ${i})`)),
      seed: w.seed as number | bigint,
      epoch: w.epoch as number,
      batchIndex: w.batchIndex as number,
    };
    return freeze(state, true);
  }
}

/** The per-rule-path step sizes of a wire state, rebuilt as a fresh null-prototype record (keys are untrusted). */
function readStepSizes(x: unknown, bad: (msg: string) => never): Readonly<Record<string, number>> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return bad('stepSizes must be a record of numbers');
  const out = Object.create(null) as Record<string, number>;
  const keys = Object.keys(x);
  if (keys.length > MAX_EVENTS) bad(`stepSizes must have at most ${MAX_EVENTS} entries`);
  for (const k of keys) {
    const v = (x as Record<string, unknown>)[k];
    if (typeof v !== 'number') bad(`stepSizes.${k} must be a number`);
    out[k] = v as number;
  }
  return out;
}

function plainEvent(e: OptimiserEvent): OptimiserEvent {
  return {
    type: e.type,
    path: e.path,
    step: e.step,
    message: e.message,
    ...(e.data !== undefined ? { data: { ...e.data } } : {}),
  };
}

function readEvent(x: unknown, where: string): OptimiserEvent {
  const bad = (msg: string): never => {
    throw new TransferError(where, msg);
  };
  if (x === null || typeof x !== 'object') bad('expected an event');
  const e = x as Record<string, unknown>;
  for (const k of ['type', 'path', 'message'] as const) if (typeof e[k] !== 'string') bad(`${k} must be a string`);
  if (typeof e.step !== 'number') bad('step must be a number');
  let data: Record<string, number> | undefined;
  if (e.data !== undefined) {
    if (e.data === null || typeof e.data !== 'object') bad('data must be an object of numbers');
    data = Object.create(null) as Record<string, number>;
    const entries = Object.entries(e.data as object);
    if (entries.length > 1000) bad('data has more than 1000 entries');
    for (const [k, v] of entries) {
      if (typeof v !== 'number') bad(`data.${k} must be a number`);
      data[k] = v as number;
    }
  }
  return {
    type: e.type as string,
    path: e.path as string,
    step: e.step as number,
    message: e.message as string,
    ...(data !== undefined ? { data } : {}),
  };
}
