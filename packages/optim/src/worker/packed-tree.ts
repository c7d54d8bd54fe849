/**
 * Trees of tensors as one `Float64Array` plus their structure: the form in which parameters and gradients cross a
 * thread boundary (`postMessage` copies or transfers one buffer instead of cloning a tensor per leaf).
 * @module
 */
import { InvalidArgumentError, Tensor, type TreeDef, treeFlatten, treePaths } from '@natgrad/core';
import { TransferError } from './errors.js';

/** A tree of tensors packed for `postMessage`: its structure, the shape of each leaf, and all elements in one array. */
export interface PackedTree {
  /** The tree's structure (`treeFlatten`'s second result: plain data, so it survives structured cloning). */
  readonly def: TreeDef;
  /** The shape of each leaf, in flatten order. */
  readonly shapes: readonly (readonly number[])[];
  /** The leaves' elements, concatenated in flatten order, each row-major. */
  readonly data: Float64Array;
}

/** Most inner nodes plus leaves a packed tree may describe (a parameter tree, not a data set). */
export const MAX_PACKED_NODES = 100_000;
/** Deepest nesting a packed tree may have. */
export const MAX_PACKED_DEPTH = 64;

/**
 * Packs a tree whose leaves are concrete tensors (null and undefined keep their place) into one new `Float64Array`.
 * The buffer is the caller's: transfer it (`postMessage(msg, [packed.data.buffer])`) to avoid a second copy.
 * @example const packed = packTree({ w: Tensor.from([1, 2]), b: Tensor.scalar(0) }); // packed.data: [0, 1, 2]
 * @throws {InvalidArgumentError} naming the path of a leaf that is not a concrete `Tensor` (a tracer, a number, …).
 */
export function packTree(tree: unknown, where = 'packTree'): PackedTree {
  const [leaves, def] = treeFlatten(tree);
  let size = 0;
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i];
    if (!(leaf instanceof Tensor)) {
      const what = leaf instanceof Object ? (leaf.constructor?.name ?? 'an object') : typeof leaf;
      throw new InvalidArgumentError(`${where}: leaf "${treePaths(tree)[i] || '<root>'}" must be a concrete Tensor, got ${what}`);
    }
    size += leaf.size;
  }
  const data = new Float64Array(size);
  const shapes: number[][] = [];
  let offset = 0;
  for (const leaf of leaves as Tensor[]) {
    data.set(leaf.data, offset);
    offset += leaf.size;
    shapes.push(leaf.shape.slice());
  }
  return { def, shapes, data };
}

/**
 * Rebuilds the tree of a {@link PackedTree}. Leaves are tensors viewing `packed.data` (no copy), so do not write into
 * that array afterwards. The packed form is checked first as untrusted input: structure (node kinds, string keys,
 * sorted and distinct as `treeFlatten` makes them, depth and node count bounded), shapes (non-negative integers) and
 * the element count; objects are built with own data properties only (a key such as `__proto__` never reaches a
 * prototype).
 * @example unpackTree(packTree(params)) // a tree equal to params
 * @throws {TransferError} saying what is malformed and where (`where` names the message).
 */
export function unpackTree<T = unknown>(packed: unknown, where = 'unpackTree'): T {
  const bad = (msg: string): never => {
    throw new TransferError(where, msg);
  };
  if (packed === null || typeof packed !== 'object') bad('expected a packed tree { def, shapes, data }');
  const { def, shapes, data } = packed as Partial<PackedTree>;
  if (!(data instanceof Float64Array)) bad('data must be a Float64Array');
  if (!Array.isArray(shapes)) bad('shapes must be an array');
  const leafShapes = shapes as readonly unknown[];
  const values = data as Float64Array;
  let nodes = 0;
  let leafIndex = 0;
  let offset = 0;
  const build = (d: unknown, depth: number, path: string): unknown => {
    if (++nodes > MAX_PACKED_NODES) bad(`more than ${MAX_PACKED_NODES} nodes`);
    if (depth > MAX_PACKED_DEPTH) bad(`deeper than ${MAX_PACKED_DEPTH} levels at "${path}"`);
    if (d === null || typeof d !== 'object') return bad(`structure at "${path || '<root>'}" is not a node`);
    const node = d as { kind?: unknown; value?: unknown; keys?: unknown; children?: unknown };
    switch (node.kind) {
      case 'leaf': {
        if (leafIndex >= leafShapes.length) bad(`more leaves than the ${leafShapes.length} shapes`);
        const shape = checkedShape(leafShapes[leafIndex++], path, bad);
        let size = 1;
        for (const n of shape) size *= n;
        if (offset + size > values.length) bad(`data holds ${values.length} elements, fewer than the shapes need`);
        const t = new Tensor(values.subarray(offset, offset + size), shape);
        offset += size;
        return t;
      }
      case 'none':
        if (node.value !== null && node.value !== undefined) bad(`"none" node at "${path}" holds a value`);
        return node.value;
      case 'array': {
        if (!Array.isArray(node.children)) return bad(`array node at "${path}" has no children list`);
        const children = node.children as readonly unknown[];
        const out: unknown[] = [];
        for (let i = 0; i < children.length; i++) out.push(build(children[i], depth + 1, join(path, String(i))));
        return out;
      }
      case 'object': {
        if (!Array.isArray(node.keys) || !Array.isArray(node.children) || node.keys.length !== node.children.length) {
          return bad(`object node at "${path}" needs keys and children of the same length`);
        }
        const keys = node.keys as readonly unknown[];
        const children = node.children as readonly unknown[];
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i];
          if (typeof k !== 'string') return bad(`object node at "${path}" has a key that is not a string`);
          if (i > 0 && !((keys[i - 1] as string) < k)) bad(`keys at "${path}" are not sorted and distinct`);
          // defineProperty, not assignment: '__proto__' becomes an own key instead of replacing the prototype
          Object.defineProperty(out, k, {
            value: build(children[i], depth + 1, join(path, k)),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return out;
      }
      default:
        return bad(`unknown node kind at "${path || '<root>'}"`);
    }
  };
  const tree = build(def, 0, '');
  if (leafIndex !== leafShapes.length) bad(`${leafShapes.length} shapes for ${leafIndex} leaves`);
  if (offset !== values.length) bad(`data holds ${values.length} elements, the shapes ${offset}`);
  return tree as T;
}

function checkedShape(s: unknown, path: string, bad: (msg: string) => never): number[] {
  if (!Array.isArray(s) || s.length > 32) return bad(`shape of "${path || '<root>'}" must be an array of at most 32 extents`);
  for (const n of s) if (!Number.isInteger(n) || n < 0) bad(`shape of "${path || '<root>'}" has an invalid extent`);
  return (s as number[]).slice();
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
