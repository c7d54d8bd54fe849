/** `save`: an optimiser state as a JSON checkpoint. @module */
import { Tensor, treeFlatten, treePaths } from '@natgrad/core';
import { checkOptimiserState } from '../check-rule.js';
import { CheckpointError } from '../errors.js';
import { describeRule } from '../registry.js';
import type { Params } from '../rule.js';
import type { OptimiserState } from '../update.js';
import { encodeState } from './encode.js';
import { checksum } from './hash.js';
import { FORMAT, VERSION } from './schema.js';

/**
 * The checkpoint body in the order it is written; the checksum covers exactly this serialisation. @internal
 */
export function bodyString(doc: { step: number; frozen: readonly string[]; params: unknown; rule: unknown; state: unknown }): string {
  return JSON.stringify([doc.step, doc.frozen, doc.params, doc.rule, doc.state]);
}

/**
 * Saves an optimiser state as JSON: the rule description (names, hyperparameters, options — schedules included —
 * and children), the step counter, frozen paths, the parameter layout (shape by path) and the state, keyed by
 * parameter path, rule name and partition label, never by position. Tensors keep their exact float64 values. A
 * checksum makes `load` reject corrupted or edited files.
 * @param params the parameters, needed only if `opt` was not made by `setup` (which records their layout)
 * @throws {CheckpointError} when the state holds something JSON cannot carry exactly (NaN, ∞, a function)
 */
export function save(opt: OptimiserState, params?: Params): string {
  try {
    checkOptimiserState('save: opt', opt);
  } catch (e) {
    throw new CheckpointError((e as Error).message);
  }
  let layout: Record<string, number[]>;
  if (params !== undefined) {
    const [leaves] = treeFlatten<unknown>(params);
    const paths = treePaths(params);
    layout = {};
    leaves.forEach((l, i) => {
      if (!(l instanceof Tensor)) throw new CheckpointError(`save: parameter "${paths[i]}" is not a Tensor`);
      layout[paths[i]] = [...l.shape];
    });
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
  const body = { step: opt.step, frozen: [...(opt.frozen ?? [])], params: layout, rule, state: encodeState(opt.state) };
  return JSON.stringify({ format: FORMAT, version: VERSION, checksum: checksum(bodyString(body)), ...body });
}
