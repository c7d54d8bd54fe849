/**
 * Reverse mode on a tape. Tracing `f` records one node per primitive (inputs, output, parameters); {@link backward}
 * walks the tape backwards applying each primitive's VJP rule. VJP rules are written with ops, so a pullback run
 * inside another transform is itself traced: forward-over-reverse Hessians and reverse-over-reverse both work.
 * The same tape replayed forwards with JVP rules is {@link replayTangents} (`linearize`).
 *
 * A call of a function with a custom rule is one node with one output node per result leaf. For `customVjp` the
 * node's backward step is the user's `bwd`; for `customJvp` it is the transpose of the JVP rule, which is linear in
 * the tangents: the VJP of `t ↦ rule(primals, t)`, taken with this same reverse mode (as JAX transposes the
 * linearised rule). Both are evaluated with ops, so higher derivatives go through them.
 * @module
 */
import { NatgradError, ShapeError } from '../errors.js';
import { add } from '../lax.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { type TreeDef, flattenTree, unflatten } from '../tree.js';
import type { Value } from '../value.js';
import type { CustomCall, CustomJvpCall } from './custom-call.js';
import { instantiate, pushForwardFlat } from './forward.js';
import { flattenValues } from './leaves.js';
import { lowerAux, splitAux } from './options.js';
import type { MaybeValue, Primitive } from './primitive.js';
import { Main, Tracer, bind, bindCustom, checkCaptured, withMain } from './trace.js';

interface TapeNode {
  /** The primitive; null for an input of the traced function, a custom call, or an output of a custom call. */
  readonly prim: Primitive<any> | null;
  readonly params: unknown;
  readonly primals: readonly Value[];
  readonly out: Value;
  /** Tape index of each traced input, −1 for constants. */
  readonly parents: readonly number[];
  /** Set on the node of a custom call. */
  readonly custom: CustomNode | null;
}

interface CustomNode {
  readonly call: CustomCall;
  readonly residuals: unknown;
  /** The primal results, and the tape index of the output node standing for each. */
  readonly outs: readonly Value[];
  readonly outNodes: number[];
}

const NO_OUTPUT = Tensor.scalar(0);

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
      if (prim.nondifferentiable) return bind(prim, primals, params);
      throw new NatgradError('NO_VJP_RULE', `primitive '${prim.name}' has no reverse-mode (VJP) rule`);
    }
    const out = bind(prim, primals, params);
    return this.record({ prim, params, primals, out, parents, custom: null });
  }

  processCustom(call: CustomCall, inputs: readonly Value[]): Value[] {
    const primals = inputs.map((x) => (x instanceof ReverseTracer && x.main === this ? x.primal : x));
    const parents = inputs.map((x) => (x instanceof ReverseTracer && x.main === this ? x.node : -1));
    let outs: Value[];
    let residuals: unknown;
    if (call.kind === 'customJvp') {
      // Bound one level down, so enclosing forward-mode transforms apply the rule to the primal too.
      outs = bindCustom(call, primals);
    } else {
      [outs, residuals] = call.fwd(primals);
      checkCaptured(outs, this.level, call.name, 'fwd');
      checkCaptured(flattenTree(residuals, call.name, 'the residuals of fwd')[0], this.level, call.name, 'fwd');
    }
    const custom: CustomNode = { call, residuals, outs, outNodes: [] };
    this.tape.push({ prim: null, params: undefined, primals, out: NO_OUTPUT, parents, custom });
    return outs.map((o) => {
      const t = this.input(o);
      custom.outNodes.push(t.node);
      return t;
    });
  }

  record(node: TapeNode): ReverseTracer {
    this.tape.push(node);
    return new ReverseTracer(this, node.out, this.tape.length - 1);
  }

  input(primal: Value): ReverseTracer {
    return this.record({ prim: null, params: undefined, primals: [], out: primal, parents: [], custom: null });
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

/** A recorded function of flat leaves. */
export interface FlatRecording {
  readonly tape: readonly TapeNode[];
  readonly inputNodes: readonly number[];
  /** Tape index of each output leaf, −1 for one that does not depend on the inputs. */
  readonly outNodes: readonly number[];
  /** The primal value of each output leaf. */
  readonly outs: readonly Value[];
}

/** A recorded function of trees: also the output structure and the (lowered) aux. */
export interface Recording extends FlatRecording {
  readonly outDef: TreeDef;
  readonly aux: unknown;
}

function unwrap(main: ReverseMain, leaves: readonly MaybeValue[], inputNodes: number[], tape: TapeNode[]): FlatRecording {
  const outNodes: number[] = [];
  const outs: Value[] = [];
  for (const v of leaves) {
    const mine = v instanceof ReverseTracer && v.main === main;
    outNodes.push(mine ? v.node : -1);
    outs.push(mine ? v.primal : (v ?? NO_OUTPUT));
  }
  return { tape, inputNodes, outNodes, outs };
}

/** Records `f` (a function of flat leaves, possibly returning symbolic zeros) at `primals`. */
export function recordFlat(f: (inputs: Value[]) => readonly MaybeValue[], primals: readonly Value[]): FlatRecording {
  const main = new ReverseMain();
  return withMain(main, () => {
    const inputs = primals.map((p) => main.input(p));
    return unwrap(main, f(inputs), inputs.map((t) => t.node), main.tape);
  });
}

/**
 * Records `f` at the argument list `argDef`/`primals`. The output follows the transform leaf rule; with `hasAux`, f
 * returns `[out, aux]` and aux is lowered out of this transform.
 */
export function record(
  f: (...args: any[]) => unknown,
  argDef: TreeDef,
  primals: readonly Value[],
  where: string,
  hasAux: boolean,
): Recording {
  const main = new ReverseMain();
  return withMain(main, () => {
    const inputs = primals.map((p) => main.input(p));
    // Plain statements rather than destructuring and spreads: this runs once per grad, on small problems too.
    let out = f(...unflatten<unknown[]>(argDef, inputs));
    let aux: unknown;
    if (hasAux) {
      const pair = splitAux(out, where);
      out = pair[0];
      aux = lowerAux(pair[1], where);
    }
    const [leaves, outDef] = flattenValues(out, { where, what: 'the output of f' });
    const flat = unwrap(main, leaves, inputs.map((t) => t.node), main.tape);
    return { tape: flat.tape, inputNodes: flat.inputNodes, outNodes: flat.outNodes, outs: flat.outs, outDef, aux };
  });
}

/**
 * Propagates output cotangents (`null`: zero) back through the tape; returns the cotangent of each requested node
 * (`null` where it is zero).
 */
export function backward(
  tape: readonly TapeNode[],
  outNodes: readonly number[],
  cts: readonly MaybeValue[],
  wanted: readonly number[],
): MaybeValue[] {
  const acc = new Array<MaybeValue>(tape.length).fill(null);
  outNodes.forEach((id, k) => {
    const c = cts[k];
    if (id >= 0 && c !== null) acc[id] = accumulate(acc[id], c);
  });
  const keep = new Set(wanted);
  for (let id = tape.length - 1; id >= 0; id--) {
    const node = tape[id];
    if (node.prim === null) {
      // Inputs keep their cotangents; outputs of a custom call are read (and freed) by its node, met later.
      if (node.custom !== null) backwardCustom(node, acc, keep);
      continue;
    }
    const g = acc[id];
    if (g === null) continue;
    const needs = node.parents.map((p) => p >= 0);
    const inCts = node.prim.vjp!(g, node.primals, node.out, node.params, needs);
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

function backwardCustom(node: TapeNode, acc: MaybeValue[], keep: ReadonlySet<number>): void {
  const c = node.custom!;
  const cts = c.outNodes.map((id) => acc[id]);
  for (const id of c.outNodes) if (!keep.has(id)) acc[id] = null;
  if (cts.every((ct) => ct === null)) return;
  const needs = node.parents.map((p) => p >= 0);
  const inCts =
    c.call.kind === 'customJvp'
      ? transposeRule(c.call, node.primals, needs, cts)
      : c.call.bwd(c.residuals, instantiate(cts, c.outs));
  node.parents.forEach((p, i) => {
    const ct = inCts[i];
    if (p >= 0 && ct !== null) acc[p] = accumulate(acc[p], ct);
  });
}

/** The transpose of a linear JVP rule at `primals`, applied to output cotangents: the VJP of `t ↦ rule(primals, t)`. */
function transposeRule(call: CustomJvpCall, primals: readonly Value[], needs: readonly boolean[], cts: readonly MaybeValue[]): MaybeValue[] {
  const wrt = needs.flatMap((n, i) => (n ? [i] : []));
  const rec = recordFlat(
    (ts) => {
      const tin = primals.map((): MaybeValue => null);
      wrt.forEach((i, k) => {
        tin[i] = ts[k];
      });
      const touts = call.rule(primals, tin)[1];
      checkCaptured(touts, Infinity, call.name, 'rule');
      return touts;
    },
    wrt.map((i) => Tensor.zeros(primals[i].shape)),
  );
  const got = backward(rec.tape, rec.outNodes, cts, rec.inputNodes);
  const out = primals.map((): MaybeValue => null);
  wrt.forEach((i, k) => {
    out[i] = got[k];
  });
  return out;
}

/**
 * Replays a recording forwards with JVP rules (`linearize`): the output tangents (`null`: zero) for input tangents
 * `ts`. Costs the tangent work only; the primal values are read from the tape.
 */
export function replayTangents(rec: FlatRecording, ts: readonly MaybeValue[]): MaybeValue[] {
  const tan = new Array<MaybeValue>(rec.tape.length).fill(null);
  rec.inputNodes.forEach((id, i) => {
    tan[id] = ts[i];
  });
  rec.tape.forEach((node, id) => {
    if (node.prim === null && node.custom === null) return;
    const tin = node.parents.map((p) => (p >= 0 ? tan[p] : null));
    if (tin.every((t) => t === null)) return;
    if (node.custom !== null) {
      const c = node.custom;
      const touts =
        c.call.kind === 'customJvp' ? c.call.rule(node.primals, tin)[1] : pushForwardFlat((xs) => c.call.f(xs), node.primals, [tin]).tangents[0];
      checkCaptured(touts, Infinity, c.call.name, c.call.kind === 'customJvp' ? 'rule' : 'f');
      c.outNodes.forEach((oid, k) => {
        tan[oid] = touts[k];
      });
      return;
    }
    const prim = node.prim!;
    if (prim.jvp === undefined) {
      throw new NatgradError('NO_JVP_RULE', `linearize: primitive '${prim.name}' has no forward-mode (JVP) rule`);
    }
    tan[id] = prim.jvp(tin, node.primals, node.out, node.params);
  });
  return rec.outNodes.map((id) => (id >= 0 ? tan[id] : null));
}

/** Throws unless a function's output is one scalar leaf (what `grad` and `hessian` differentiate). */
export function checkScalarOutput(rec: Recording, where: string): Value {
  const v = rec.outs[0];
  if (rec.outDef.kind !== 'leaf' || v.shape.length !== 0) {
    const got = rec.outDef.kind === 'leaf' ? `shape ${formatShape(v.shape)}` : `a tree of ${rec.outs.length} leaves`;
    throw new ShapeError(`${where}: f must return a scalar (shape []), got ${got}`);
  }
  return v;
}
