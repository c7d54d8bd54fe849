/**
 * Finding the Gaussian blocks of a parameter tree: object nodes whose keys are exactly the parametrisation's keys
 * (`{ mu, L }` for meanCholesky). A NaturalGradient rule may be given one block or a tree of them.
 * @module
 */
import { ShapeError, Tensor, isTreeNode, joinPath } from '@natgrad/core';


/** A block node: the parametrisation's keys, each a tensor or `null` (masked: frozen or another branch's). */
export type BlockNode = Readonly<Record<string, Tensor | null>>;

function isBlock(x: unknown, keys: readonly string[]): x is BlockNode {
  if (!isTreeNode(x) || Array.isArray(x)) return false;
  const ks = Object.keys(x);
  if (ks.length !== keys.length || !keys.every((k) => Object.hasOwn(x, k))) return false;
  return ks.every((k) => {
    const v = (x as Record<string, unknown>)[k];
    return v === null || v === undefined || v instanceof Tensor;
  });
}

/**
 * Rebuilds `tree` with every block replaced by `f(block, path)`.
 * @throws {ShapeError} for a parameter that is not inside a block
 */
export function mapBlocks(tree: unknown, keys: readonly string[], f: (block: BlockNode, path: string) => unknown, path = '', where = 'NaturalGradient'): unknown {
  if (tree === null || tree === undefined) return tree;
  if (isBlock(tree, keys)) return f(tree, path);
  if (Array.isArray(tree)) return tree.map((c, i) => mapBlocks(c, keys, f, joinPath(path, String(i)), where));
  if (isTreeNode(tree)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(tree).sort()) out[k] = mapBlocks((tree as Record<string, unknown>)[k], keys, f, joinPath(path, k), where);
    return out;
  }
  throw new ShapeError(
    `${where}: parameter "${path || '<root>'}" is not part of a Gaussian block { ${keys.join(', ')} }; use partition to give it another rule`,
  );
}

/** The blocks of `tree` by path (`where` names the caller in errors). */
export function blocksOf(tree: unknown, keys: readonly string[], where = 'NaturalGradient'): Map<string, BlockNode> {
  const out = new Map<string, BlockNode>();
  mapBlocks(tree, keys, (b, p) => out.set(p, b), '', where);
  return out;
}

/** `'all'` when every key is present, `'none'` when all are masked, `'some'` otherwise. */
export function presence(b: BlockNode, keys: readonly string[]): 'all' | 'none' | 'some' {
  const n = keys.filter((k) => b[k] !== null && b[k] !== undefined).length;
  return n === keys.length ? 'all' : n === 0 ? 'none' : 'some';
}

const MATRIX_KINDS = new Set(['symmetric', 'lower', 'cholesky']);

/**
 * Checks that a block's tensors have the shapes of one Gaussian (or one batch of them) in `P`'s coordinates: vectors
 * [..., D], matrices [..., D, D], one D and one batch shape. Masked (`null`) members are skipped.
 * @throws {ShapeError} naming the block path and the members that disagree
 */
export function checkBlockShapes(kinds: Readonly<Record<string, string>>, b: BlockNode, path: string): void {
  let dim: number | undefined;
  let batch: string | undefined;
  let first = '';
  for (const k of Object.keys(kinds)) {
    const t = b[k];
    if (t === null || t === undefined) continue;
    const s = t.shape;
    const matrix = MATRIX_KINDS.has(kinds[k]);
    const ok = matrix ? s.length >= 2 && s[s.length - 1] === s[s.length - 2] : s.length >= 1;
    if (!ok || s[s.length - 1] === 0) {
      throw new ShapeError(`NaturalGradient: block "${path || '<root>'}".${k} has shape [${s}], expected ${matrix ? '[..., D, D]' : '[..., D]'} with D ≥ 1`);
    }
    const d = s[s.length - 1];
    const bs = s.slice(0, matrix ? -2 : -1).join();
    if (dim === undefined) {
      [dim, batch, first] = [d, bs, k];
    } else if (d !== dim || bs !== batch) {
      throw new ShapeError(`NaturalGradient: block "${path || '<root>'}" has ${first} and ${k} of inconsistent shapes (one D and one batch shape expected)`);
    }
  }
}
