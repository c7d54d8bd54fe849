/**
 * Forward mode with dual numbers. A {@link JvpTracer} is a dual: a primal value plus `width` tangents (ForwardDiff's
 * chunk of partials), all float64 tensors. Each primitive's primal output is computed once per pass and shared by
 * every tangent in the chunk.
 * @module
 */
import { NatgradError, ShapeError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { type TreeDef, unflatten } from '../tree.js';
import type { ArrayInput, Value } from '../value.js';
import type { CustomCall, CustomJvpCall, CustomVjpCall } from './custom-call.js';
import { flattenArgList, flattenLike, flattenValues } from './leaves.js';
import { booleanOption, checkFunction, lowerAux, readOptions, splitAux } from './options.js';
import type { MaybeValue, Primitive } from './primitive.js';
import { Main, Tracer, bind, bindCustom, checkCaptured, withMain } from './trace.js';

class JvpMain extends Main {
  readonly kind = 'jvp';
  constructor(readonly width: number) {
    super();
  }

  process<P>(prim: Primitive<P>, inputs: readonly Value[], params: P): Value {
    if (prim.jvpFused !== undefined && this.width === 1) {
      const fused = this.fused(prim, inputs, params);
      if (fused !== null) return fused;
    }
    const n = inputs.length;
    const primals = new Array<Value>(n);
    for (let i = 0; i < n; i++) {
      const x = inputs[i];
      primals[i] = x instanceof JvpTracer && x.main === this ? x.primal : x;
    }
    if (prim.jvp === undefined) {
      if (prim.nondifferentiable) return bind(prim, primals, params);
      throw new NatgradError('NO_JVP_RULE', `primitive '${prim.name}' has no forward-mode (JVP) rule`);
    }
    const out = bind(prim, primals, params);
    const tangentsOut = new Array<MaybeValue>(this.width);
    const tin = new Array<MaybeValue>(n);
    let any = false;
    for (let j = 0; j < this.width; j++) {
      let anyIn = false;
      for (let i = 0; i < n; i++) {
        const x = inputs[i];
        const t = x instanceof JvpTracer && x.main === this ? x.tangents[j] : null;
        tin[i] = t;
        if (t !== null) anyIn = true;
      }
      const t = anyIn ? prim.jvp(tin, primals, out, params) : null;
      if (t !== null && !shapesEqual(t.shape, out.shape)) {
        throw new NatgradError(
          'BAD_JVP_RULE',
          `JVP rule of '${prim.name}' returned shape ${formatShape(t.shape)} for an output of shape ${formatShape(out.shape)}`,
        );
      }
      tangentsOut[j] = t;
      if (t !== null) any = true;
    }
    // An output with only zero tangents is a constant at this level: drop the tracer.
    return any ? new JvpTracer(this, out, tangentsOut) : out;
  }

  /**
   * A primitive's one-pass primal-and-tangent kernel (`Primitive.jvpFused`), when every primal and tangent is a
   * concrete tensor: the common first-order case, where the rule path would run the primal kernel and then one
   * kernel per term of the rule, each allocating. Null when it does not apply (then the rule path runs).
   */
  private fused<P>(prim: Primitive<P>, inputs: readonly Value[], params: P): Value | null {
    const n = inputs.length;
    const primals = new Array<Tensor>(n);
    const tangents = new Array<Tensor | null>(n);
    for (let i = 0; i < n; i++) {
      const x = inputs[i];
      const mine = x instanceof JvpTracer && x.main === this;
      const p = mine ? x.primal : x;
      const t = mine ? x.tangents[0] : null;
      if (!(p instanceof Tensor) || (t !== null && !(t instanceof Tensor))) return null;
      primals[i] = p;
      tangents[i] = t;
    }
    const r = prim.jvpFused!(primals, tangents, params);
    return r === null ? null : new JvpTracer(this, r[0], [r[1]]);
  }

  processCustom(call: CustomCall, inputs: readonly Value[]): Value[] {
    const primals = inputs.map((x) => (x instanceof JvpTracer && x.main === this ? x.primal : x));
    const sets: (MaybeValue[] | null)[] = [];
    for (let j = 0; j < this.width; j++) {
      const tin = inputs.map((x) => (x instanceof JvpTracer && x.main === this ? x.tangents[j] : null));
      sets.push(tin.some((t) => t !== null) ? tin : null);
    }
    if (sets.every((s) => s === null)) return bindCustom(call, primals);
    return call.kind === 'customJvp' ? this.applyJvpRule(call, primals, sets) : this.throughF(call, primals, sets);
  }

  /** The custom rule, evaluated one level down (so enclosing transforms differentiate the rule itself), per tangent set. */
  private applyJvpRule(call: CustomJvpCall, primals: Value[], sets: (MaybeValue[] | null)[]): Value[] {
    let outs: Value[] | null = null;
    const touts = sets.map((tin) => {
      if (tin === null) return null;
      const [p, t] = call.rule(primals, tin);
      // Arguments live below this level: a tracer of this level or above was captured by the rule.
      checkCaptured(p, this.level, call.name, 'rule');
      checkCaptured(t, this.level, call.name, 'rule');
      outs ??= p;
      return t;
    });
    return this.dual(outs!, touts);
  }

  /**
   * Forward mode of a `customVjp` function differentiates through `f`. The primal is the custom call bound one level
   * down, so enclosing reverse-mode transforms still use the custom VJP; the tangents come from a forward pass of f.
   */
  private throughF(call: CustomVjpCall, primals: Value[], sets: (MaybeValue[] | null)[]): Value[] {
    const outs = bindCustom(call, primals);
    const live = sets.filter((s): s is MaybeValue[] => s !== null);
    const r = pushForwardFlat((xs) => call.f(xs), primals, live);
    for (const ts of r.tangents) checkCaptured(ts, this.level, call.name, 'f');
    let k = 0;
    return this.dual(outs, sets.map((s) => (s === null ? null : r.tangents[k++])));
  }

  private dual(outs: readonly Value[], touts: readonly (readonly MaybeValue[] | null)[]): Value[] {
    return outs.map((o, i) => {
      const ts = touts.map((t) => (t === null ? null : t[i]));
      return ts.some((t) => t !== null) ? new JvpTracer(this, o, ts) : o;
    });
  }
}

/** A dual number of tensors: a primal and a chunk of tangents, tagged by the transform that owns it. */
class JvpTracer extends Tracer {
  constructor(
    readonly main: JvpMain,
    readonly primal: Value,
    readonly tangents: readonly MaybeValue[],
  ) {
    super();
  }
}

/** The flat result of a forward pass: output leaves, and per tangent set the output tangents (`null`: zero). */
export interface FlatForward {
  readonly primals: Value[];
  readonly tangents: MaybeValue[][];
}

/** One forward pass of a flat function carrying `tangentSets.length` tangents per input leaf (`null`: zero). */
export function pushForwardFlat(
  f: (inputs: Value[]) => readonly Value[],
  primals: readonly Value[],
  tangentSets: readonly (readonly MaybeValue[])[],
): FlatForward {
  const main = new JvpMain(tangentSets.length);
  return withMain(main, () => unwrapOutputs(main, f(tracers(main, primals, tangentSets)), tangentSets.length));
}

/** A forward pass of a function of trees: its output structure, flat outputs and tangents, and (lowered) aux. */
export interface ForwardResult extends FlatForward {
  readonly outDef: TreeDef;
  readonly aux: unknown;
}

/**
 * One forward pass of `f` at the argument list described by `argDef`/`primals` carrying `tangentSets.length` tangents
 * per input leaf. The output follows the transform leaf rule (`leaves.ts`); with `hasAux`, f returns `[out, aux]`
 * and aux comes back lowered out of this transform.
 */
export function pushForward(
  f: (...args: any[]) => unknown,
  argDef: TreeDef,
  primals: readonly Value[],
  tangentSets: readonly (readonly MaybeValue[])[],
  where: string,
  hasAux: boolean,
): ForwardResult {
  const main = new JvpMain(tangentSets.length);
  return withMain(main, () => {
    // Plain statements rather than destructuring and spreads: this runs once per jvp, on small problems too.
    let out = f(...unflatten<unknown[]>(argDef, tracers(main, primals, tangentSets)));
    let aux: unknown;
    if (hasAux) {
      const pair = splitAux(out, where);
      out = pair[0];
      aux = lowerAux(pair[1], where);
    }
    const [leaves, outDef] = flattenValues(out, { where, what: 'the output of f' });
    const flat = unwrapOutputs(main, leaves, tangentSets.length);
    return { primals: flat.primals, tangents: flat.tangents, outDef, aux };
  });
}

function tracers(main: JvpMain, primals: readonly Value[], sets: readonly (readonly MaybeValue[])[]): Value[] {
  const out = new Array<Value>(primals.length);
  for (let i = 0; i < primals.length; i++) {
    const ts = new Array<MaybeValue>(sets.length);
    let any = false;
    for (let j = 0; j < sets.length; j++) {
      const t = sets[j][i];
      ts[j] = t;
      if (t !== null) any = true;
    }
    // A leaf with no tangent in any set is a constant of this pass.
    out[i] = any ? new JvpTracer(main, primals[i], ts) : primals[i];
  }
  return out;
}

function unwrapOutputs(main: JvpMain, leaves: readonly Value[], width: number): FlatForward {
  const n = leaves.length;
  const primals = new Array<Value>(n);
  const tangents: MaybeValue[][] = [];
  for (let j = 0; j < width; j++) tangents.push(new Array<MaybeValue>(n));
  for (let i = 0; i < n; i++) {
    const v = leaves[i];
    const mine = v instanceof JvpTracer && v.main === main;
    primals[i] = mine ? v.primal : v;
    for (let j = 0; j < width; j++) tangents[j][i] = mine ? v.tangents[j] : null;
  }
  return { primals, tangents };
}

/** Zeros in place of symbolic-zero tangents. */
export function instantiate(ts: readonly MaybeValue[], like: readonly Value[]): Value[] {
  return ts.map((t, i) => t ?? Tensor.zeros(like[i].shape));
}

/**
 * The output part of a function returning `[output, aux]` (`any` when its type is not such a pair).
 * @typeParam F - the function's type.
 */
export type OutputOf<F extends (...args: any[]) => any> = ReturnType<F> extends readonly [infer O, unknown] ? O : any;
/**
 * The aux part of a function returning `[output, aux]` (`any` when its type is not such a pair).
 * @typeParam F - the function's type.
 */
export type AuxOf<F extends (...args: any[]) => any> = ReturnType<F> extends readonly [unknown, infer A] ? A : any;

/** Options of {@link jvp} and {@link linearize}. */
export interface JvpOptions {
  /** `f` returns `[output, aux]`; `aux` is returned as a third result, not differentiated. Default false. */
  hasAux?: boolean;
}

/**
 * Jacobian-vector product (`jax.jvp`): evaluates `f(...primals)` and its directional derivative along `tangents`
 * in one forward pass, never forming a Jacobian.
 *
 * `primals` is the argument list; each argument is a tree (arrays and plain objects) of tensors, numbers or nested
 * arrays of numbers — a nested array of numbers is one array leaf, e.g. a matrix `[[4, 1], [1, 3]]`. `tangents` has
 * the same structure and leaf shapes. The result is `[f(...primals), ∂f·tangents]` with the structure of f's
 * output (whose nested arrays of numbers likewise become tensors). With `{ hasAux: true }`, f returns
 * `[output, aux]` and the result is `[output, tangent, aux]`, aux undifferentiated.
 * @throws {ShapeError} when `tangents` do not match `primals` in structure or shape (the message gives the path).
 * @throws {TracerEscapeError} when an input is a tracer of a transform that has already returned.
 * @example
 * const [y, dy] = jvp((x) => ops.sin(x), [Tensor.from([0, 1])], [Tensor.from([1, 1])]);
 * @typeParam F - the function's type; both results have the type of its output.
 */
export function jvp<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
  tangents: readonly unknown[],
): [ReturnType<F>, ReturnType<F>];
export function jvp<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
  tangents: readonly unknown[],
  options: JvpOptions & { hasAux: true },
): [OutputOf<F>, OutputOf<F>, AuxOf<F>];
export function jvp<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
  tangents: readonly unknown[],
  options?: JvpOptions,
): [ReturnType<F>, ReturnType<F>] | [unknown, unknown, unknown];
export function jvp(
  f: (...args: any[]) => any,
  primals: readonly unknown[],
  tangents: readonly unknown[],
  options?: JvpOptions,
): unknown[] {
  checkFunction(f, 'jvp');
  const hasAux = booleanOption(readOptions(options, 'jvp', ['hasAux']).hasAux, 'jvp', 'hasAux');
  const [pLeaves, pDef] = flattenArgList(primals, { where: 'jvp', what: 'primals' });
  const tLeaves = flattenLike(tangents, pDef, pLeaves, { where: 'jvp', what: 'tangents' }, false, true);
  const r = pushForward(f, pDef, pLeaves, [tLeaves], 'jvp', hasAux);
  const out = [unflatten(r.outDef, r.primals), unflatten(r.outDef, instantiate(r.tangents[0], r.primals))];
  return hasAux ? [...out, r.aux] : out;
}

/**
 * Derivative of `f` at the scalar `x` (ForwardDiff's `derivative`): the tangent of `f(x)` for a unit tangent of x.
 * `f` may return any tree; nested calls are safe (perturbations are tagged by level).
 * @example derivative((x) => ops.mul(x, x), 3) // Tensor 6
 * @typeParam F - the function's type; the result has the type of its output.
 */
export function derivative<F extends (x: Value) => any>(f: F, x: ArrayInput): ReturnType<F> {
  checkFunction(f, 'derivative');
  const [leaves, def] = flattenArgList([x], { where: 'derivative', what: 'x' });
  if (leaves.length !== 1 || leaves[0].size !== 1 || def.kind !== 'array' || def.children[0].kind !== 'leaf') {
    const got = leaves.length === 1 && def.kind === 'array' && def.children[0].kind === 'leaf' ? `shape ${formatShape(leaves[0].shape)}` : 'a tree';
    throw new ShapeError(`derivative: x must be a scalar, got ${got} (use jvp or jacfwd)`);
  }
  const r = pushForward(f, def, leaves, [[Tensor.ones(leaves[0].shape)]], 'derivative', false);
  return unflatten(r.outDef, instantiate(r.tangents[0], r.primals)) as ReturnType<F>;
}
