/** Numeric helpers of the training loop. @module */
import { InvalidArgumentError, Tensor, treeLeaves } from '@natgrad/core';
import { namedBy } from '../errors.js';

/**
 * Global L2 norm of a tree of tensors, √(Σ over all leaves and elements of x²), computed with scaling so that large
 * but finite gradients do not overflow. `NaN` if an element is NaN, `Infinity` if one is ±∞ (and none is NaN).
 * @example globalNorm({ a: Tensor.from([3]), b: Tensor.from([4]) }) // 5
 */
export function globalNorm(tree: unknown): number {
  let leaves: Tensor[];
  try {
    leaves = treeLeaves<unknown>(tree) as Tensor[];
  } catch (e) {
    throw namedBy(e, 'globalNorm');
  }
  for (const l of leaves) if (!(l instanceof Tensor)) throw new InvalidArgumentError(`globalNorm: leaves must be concrete Tensors, got ${typeof l}`);
  let scale = 0;
  let inf = false;
  for (const leaf of leaves) {
    const d = leaf.data;
    for (let i = 0; i < d.length; i++) {
      const a = Math.abs(d[i]);
      if (a > scale) {
        if (a === Infinity) inf = true;
        else scale = a;
      } else if (a !== a) return NaN;
    }
  }
  if (inf) return Infinity;
  if (scale === 0) return 0;
  let s = 0;
  for (const leaf of leaves) {
    const d = leaf.data;
    for (let i = 0; i < d.length; i++) {
      const r = d[i] / scale;
      s += r * r;
    }
  }
  return scale * Math.sqrt(s);
}
