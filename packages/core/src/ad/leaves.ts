/**
 * The trees transforms take and return (arguments, tangents, cotangents, outputs of the transformed function).
 *
 * They are pytrees as in {@link treeFlatten}, with one extra leaf rule, so that matrices can be written the way the
 * rest of the API takes them: a JavaScript array that holds numbers — directly or through nested arrays — is ONE
 * array leaf (as `jnp.asarray` would read it). It must then be rectangular and hold only numbers; anything else is
 * ambiguous and a typed error. Arrays holding no numbers (`[x, y]` of tensors, `[]`, `[{…}, …]`) stay tree nodes.
 * `treeFlatten` itself keeps the plain JAX rule (every number is its own leaf) for other users such as optimisers.
 * @module
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { type TreeDef, isTreeNode } from '../tree.js';
import { MAX_TREE_DEPTH, MAX_TREE_NODES } from '../limits.js';
import { ArrayValue, type Value } from '../value.js';
import { type MaybeValue } from './primitive.js';
import { checkNotEscaped } from './trace.js';

const LEAF: TreeDef = Object.freeze({ kind: 'leaf' });


/** Where a tree came from, for error messages: the function and the name of the tree (`primals`, `tangents`, …). */
export interface TreeSite {
  readonly where: string;
  readonly what: string;
}

/**
 * The keys from the root to the node being visited: a stack pushed and popped while walking, formatted only when
 * an error message needs it (building path strings eagerly costs more than the walk on small trees).
 */
type Path = (string | number)[];

/**
 * Flattens one transform tree into value leaves and its structure (see the module comment for the leaf rule).
 * Tracers of finished transforms are rejected with `TracerEscapeError`.
 */
export function flattenValues(tree: unknown, site: TreeSite): [Value[], TreeDef] {
  const leaves: Value[] = [];
  nodes = 0;
  const def = walk(tree, [], leaves, site);
  return [leaves, def];
}

/**
 * Flattens an argument list: the list itself is always a node (one child per argument), never a numeric leaf, so
 * `jvp(f, [1, 2], [1, 0])` is a function of two scalars.
 */
export function flattenArgList(args: unknown, site: TreeSite): [Value[], TreeDef] {
  if (!Array.isArray(args)) {
    throw new InvalidArgumentError(`${site.where}: ${site.what} must be an array with one entry per argument, got ${describe(args)}`);
  }
  const leaves: Value[] = [];
  const children = new Array<TreeDef>(args.length);
  const path: Path = [0];
  nodes = 0;
  for (let i = 0; i < args.length; i++) {
    path[0] = i;
    children[i] = walk(args[i], path, leaves, site);
  }
  return [leaves, { kind: 'array', children }];
}

/**
 * Inner nodes visited by the current walk. Depth alone does not bound a walk: a structure sharing subtrees
 * (`t = { l: t, r: t }` forty times) describes 2⁴⁰ nodes in 41 objects. Reset by each top-level flatten.
 */
let nodes = 0;

function walk(x: unknown, path: Path, leaves: Value[], site: TreeSite): TreeDef {
  if (x instanceof ArrayValue) {
    checkNotEscaped(x, site.where);
    leaves.push(x);
    return LEAF;
  }
  if (typeof x === 'number') {
    leaves.push(Tensor.scalar(x));
    return LEAF;
  }
  if (x === null || x === undefined) return { kind: 'none', value: x };
  if (path.length > MAX_TREE_DEPTH) tooDeep(site, path);
  if (++nodes > MAX_TREE_NODES) {
    throw new InvalidArgumentError(`${site.where}: ${site.what} has more than ${MAX_TREE_NODES} inner nodes (MAX_TREE_NODES; are subtrees shared?)`);
  }
  if (Array.isArray(x)) {
    if (holdsNumbers(x, site, path)) {
      leaves.push(numericLeaf(x, path, site));
      return LEAF;
    }
    // An index loop, not map: holes of a sparse array are visited (as undefined) instead of kept as holes.
    const children = new Array<TreeDef>(x.length);
    for (let i = 0; i < x.length; i++) {
      path.push(i);
      children[i] = walk(x[i], path, leaves, site);
      path.pop();
    }
    return { kind: 'array', children };
  }
  if (isTreeNode(x)) {
    const keys = Object.keys(x).sort();
    const children = new Array<TreeDef>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      path.push(keys[i]);
      children[i] = walk((x as Record<string, unknown>)[keys[i]], path, leaves, site);
      path.pop();
    }
    return { kind: 'object', keys, children };
  }
  throw new InvalidArgumentError(
    `${site.where}: ${at(site, path)} is ${describe(x)}; expected a tensor, a number, a nested array of numbers, ` +
      'or an array/plain object of those',
  );
}

/** True when numbers can be reached from `x` through arrays alone: then `x` is meant as one numeric array. */
function holdsNumbers(x: readonly unknown[], site: TreeSite, path: Path, depth = 0): boolean {
  if (path.length + depth > MAX_TREE_DEPTH) tooDeep(site, path);
  for (let i = 0; i < x.length; i++) {
    const c = x[i];
    if (typeof c === 'number') return true;
    if (Array.isArray(c) && holdsNumbers(c, site, path, depth + 1)) return true;
  }
  return false;
}

function tooDeep(site: TreeSite, path: Path): never {
  throw new InvalidArgumentError(
    `${site.where}: ${at(site, path)} is nested more than ${MAX_TREE_DEPTH} levels deep (a cycle?)`,
  );
}

/** Reads a nested array of numbers into a tensor, reporting the first ragged or non-numeric entry by its path. */
function numericLeaf(x: readonly unknown[], path: Path, site: TreeSite): Tensor {
  const shape: number[] = [];
  let v: unknown = x;
  while (Array.isArray(v)) {
    if (shape.length >= MAX_TREE_DEPTH) tooDeep(site, path);
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  let size = 1;
  for (const d of shape) size *= d;
  const data = new Float64Array(size);
  let offset = 0;
  const index: number[] = [];
  const inner = () => at(site, [...path, ...index]);
  const fill = (y: unknown, axis: number): void => {
    if (axis === shape.length) {
      if (Array.isArray(y)) {
        throw new ShapeError(
          `${site.where}: ${at(site, path)} is a ragged nested array of numbers: ${inner()} is an array where ` +
            `a number was expected (a nested array of numbers is one array and must be rectangular)`,
        );
      }
      if (typeof y !== 'number') {
        throw new InvalidArgumentError(
          `${site.where}: ${inner()} is ${describe(y)} inside a nested array of numbers (${at(site, path)}); ` +
            'an array holding numbers is one array and may hold only numbers — build mixed values with ops.stack, ' +
            'or pass the numbers as a Tensor',
        );
      }
      data[offset++] = y;
      return;
    }
    if (!Array.isArray(y) || y.length !== shape[axis]) {
      const got = Array.isArray(y) ? `length ${y.length}` : describe(y);
      throw new ShapeError(
        `${site.where}: ${at(site, path)} is a ragged nested array of numbers: ${inner()} has ${got}, expected ` +
          `length ${shape[axis]} (a nested array of numbers is one array and must be rectangular)`,
      );
    }
    for (let i = 0; i < y.length; i++) {
      index.push(i);
      fill(y[i], axis + 1);
      index.pop();
    }
  };
  fill(x, 0);
  return new Tensor(data, shape);
}

/** The value of one leaf given where a structure expects a leaf, or a structure error. */
function leafAt(x: unknown, path: Path, site: TreeSite): Value {
  if (x instanceof ArrayValue) {
    checkNotEscaped(x, site.where);
    return x;
  }
  if (typeof x === 'number') return Tensor.scalar(x);
  if (Array.isArray(x) && holdsNumbers(x, site, path)) return numericLeaf(x, path, site);
  return mismatch(site, path, 'an array leaf', x);
}

/**
 * Flattens `tree` against a known structure `def` whose leaves have the shapes of `like` (e.g. tangents against the
 * primals, a cotangent against the output). Leaves follow the same rule as {@link flattenValues}. With `allowNull`,
 * `null`/`undefined` where `def` has a leaf or a whole subtree stands for zeros (returned as `null`, a symbolic zero).
 * With `argList`, the root is an argument list (always a node, see {@link flattenArgList}).
 */
export function flattenLike(
  tree: unknown,
  def: TreeDef,
  like: readonly Value[],
  site: TreeSite,
  allowNull = false,
  argList = false,
): MaybeValue[] {
  const out: MaybeValue[] = [];
  const path: Path = [];
  const walkLike = (x: unknown, d: TreeDef): void => {
    if (allowNull && (x === null || x === undefined) && d.kind !== 'none') {
      pushNulls(d, out);
      return;
    }
    switch (d.kind) {
      case 'none':
        if (x !== null && x !== undefined) mismatch(site, path, `${d.value}`, x);
        return;
      case 'leaf': {
        const v = leafAt(x, path, site);
        const expected = like[out.length];
        if (!shapesEqual(v.shape, expected.shape)) {
          throw new ShapeError(
            `${site.where}: ${at(site, path)} has shape ${formatShape(v.shape)}, expected ${formatShape(expected.shape)}`,
          );
        }
        out.push(v);
        return;
      }
      case 'array': {
        const n = d.children.length;
        if (!Array.isArray(x) || (holdsNumbers(x, site, path) && !(argList && path.length === 0))) {
          mismatch(site, path, `an array of ${n} entries`, x);
        }
        if (x.length !== n) throw new ShapeError(`${site.where}: ${at(site, path)} has ${x.length} entries, expected ${n}`);
        for (let i = 0; i < n; i++) {
          path.push(i);
          walkLike(x[i], d.children[i]);
          path.pop();
        }
        return;
      }
      case 'object': {
        if (Array.isArray(x) || !isTreeNode(x)) mismatch(site, path, `an object with keys {${d.keys.join(', ')}}`, x);
        const keys = Object.keys(x).sort();
        if (keys.length !== d.keys.length || keys.some((k, i) => k !== d.keys[i])) {
          throw new ShapeError(
            `${site.where}: ${at(site, path)} has keys {${keys.join(', ')}}, expected {${d.keys.join(', ')}}`,
          );
        }
        for (let i = 0; i < d.keys.length; i++) {
          path.push(d.keys[i]);
          walkLike((x as Record<string, unknown>)[d.keys[i]], d.children[i]);
          path.pop();
        }
        return;
      }
    }
  };
  walkLike(tree, def);
  return out;
}

function pushNulls(d: TreeDef, out: MaybeValue[]): void {
  if (d.kind === 'leaf') out.push(null);
  else if (d.kind === 'array' || d.kind === 'object') for (const c of d.children) pushNulls(c, out);
}

function mismatch(site: TreeSite, path: Path, expected: string, got: unknown): never {
  const kind = Array.isArray(got) && holdsNumbers(got, site, path) ? 'a nested array of numbers (one array leaf)' : describe(got);
  throw new ShapeError(
    `${site.where}: ${at(site, path)} should be ${expected} to match the structure, got ${kind}`,
  );
}

/** Number of leaves of a structure. */
export function leafCount(def: TreeDef): number {
  if (def.kind === 'leaf') return 1;
  if (def.kind === 'none') return 0;
  let n = 0;
  for (const c of def.children) n += leafCount(c);
  return n;
}

/** `primals[0].w`-style location of a path within a tree, for error messages. */
export function at(site: TreeSite, path: readonly (string | number)[]): string {
  let s = site.what;
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else s += /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
  }
  return s;
}

/** A short description of a value's kind for error messages. */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (x instanceof ArrayValue) return `a ${x.constructor.name} of shape ${formatShape(x.shape)}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === 'object') {
    const name = (Object.getPrototypeOf(x) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  if (typeof x === 'function') return 'a function';
  return `a ${typeof x}`;
}

/** A compact picture of a structure for messages: `*` per leaf, e.g. `{a: *, b: [*, *]}`. */
export function formatDef(def: TreeDef): string {
  switch (def.kind) {
    case 'leaf':
      return '*';
    case 'none':
      return String(def.value);
    case 'array':
      return `[${def.children.map(formatDef).join(', ')}]`;
    case 'object':
      return `{${def.keys.map((k, i) => `${k}: ${formatDef(def.children[i])}`).join(', ')}}`;
  }
}
