/**
 * Reverse mode on a tape. Tracing `f` records one node per primitive (inputs, output, parameters); the pullback
 * walks the tape backwards applying each primitive's VJP rule. VJP rules are written with ops, so a pullback run
 * inside another transform is itself traced: forward-over-reverse Hessians and reverse-over-reverse both work.
 * The same tape replayed forwards with JVP rules gives {@link linearize}.
 * @module
 */
import { NatgradError, ShapeError } from '../errors.js';
import { asValue } from '../convert.js';
import { add } from '../ops/arithmetic.js';
import { stack as stackOp } from '../ops/join.js';
import { reshape as reshapeOp } from '../ops/reshape.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { type TreeDef, describeDiff, treeDefEqual, treeFlatten, treeMap, treeUnflatten } from '../tree.js';
import type { ArrayInput, Value } from '../value.js';
import { flattenArgs, forwardPass } from './forward.js';
import type { MaybeValue, Primitive } from './primitive.js';
import { Main, Tracer, bind, checkNotEscaped, lowerInnermost, withMain } from './trace.js';

interface TapeNode {
  readonly prim: Primitive<any> | null; // null for an input of the traced function
  readonly params: unknown;
  readonly primals: readonly Value[];
  readonly out: Value;
  readonly parents: readonly number[]; // tape index of each traced input, -1 for constants
  readonly residuals: unknown;
}

class ReverseMain extends Main {
  readonly kind = 'vjp';
  readonly tape: TapeNode[] = [];

  process<P>(prim: Primitive<P>, inputs: readonly Value[], params: P): Value {
    const n = inputs.length;
    const primals = new Array<Value>(n);
    const parents = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const x = inputs[i];
      if (x instanceof ReverseTracer && x.main === this) {
        primals[i] = x.primal;
        parents[i] = x.node;
      } else {
        primals[i] = x;
        parents[i] = -1;
      }
    }
    if (prim.vjp === undefined) {
      if (prim.decompose !== undefined) return prim.decompose(inputs, params);
      if (prim.nondifferentiable) return bind(prim, primals, params);
      throw new NatgradError('NO_VJP_RULE', `primitive '${prim.name}' has no reverse-mode (VJP) rule`);
    }
    let out: Value;
    let residuals: unknown;
    if (prim.vjpForward !== undefined) [out, residuals] = prim.vjpForward(primals, params);
    else out = bind(prim, primals, params);
    return this.record({ prim, params, primals, out, parents, residuals });
  }

  record(node: TapeNode): ReverseTracer {
    this.tape.push(node);
    return new ReverseTracer(this, node.out, this.tape.length - 1);
  }

  input(primal: Value): ReverseTracer {
    return this.record({ prim: null, params: undefined, primals: [], out: primal, parents: [], residuals: undefined });
  }
}

class ReverseTracer extends Tracer {
  constructor(
    readonly main: ReverseMain,
    readonly primal: Value,
    readonly node: number,
  ) {
    super();
  }
}

function accumulate(a: MaybeValue, b: Value): Value {
  return a === null ? b : add(a, b);
}

/** Propagates output cotangents back through the tape; returns the cotangent of each requested node (or null). */
function backward(tape: readonly TapeNode[], outNodes: readonly number[], cts: readonly Value[], wanted: readonly number[]): MaybeValue[] {
  const acc = new Array<MaybeValue>(tape.length).fill(null);
  outNodes.forEach((id, k) => {
    if (id >= 0) acc[id] = accumulate(acc[id], cts[k]);
  });
  const keep = new Set(wanted);
  for (let id = tape.length - 1; id >= 0; id--) {
    const g = acc[id];
    const node = tape[id];
    if (g === null || node.prim === null) continue;
    const needs = node.parents.map((p) => p >= 0);
    const inCts = node.prim.vjp!(g, node.primals, node.out, node.params, needs, node.residuals);
    node.parents.forEach((p, i) => {
      const c = inCts[i];
      if (p < 0 || c === null || c === undefined) return;
      if (!shapesEqual(c.shape, node.primals[i].shape)) {
        throw new NatgradError(
          'BAD_VJP_RULE',
          `VJP rule of '${node.prim!.name}' returned shape ${formatShape(c.shape)} for input ${i} of shape ${formatShape(node.primals[i].shape)}`,
        );
      }
      acc[p] = accumulate(acc[p], c);
    });
    if (!keep.has(id)) acc[id] = null; // free intermediate cotangents as soon as they are used
  }
  return wanted.map((id) => acc[id]);
}

interface Recording {
  tape: readonly TapeNode[];
  inputNodes: readonly number[];
  inputDef: TreeDef;
  inputs: readonly Value[];
  out: unknown;
  outDef: TreeDef;
  outNodes: readonly number[];
  outPrimals: readonly Value[];
}

function record(f: (...args: any[]) => unknown, primals: readonly unknown[], where: string): Recording {
  const [pLeaves, pDef] = flattenArgs(primals, where);
  const main = new ReverseMain();
  return withMain(main, () => {
    const inputs = pLeaves.map((p) => main.input(p));
    const result = f(...treeUnflatten<unknown[]>(pDef, inputs));
    const [oLeaves, oDef] = treeFlatten<ArrayInput>(result);
    const outNodes: number[] = [];
    const outPrimals: Value[] = [];
    for (const leaf of oLeaves) {
      const v = asValue(leaf);
      checkNotEscaped(v, where);
      const mine = v instanceof ReverseTracer && v.main === main;
      outNodes.push(mine ? v.node : -1);
      outPrimals.push(mine ? v.primal : v);
    }
    return {
      tape: main.tape,
      inputNodes: inputs.map((t) => t.node),
      inputDef: pDef,
      inputs: pLeaves,
      out: treeUnflatten(oDef, outPrimals),
      outDef: oDef,
      outNodes,
      outPrimals,
    };
  });
}

function flattenMatching(tree: unknown, def: TreeDef, like: readonly Value[], what: string, where: string): Value[] {
  const [leaves, d] = treeFlatten<ArrayInput>(tree);
  if (!treeDefEqual(def, d)) {
    throw new ShapeError(`${where}: ${what} has a different structure from the output (${describeDiff(treeUnflatten(def, like), tree)})`);
  }
  return leaves.map((l, i) => {
    const v = asValue(l);
    if (!shapesEqual(v.shape, like[i].shape)) {
      throw new ShapeError(`${where}: ${what} leaf ${i} has shape ${formatShape(v.shape)}, expected ${formatShape(like[i].shape)}`);
    }
    return v;
  });
}

/**
 * Vector-Jacobian product (`jax.vjp`): evaluates `f(...primals)` and returns it with a pullback that maps an output
 * cotangent (same structure as the output) to the cotangents of the arguments (an array like `primals`).
 * The pullback may be called many times; for a scalar output its argument defaults to 1.
 * @typeParam F - the function's type; the first result has the type of its output.
 */
export function vjp<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
): [ReturnType<F>, (cotangent?: unknown) => any[]] {
  const rec = record(f, primals, 'vjp');
  const pullback = (cotangent?: unknown): any[] => {
    const ct =
      cotangent === undefined && rec.outPrimals.length === 1 && rec.outPrimals[0].size === 1
        ? [Tensor.ones(rec.outPrimals[0].shape)]
        : flattenMatching(cotangent, rec.outDef, rec.outPrimals, 'cotangent', 'vjp pullback');
    const cts = backward(rec.tape, rec.outNodes, ct, rec.inputNodes);
    return treeUnflatten<any[]>(rec.inputDef, cts.map((c, i) => c ?? Tensor.zeros(rec.inputs[i].shape)));
  };
  return [rec.out as ReturnType<F>, pullback];
}

/**
 * Linearisation (`jax.linearize`): evaluates `f(...primals)` once and returns `[out, jvpFn]`, where `jvpFn(...tangents)`
 * replays the recorded tape with JVP rules only; each call costs the tangent work, not another primal pass.
 * @typeParam F - the function's type; `out` and every `jvpFn` result have the type of its output.
 */
export function linearize<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
): [ReturnType<F>, (...tangents: unknown[]) => ReturnType<F>] {
  const rec = record(f, primals, 'linearize');
  const jvpFn = (...tangents: unknown[]): ReturnType<F> => {
    const ts = flattenMatching(tangents, rec.inputDef, rec.inputs, 'tangents', 'linearize');
    const tan = new Array<MaybeValue>(rec.tape.length).fill(null);
    rec.inputNodes.forEach((id, i) => {
      tan[id] = ts[i];
    });
    rec.tape.forEach((node, id) => {
      if (node.prim === null) return;
      const tin = node.parents.map((p) => (p >= 0 ? tan[p] : null));
      if (tin.every((t) => t === null)) return;
      tan[id] = tangentOf(node, tin);
    });
    const outT = rec.outNodes.map((id, k) => (id >= 0 ? tan[id] : null) ?? Tensor.zeros(rec.outPrimals[k].shape));
    return treeUnflatten(rec.outDef, outT);
  };
  return [rec.out as ReturnType<F>, jvpFn];
}

function tangentOf(node: TapeNode, tin: readonly MaybeValue[]): MaybeValue {
  const prim = node.prim!;
  if (prim.jvp !== undefined) return prim.jvp(tin, node.primals, node.out, node.params);
  if (prim.decompose !== undefined) {
    const zeros = tin.map((t, i) => t ?? Tensor.zeros(node.primals[i].shape));
    const r = forwardPass((...xs: Value[]) => prim.decompose!(xs, node.params), node.primals, [zeros], 'linearize');
    return r.tangentsOut[0] as Value;
  }
  return null;
}

/** Options of {@link grad} and {@link valueAndGrad}. */
export interface GradOptions {
  /** Which positional argument(s) to differentiate with respect to. Default 0. */
  argnums?: number | readonly number[];
  /** `f` returns `[loss, aux]`; `aux` is passed through without being differentiated. */
  hasAux?: boolean;
}

/**
 * Value and gradient of a scalar function (`jax.value_and_grad`). Returns `(...args) => [value, gradient]`, where the
 * gradient has the structure of the selected argument (an array of them when `argnums` is an array). With `hasAux`,
 * `f` returns `[value, aux]` and the result is `[[value, aux], gradient]`.
 */
export function valueAndGrad(f: (...args: any[]) => any, options: GradOptions = {}): (...args: any[]) => [any, any] {
  const argnums = options.argnums ?? 0;
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  return (...args: any[]) => {
    for (const a of list) {
      if (!Number.isInteger(a) || a < 0 || a >= args.length) {
        throw new ShapeError(`grad: argnums ${a} is out of range for ${args.length} argument(s)`);
      }
    }
    let aux: unknown;
    const g = (...selected: unknown[]) => {
      const full = args.slice();
      list.forEach((a, i) => {
        full[a] = selected[i];
      });
      const r = f(...full);
      if (options.hasAux) {
        if (!Array.isArray(r) || r.length !== 2) throw new ShapeError('grad: hasAux requires f to return [value, aux]');
        // aux leaves are returned undifferentiated: lower them out of this transform before it ends.
        aux = treeMap((leaf: unknown) => lowerInnermost(leaf), r[1]);
        return r[0];
      }
      return r;
    };
    const [value, pullback] = vjp(g, list.map((a) => args[a]));
    const v = asValue(value as ArrayInput);
    if (v.shape.length !== 0) {
      throw new ShapeError(`grad: f must return a scalar (shape []), got shape ${formatShape(v.shape)}`);
    }
    const grads = pullback(Tensor.ones([]));
    const gradient = typeof argnums === 'number' ? grads[0] : grads;
    return [options.hasAux ? [v, aux] : v, gradient];
  };
}

/** Gradient of a scalar function (`jax.grad`): `(...args) => ∂f/∂args[argnums]`. See {@link valueAndGrad}. */
export function grad(f: (...args: any[]) => any, options: GradOptions = {}): (...args: any[]) => any {
  const vg = valueAndGrad(f, options);
  return (...args: any[]) => {
    const [value, g] = vg(...args);
    return options.hasAux ? [g, value[1]] : g;
  };
}

/**
 * Reverse-mode Jacobian (`jax.jacrev`) of a function of one array: one pullback per output element.
 * `J.shape = [...f(x).shape, ...x.shape]`.
 */
export function jacrev(f: (x: Value) => ArrayInput): (x: ArrayInput) => Value {
  return (x: ArrayInput): Value => {
    const xv = asValue(x);
    const [out, pullback] = vjp((y: Value) => asValue(f(y)), [xv]);
    const m = (out as Value).size;
    const rows: Value[] = [];
    for (let k = 0; k < m; k++) {
      const e = Tensor.zeros((out as Value).shape);
      e.data[k] = 1;
      rows.push(reshapeOp(pullback(e)[0], [-1]));
    }
    const flat = rows.length > 0 ? stackOp(rows, 0) : Tensor.zeros([0, xv.size]);
    return reshapeOp(flat, [...(out as Value).shape, ...xv.shape]);
  };
}
