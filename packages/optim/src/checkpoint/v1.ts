/**
 * Reading version-1 optimiser checkpoints (natgrad 0.1, before issue 12). Two things changed since: tensors were
 * written `{ "$tensor": { shape, data, negativeZeros } }` (now core's tensor JSON), and a rule whose hyperparameters
 * were to change mid-run was wrapped in `InjectHyperparams` (now any rule can be `adjust`ed). A version-1 file is
 * read with its own tensor format, and its `InjectHyperparams` wrappers — which had no state of their own — are
 * unwrapped, and hyperparameters added since (listed in {@link ADDED_SINCE_V1}) get the value version 1 used
 * implicitly; what it describes is otherwise the same, so `load` gives the state it was saved from.
 * @module
 */
import { Tensor, isTreeNode } from '@natgrad/core';
import type { RuleDescription } from '../describe.js';
import { CheckpointError } from '../errors.js';
import type { ValueFormat } from './encode.js';

function kind(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  return typeof x;
}

/** Version 1's leaves: `{ "$tensor": { shape, data, negativeZeros? } }` and `{ "$number": "-0" }`. */
export const V1_VALUES: ValueFormat = {
  tensor(x, template, where) {
    const t = isTreeNode(x) && !Array.isArray(x) ? (x as Record<string, unknown>).$tensor : undefined;
    if (!isTreeNode(t) || Array.isArray(t) || Object.keys(x as object).length !== 1) {
      throw new CheckpointError(`${where}: expected a tensor { "$tensor": { shape, data } }, found ${kind(x)}`);
    }
    const { shape, data, negativeZeros, ...rest } = t as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw new CheckpointError(`${where}: unexpected tensor field(s) ${Object.keys(rest).join(', ')}`);
    if (!Array.isArray(shape) || shape.join() !== template.shape.join() || shape.length !== template.shape.length) {
      throw new CheckpointError(`${where}: tensor of shape ${JSON.stringify(shape)}, expected [${template.shape}] (does the state match these parameters?)`);
    }
    if (!Array.isArray(data) || data.length !== template.size) {
      throw new CheckpointError(`${where}: tensor data must be ${template.size} numbers, found ${Array.isArray(data) ? data.length : kind(data)}`);
    }
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new CheckpointError(`${where}: tensor entry ${i} is ${JSON.stringify(v)}, not a finite number`);
      out[i] = v;
    }
    if (negativeZeros !== undefined) {
      if (!Array.isArray(negativeZeros)) throw new CheckpointError(`${where}: negativeZeros must be an array of indices`);
      for (const i of negativeZeros) {
        if (!Number.isInteger(i) || i < 0 || i >= out.length || out[i] !== 0) throw new CheckpointError(`${where}: negativeZeros entry ${JSON.stringify(i)} is not the index of a zero`);
        out[i] = -0;
      }
    }
    return new Tensor(out, template.shape);
  },
  number(x) {
    if (typeof x === 'number') return x;
    if (isTreeNode(x) && !Array.isArray(x) && Object.keys(x).length === 1 && (x as Record<string, unknown>).$number === '-0') return -0;
    return undefined;
  },
};

/**
 * Hyperparameters that rules gained after version 1, with the value a version-1 rule behaved as if it had (read
 * from its other hyperparameters). Only version-1 files are completed this way: a current file missing a
 * hyperparameter stays an error.
 */
const ADDED_SINCE_V1: Readonly<Record<string, Readonly<Record<string, (h: RuleDescription['hyperparams']) => unknown>>>> = {
  // natgrad 0.1's AdaGrad started its accumulator at ε (as Optimisers.jl does).
  AdaGrad: { initialAccumulatorValue: (h) => h.eps },
};

function completeV1(desc: RuleDescription): RuleDescription {
  const added = Object.hasOwn(ADDED_SINCE_V1, desc.name) ? ADDED_SINCE_V1[desc.name] : undefined;
  if (added === undefined) return desc;
  const h = desc.hyperparams;
  const missing = Object.keys(added).filter((k) => !Object.hasOwn(h, k));
  if (missing.length === 0) return desc;
  const hyperparams = Object.assign(Object.create(null), h) as Record<string, unknown>;
  for (const k of missing) hyperparams[k] = added[k](h);
  return { ...desc, hyperparams: hyperparams as RuleDescription['hyperparams'] };
}

/**
 * A version-1 rule description as today's: its `InjectHyperparams` wrappers removed and the hyperparameters added
 * since filled in.
 */
export function unwrapInjected(desc: RuleDescription, where = 'rule', depth = 0): RuleDescription {
  if (depth > 64) throw new CheckpointError(`${where}: rules nested more than 64 deep`);
  if (desc.name === 'InjectHyperparams') {
    const children = desc.children ?? [];
    const extra = Object.keys(desc.hyperparams).length > 0 || desc.options !== undefined;
    if (children.length !== 1 || extra) throw new CheckpointError(`${where} (InjectHyperparams): expected one child rule and nothing else`);
    return unwrapInjected(children[0], `${where}.children[0]`, depth + 1);
  }
  const done = completeV1(desc);
  if (done.children === undefined) return done;
  return { ...done, children: done.children.map((c, i) => unwrapInjected(c, `${where}.children[${i}]`, depth + 1)) };
}
