/**
 * The parameter layout of a checkpoint (shape by dotted path): validated, bounded, and turned into a zero tree built
 * from null-prototype records only, so no path segment can reach `Object.prototype` or any other existing object.
 * @module
 */
import { NatgradError, Tensor, treeFlattenWithPath } from '@natgrad/core';
import { CheckpointError } from '../errors.js';
import { nullRecord, pathSegments } from '../keys.js';
import type { Params } from '../rule.js';
import { covers } from '../tree-utils.js';

/**
 * Default {@link LoadOptions.maxElements}: 2²⁴ = 16 777 216 float64 values (128 MiB) in all parameters together. A
 * checkpoint loaded without `params` has zero tensors of its layout allocated (and a state template from them), so the
 * layout is bounded before anything is allocated: a 100-byte file cannot ask for 20 GB.
 */
export const DEFAULT_MAX_ELEMENTS = 2 ** 24;

type Layout = Readonly<Record<string, readonly number[]>>;

function segmentsOf(where: string, path: string): string[] {
  try {
    return pathSegments(where, path);
  } catch (e) {
    throw new CheckpointError((e as NatgradError).message);
  }
}

/**
 * Checks every path of the layout (non-empty, dot-separated safe keys, no conflicts such as `"a"` next to `"a.b"`)
 * and bounds the total number of elements by `maxElements`.
 */
export function checkLayout(layout: Layout, maxElements: number): void {
  let total = 0;
  for (const [path, shape] of Object.entries(layout)) {
    segmentsOf(`params: path ${JSON.stringify(path)}`, path);
    let n = 1;
    for (const d of shape) n *= d;
    total += n;
    if (!(total <= maxElements)) {
      throw new CheckpointError(
        `params: the layout holds more than maxElements = ${maxElements} numbers (at "${path}", shape [${shape}]); pass a larger LoadOptions.maxElements if the checkpoint is trusted`,
      );
    }
  }
  if (Object.hasOwn(layout, '') && Object.keys(layout).length !== 1) throw new CheckpointError('params: a root leaf "" cannot have siblings');
}

/** A zero tensor tree with the layout, every inner node a fresh null-prototype record (after {@link checkLayout}). */
export function paramsFromLayout(layout: Layout): Params {
  if (Object.hasOwn(layout, '')) return Tensor.zeros(layout['']);
  const root = nullRecord<unknown>();
  for (const [path, shape] of Object.entries(layout)) {
    const segs = segmentsOf(`params: path ${JSON.stringify(path)}`, path);
    let node = root;
    segs.forEach((s, i) => {
      const cur = Object.hasOwn(node, s) ? node[s] : undefined;
      if (i === segs.length - 1) {
        if (cur !== undefined) throw new CheckpointError(`params: path "${path}" conflicts with another parameter`);
        node[s] = Tensor.zeros(shape);
        return;
      }
      if (cur instanceof Tensor) throw new CheckpointError(`params: path "${path}" conflicts with another parameter`);
      if (cur === undefined) node[s] = nullRecord<unknown>();
      node = node[s] as Record<string, unknown>;
    });
  }
  return root as Params;
}

/** The caller's parameters have exactly the layout's paths and shapes. */
export function checkParamsMatch(params: Params, layout: Layout): void {
  const seen = new Set<string>();
  treeFlattenWithPath<unknown>(params)[0].forEach(([p, l]) => {
    if (!(l instanceof Tensor)) throw new CheckpointError(`params: "${p}" is not a Tensor`);
    const shape = Object.hasOwn(layout, p) ? layout[p] : undefined;
    if (shape === undefined) throw new CheckpointError(`parameter "${p}" is not in the checkpoint (it has ${Object.keys(layout).map((k) => `"${k}"`).join(', ')})`);
    if (shape.join() !== l.shape.join() || shape.length !== l.shape.length) {
      throw new CheckpointError(`parameter "${p}" has shape [${l.shape}], the checkpoint was saved for [${shape}]`);
    }
    seen.add(p);
  });
  const missing = Object.keys(layout).filter((p) => !seen.has(p));
  if (missing.length > 0) throw new CheckpointError(`the checkpoint has state for ${missing.map((m) => `"${m}"`).join(', ')}, which the parameters lack`);
}

/** Frozen paths: well-formed, each covering a parameter, none repeated or inside another (as `freeze` keeps them). */
export function checkFrozen(frozen: readonly string[], paths: readonly string[]): void {
  frozen.forEach((f, i) => {
    segmentsOf(`frozen[${i}] ${JSON.stringify(f)}`, f);
    if (!paths.some((p) => covers(f, p))) throw new CheckpointError(`frozen path "${f}" matches no parameter`);
    const other = frozen.find((g, j) => j !== i && covers(g, f));
    if (other !== undefined) throw new CheckpointError(`frozen path "${f}" is ${other === f ? 'repeated' : `inside the frozen path "${other}"`}`);
  });
}
