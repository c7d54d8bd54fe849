/**
 * State trees to JSON and back. Tensors become `{ "$tensor": { shape, data } }` with every float64 written as a JSON
 * number (JavaScript prints the shortest decimal that parses back to the same double, so values are exact); −0, which
 * JSON cannot spell, is listed in `negativeZeros` (tensors) or written `{ "$number": "-0" }` (plain numbers).
 * Decoding walks the template state a fresh `init` builds, so every key, kind and shape is checked.
 * @module
 */
import { Tensor, isTreeNode } from '@natgrad/core';
import { CheckpointError } from '../errors.js';

/** Encodes a state tree as plain JSON values. */
export function encodeState(x: unknown, where = 'state'): unknown {
  if (x instanceof Tensor) {
    const data: number[] = new Array(x.data.length);
    const negativeZeros: number[] = [];
    for (let i = 0; i < x.data.length; i++) {
      const v = x.data[i];
      if (v - v !== 0) throw new CheckpointError(`cannot save non-finite value ${v} at ${where}[${i}]`);
      if (v === 0 && Object.is(v, -0)) negativeZeros.push(i);
      data[i] = v;
    }
    const t: Record<string, unknown> = { shape: [...x.shape], data };
    if (negativeZeros.length > 0) t.negativeZeros = negativeZeros;
    return { $tensor: t };
  }
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new CheckpointError(`cannot save non-finite number ${x} at ${where}`);
    return Object.is(x, -0) ? { $number: '-0' } : x;
  }
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map((c, i) => encodeState(c, `${where}[${i}]`));
  if (isTreeNode(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) {
      const v = (x as Record<string, unknown>)[k];
      if (v === undefined) continue;
      if (k.startsWith('$')) throw new CheckpointError(`state key "${k}" at ${where} starts with "$", which checkpoints reserve`);
      out[k] = encodeState(v, `${where}.${k}`);
    }
    return out;
  }
  throw new CheckpointError(`cannot save a ${typeof x} at ${where}`);
}

function kind(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  return typeof x;
}

/** Decodes `x` against `template` (the state a fresh `init` makes): same keys, kinds and tensor shapes. */
export function decodeState(x: unknown, template: unknown, where = 'state'): unknown {
  if (template instanceof Tensor) return decodeTensor(x, template, where);
  if (typeof template === 'number') {
    if (typeof x === 'number') return x;
    if (isTreeNode(x) && Object.keys(x).length === 1 && (x as Record<string, unknown>).$number === '-0') return -0;
    throw new CheckpointError(`${where}: expected a number, found ${kind(x)}`);
  }
  if (template === null || typeof template === 'string' || typeof template === 'boolean') {
    if (kind(x) !== kind(template)) throw new CheckpointError(`${where}: expected a ${kind(template)}, found ${kind(x)}`);
    return x;
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(x)) throw new CheckpointError(`${where}: expected an array, found ${kind(x)}`);
    if (x.length !== template.length) throw new CheckpointError(`${where}: expected ${template.length} entries, found ${x.length}`);
    return x.map((c, i) => decodeState(c, template[i], `${where}[${i}]`));
  }
  if (isTreeNode(template)) {
    if (!isTreeNode(x) || Array.isArray(x)) throw new CheckpointError(`${where}: expected an object, found ${kind(x)}`);
    const want = Object.keys(template).filter((k) => (template as Record<string, unknown>)[k] !== undefined);
    const have = Object.keys(x);
    const missing = want.filter((k) => !Object.hasOwn(x, k));
    if (missing.length > 0) throw new CheckpointError(`${where}: missing ${missing.map((k) => `"${k}"`).join(', ')} (does the state match these parameters and rule?)`);
    const extra = have.filter((k) => !want.includes(k));
    if (extra.length > 0) throw new CheckpointError(`${where}: unexpected ${extra.map((k) => `"${k}"`).join(', ')} (does the state match these parameters and rule?)`);
    const out: Record<string, unknown> = {};
    for (const k of want) out[k] = decodeState((x as Record<string, unknown>)[k], (template as Record<string, unknown>)[k], `${where}.${k}`);
    return out;
  }
  throw new CheckpointError(`${where}: the rule's state holds a ${typeof template}, which checkpoints cannot store`);
}

function decodeTensor(x: unknown, template: Tensor, where: string): Tensor {
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
}
