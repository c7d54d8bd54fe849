/** `save`: an optimiser state as a JSON checkpoint. @module */
import { Tensor, treeFlattenWithPath } from '@natgrad/core';
import { checkOptimiserState } from '../check-rule.js';
import { describeRule } from '../describe.js';
import { CheckpointError, namedBy } from '../errors.js';
import type { Params } from '../rule.js';
import type { OptimiserState } from '../update.js';
import { encodeState } from './encode.js';
import { checksum } from './hash.js';
import { FORMAT, VERSION } from './schema.js';

/** What the checksum covers. */
interface Body {
  readonly step: number;
  readonly frozen: readonly string[];
  readonly params: unknown;
  readonly rule: unknown;
  readonly state: unknown;
  readonly run?: unknown;
}

/** The checkpoint body in the order it is written; the checksum covers exactly this serialisation. @internal */
export function bodyString(doc: Body): string {
  const fields = [doc.step, doc.frozen, doc.params, doc.rule, doc.state];
  return JSON.stringify(doc.run === undefined ? fields : [...fields, doc.run]);
}

/** `{ format, version, checksum, …body }` as JSON. @internal */
export function sealed(format: string, body: Body): string {
  return JSON.stringify({ format, version: VERSION, checksum: checksum(bodyString(body)), ...body });
}

/** The optimiser part of a checkpoint: step, frozen paths, layout, rule description, encoded state. @internal */
export function optimiserBody(opt: OptimiserState, params?: Params): Body {
  try {
    checkOptimiserState('save: opt', opt);
  } catch (e) {
    throw new CheckpointError((e as Error).message);
  }
  let layout: Record<string, number[]>;
  if (params !== undefined) {
    layout = {};
    for (const [path, l] of treeFlattenWithPath<unknown>(params)[0]) {
      if (!(l instanceof Tensor)) throw new CheckpointError(`save: parameter "${path}" is not a Tensor`);
      layout[path] = [...l.shape];
    }
  } else if (opt.layout !== undefined) {
    layout = Object.fromEntries(Object.entries(opt.layout).map(([p, s]) => [p, [...s]]));
  } else {
    throw new CheckpointError('save: the optimiser state has no parameter layout (it was not made by setup); pass the parameters');
  }
  let rule;
  try {
    rule = describeRule(opt.rule);
  } catch (e) {
    throw new CheckpointError(`save: ${(e as Error).message}`);
  }
  return { step: opt.step, frozen: [...(opt.frozen ?? [])], params: layout, rule, state: encodeState(opt.state) };
}

/**
 * Saves an optimiser state as JSON (format version 2): the rule description (names, hyperparameters, options —
 * schedules included — and children), the step counter, frozen paths, the parameter layout (shape by path) and the
 * state, keyed by parameter path, rule name and partition label, never by position. Tensors are written as
 * `Tensor.toJSON` writes them, with their exact float64 values. A checksum makes `load` reject corrupted or edited
 * files. To save a whole training run — parameters, step, seed and all — use `saveTrainState`.
 * @param params the parameters, needed only if `opt` was not made by `setup` (which records their layout)
 * @throws {CheckpointError} when the state holds something JSON cannot carry exactly (NaN, ∞, a function)
 */
export function save(opt: OptimiserState, params?: Params): string {
  try {
    return sealed(FORMAT, optimiserBody(opt, params));
  } catch (e) {
    throw namedBy(e, 'save');
  }
}
