/**
 * Jacobians of functions of trees, in JAX's layout: for an output tree and the selected input tree(s), the Jacobian
 * is the output structure outside and the input structure inside, each leaf of shape `[...outLeaf, ...inLeaf]`.
 * `jacfwd` pushes `chunkSize` basis tangents per forward pass (ForwardDiff's chunks); `jacrev` pulls back one
 * basis cotangent per output element.
 * @module
 */
import { stack as stackOp } from '../ops/join.js';
import { reshape as reshapeOp } from '../ops/reshape.js';
import { transpose as transposeOp } from '../ops/transpose.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { type TreeDef, unflatten } from '../tree.js';
import type { ArrayInput, Value } from '../value.js';
import { pushForward } from './forward.js';
import {
  type Argnums,
  argnumsOption,
  booleanOption,
  checkFunction,
  positiveIntegerOption,
  readOptions,
  resolveArgnums,
  selectArgs,
} from './options.js';
import type { MaybeValue } from './primitive.js';
import { backward, record } from './tape.js';

/** Options of {@link jacfwd} (alias {@link jacobian}), {@link jacrev} and {@link hessian}. */
export interface JacobianOptions {
  /** Tangents carried per forward pass (ForwardDiff's chunk size; forward mode only). Default 16. */
  chunkSize?: number;
  /**
   * Which positional argument(s) to differentiate with respect to. Default 0. Negative counts from the end; with
   * an array, each output leaf's Jacobian is an array with one entry per selected argument.
   */
  argnums?: Argnums;
  /** `f` returns `[output, aux]`; the result is `[jacobian, aux]`, aux undifferentiated. Default false. */
  hasAux?: boolean;
}

/** @internal Options of a Jacobian transform, read and checked. */
export interface Read {
  readonly argnums: Argnums;
  readonly hasAux: boolean;
  readonly chunkSize: number;
}

function read(f: unknown, options: unknown, where: string, keys: readonly string[]): Read {
  checkFunction(f, where);
  const o = readOptions(options, where, keys);
  return {
    argnums: argnumsOption(o.argnums, where),
    hasAux: booleanOption(o.hasAux, where, 'hasAux'),
    chunkSize: positiveIntegerOption(o.chunkSize, where, 'chunkSize', 16),
  };
}

/**
 * Forward-mode Jacobian (`jax.jacfwd`): returns `(...args) => J`. For a function of one array returning one array,
 * `J.shape = [...f(x).shape, ...x.shape]`; for trees see the module comment (e.g. `f(p) = {a, b}` of `p = {w, c}`
 * gives `{a: {w, c}, b: {w, c}}`). Columns are computed `chunkSize` at a time, one forward pass per chunk.
 * @throws {InvalidArgumentError} for a bad option (chunkSize, argnums, hasAux, unknown key).
 */
export function jacfwd(f: (x: Value) => ArrayInput, options?: JacobianOptions & { argnums?: 0; hasAux?: false }): (x: ArrayInput) => Value;
export function jacfwd(f: (...args: any[]) => any, options?: JacobianOptions): (...args: any[]) => any;
export function jacfwd(f: (...args: any[]) => any, options?: JacobianOptions): (...args: any[]) => any {
  return jacfwdOf(f, read(f, options, 'jacfwd', ['argnums', 'hasAux', 'chunkSize']), 'jacfwd');
}

/** @internal {@link jacfwd} with its options read; `where` names the public transform (`hessian`) in messages. */
export function jacfwdOf(f: (...args: any[]) => any, opts: Read, where: string): (...args: any[]) => any {
  return (...args: any[]) => {
    const list = resolveArgnums(opts.argnums, args.length, where);
    const { leaves, def, g } = selectArgs(f, args, list, where);
    const starts = offsets(leaves);
    const n = starts[leaves.length];
    let first: ReturnType<typeof pushForward> | undefined;
    let cols: Value[][] = [];
    // One pass even for n = 0, to learn the output.
    for (let k = 0; k < Math.max(n, 1); k += opts.chunkSize) {
      const sets: MaybeValue[][] = [];
      for (let c = k; c < Math.min(n, k + opts.chunkSize); c++) sets.push(basisTangent(leaves, starts, c));
      const r = pushForward(g, def, leaves, sets, where, opts.hasAux);
      if (first === undefined) {
        first = r;
        cols = r.primals.map(() => []);
      }
      r.tangents.forEach((ts) =>
        ts.forEach((t, o) => cols[o].push(reshapeOp(t ?? Tensor.zeros(first!.primals[o].shape), [-1]))),
      );
    }
    const outs = first!.primals;
    const blocks = outs.map((out, o) =>
      leaves.map((x, i) => {
        const shape = [...out.shape, ...x.shape];
        if (sizeOf(shape) === 0) return Tensor.zeros(shape);
        // Stacking the columns as rows and transposing once is far cheaper than interleaving them.
        return reshapeOp(transposeOp(stackOp(cols[o].slice(starts[i], starts[i + 1]), 0)), shape);
      }),
    );
    const jac = assemble(first!.outDef, def, blocks, opts.argnums);
    return opts.hasAux ? [jac, first!.aux] : jac;
  };
}

/** `jax.jacfwd` under its ForwardDiff name: the forward-mode Jacobian. See {@link jacfwd}. */
export const jacobian = jacfwd;

/**
 * Reverse-mode Jacobian (`jax.jacrev`): one recording of f, then one pullback per output element. Same layout and
 * options as {@link jacfwd} (`chunkSize` does not apply).
 */
export function jacrev(f: (x: Value) => ArrayInput, options?: Omit<JacobianOptions, 'chunkSize'> & { argnums?: 0; hasAux?: false }): (x: ArrayInput) => Value;
export function jacrev(f: (...args: any[]) => any, options?: Omit<JacobianOptions, 'chunkSize'>): (...args: any[]) => any;
export function jacrev(f: (...args: any[]) => any, options?: Omit<JacobianOptions, 'chunkSize'>): (...args: any[]) => any {
  const opts = read(f, options, 'jacrev', ['argnums', 'hasAux']);
  return (...args: any[]) => {
    const list = resolveArgnums(opts.argnums, args.length, 'jacrev');
    const { leaves, def, g } = selectArgs(f, args, list, 'jacrev');
    const rec = record(g, def, leaves, 'jacrev', opts.hasAux);
    const blocks = rec.outs.map((out, o) => {
      const rows: Value[][] = leaves.map(() => []);
      if (rec.outNodes[o] >= 0) {
        for (let e = 0; e < out.size; e++) {
          const cts = rec.outs.map((u, q) => (q === o ? oneHot(u.shape, e) : null));
          const got = backward(rec.tape, rec.outNodes, cts, rec.inputNodes);
          got.forEach((c, i) => rows[i].push(reshapeOp(c ?? Tensor.zeros(leaves[i].shape), [-1])));
        }
      }
      return leaves.map((x, i) => {
        const shape = [...out.shape, ...x.shape];
        return rows[i].length === 0 || sizeOf(shape) === 0 ? Tensor.zeros(shape) : reshapeOp(stackOp(rows[i], 0), shape);
      });
    });
    const jac = assemble(rec.outDef, def, blocks, opts.argnums);
    return opts.hasAux ? [jac, rec.aux] : jac;
  };
}

/** The outer (output) structure with, per output leaf, the inner (input) structure of its blocks. */
function assemble(outDef: TreeDef, inDef: TreeDef, blocks: readonly Value[][], argnums: Argnums): unknown {
  return unflatten(
    outDef,
    blocks.map((b) => {
      const perArg = unflatten<unknown[]>(inDef, b);
      return typeof argnums === 'number' ? perArg[0] : perArg;
    }),
  );
}

/** Start of each leaf in the concatenated flat input (and the total at the end). */
function offsets(leaves: readonly Value[]): number[] {
  const s = [0];
  for (const l of leaves) s.push(s[s.length - 1] + l.size);
  return s;
}

/** The c-th standard basis tangent of the concatenated inputs: one one-hot leaf, symbolic zeros elsewhere. */
function basisTangent(leaves: readonly Value[], starts: readonly number[], c: number): MaybeValue[] {
  return leaves.map((x, i) => (c >= starts[i] && c < starts[i + 1] ? oneHot(x.shape, c - starts[i]) : null));
}

function oneHot(shape: readonly number[], index: number): Tensor {
  const t = Tensor.zeros(shape);
  t.data[index] = 1;
  return t;
}
