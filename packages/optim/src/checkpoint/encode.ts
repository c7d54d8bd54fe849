/**
 * State trees to JSON and back. Version 2 writes tensors in core's JSON form (`Tensor.toJSON`: `{ "dtype":
 * "float64", "shape", "data" }`, exact float64 values, −0 as `"-0"`) and a plain −0 as `"-0"`; version 1 wrote
 * `{ "$tensor": { shape, data, negativeZeros } }` and `{ "$number": "-0" }` (read by {@link V1_VALUES}). Decoding
 * walks the template state a fresh `init` builds, so every key, kind and shape is checked.
 * @module
 */
import { NatgradError, Tensor, isTreeNode } from '@natgrad/core';
import { CheckpointError } from '../errors.js';
import { nullRecord } from '../keys.js';

/** Encodes a state tree as plain JSON values (version 2). */
export function encodeState(x: unknown, where = 'state'): unknown {
  if (x instanceof Tensor) {
    const d = x.data;
    for (let i = 0; i < d.length; i++) if (d[i] - d[i] !== 0) throw new CheckpointError(`cannot save non-finite value ${d[i]} at ${where}[${i}]`);
    return x.toJSON();
  }
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new CheckpointError(`cannot save non-finite number ${x} at ${where}`);
    return Object.is(x, -0) ? '-0' : x;
  }
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map((c, i) => encodeState(c, `${where}[${i}]`));
  if (isTreeNode(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) {
      const v = (x as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = encodeState(v, `${where}.${k}`);
    }
    return out;
  }
  throw new CheckpointError(`cannot save a ${typeof x} at ${where}`);
}

/** How a format writes the two leaves JSON cannot carry as they are: tensors, and numbers (for −0). */
export interface ValueFormat {
  /** The tensor of the template's shape that `x` encodes. */
  tensor(x: unknown, template: Tensor, where: string): Tensor;
  /** The number `x` encodes (`undefined` when it is not a number in this format). */
  number(x: unknown): number | undefined;
}

function kind(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  return typeof x;
}

/** Version 2's leaves: core's tensor JSON, and `"-0"`. */
export const V2_VALUES: ValueFormat = {
  tensor(x, template, where) {
    if (!isTreeNode(x) || Array.isArray(x)) throw new CheckpointError(`${where}: expected a tensor { dtype, shape, data }, found ${kind(x)}`);
    const shape = (x as Record<string, unknown>).shape;
    if (!Array.isArray(shape) || shape.length !== template.shape.length || shape.join() !== template.shape.join()) {
      throw new CheckpointError(`${where}: tensor of shape ${JSON.stringify(shape)}, expected [${template.shape}] (does the state match these parameters?)`);
    }
    try {
      return Tensor.fromJSON(x);
    } catch (e) {
      if (e instanceof NatgradError) throw new CheckpointError(`${where}: ${e.message.replace(/^Tensor\.fromJSON: /, '')}`);
      throw e;
    }
  },
  number: (x) => (typeof x === 'number' ? x : x === '-0' ? -0 : undefined),
};

/** Decodes `x` against `template` (the state a fresh `init` makes): same keys, kinds and tensor shapes; finite. */
export function decodeState(x: unknown, template: unknown, format: ValueFormat = V2_VALUES, where = 'state'): unknown {
  if (template instanceof Tensor) {
    const t = format.tensor(x, template, where);
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) throw new CheckpointError(`${where}: tensor entry ${i} is ${t.data[i]}, not a finite number`);
    }
    return t;
  }
  if (typeof template === 'number') {
    const v = format.number(x);
    if (v === undefined || !Number.isFinite(v)) throw new CheckpointError(`${where}: expected a number, found ${kind(x)}`);
    return v;
  }
  if (template === null || typeof template === 'string' || typeof template === 'boolean') {
    if (kind(x) !== kind(template)) throw new CheckpointError(`${where}: expected a ${kind(template)}, found ${kind(x)}`);
    return x;
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(x)) throw new CheckpointError(`${where}: expected an array, found ${kind(x)}`);
    if (x.length !== template.length) throw new CheckpointError(`${where}: expected ${template.length} entries, found ${x.length}`);
    return x.map((c, i) => decodeState(c, template[i], format, `${where}[${i}]`));
  }
  if (isTreeNode(template)) {
    if (!isTreeNode(x) || Array.isArray(x)) throw new CheckpointError(`${where}: expected an object, found ${kind(x)}`);
    const want = Object.keys(template).filter((k) => (template as Record<string, unknown>)[k] !== undefined);
    const have = Object.keys(x);
    const missing = want.filter((k) => !Object.hasOwn(x, k));
    if (missing.length > 0) throw new CheckpointError(`${where}: missing ${missing.map((k) => `"${k}"`).join(', ')} (does the state match these parameters and rule?)`);
    const extra = have.filter((k) => !want.includes(k));
    if (extra.length > 0) throw new CheckpointError(`${where}: unexpected ${extra.map((k) => `"${k}"`).join(', ')} (does the state match these parameters and rule?)`);
    // Keys are the template's (the rule's own), never the file's: a null-prototype record cannot be walked into.
    const out = nullRecord<unknown>();
    for (const k of want) out[k] = decodeState((x as Record<string, unknown>)[k], (template as Record<string, unknown>)[k], format, `${where}.${k}`);
    return out;
  }
  throw new CheckpointError(`${where}: the rule's state holds a ${typeof template}, which checkpoints cannot store`);
}
