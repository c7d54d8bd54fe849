/**
 * Forward mode with dual numbers. A {@link JvpTracer} is a dual: a primal value plus `width` tangents (ForwardDiff's
 * chunk of partials), all float64 tensors. Each primitive's primal output is computed once per pass and shared by
 * every tangent in the chunk.
 * @module
 */
import { InvalidArgumentError, NatgradError, ShapeError } from '../errors.js';
import { asValue } from '../convert.js';
import { stack as stackOp } from '../ops/join.js';
import { reshape as reshapeOp } from '../ops/reshape.js';
import { transpose as transposeOp } from '../ops/transpose.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { type TreeDef, describeDiff, treeDefEqual, treeFlatten, treeUnflatten } from '../tree.js';
import type { ArrayInput, Value } from '../value.js';
import type { MaybeValue, Primitive } from './primitive.js';
import { Main, Tracer, bind, checkNotEscaped, withMain } from './trace.js';

class JvpMain extends Main {
  readonly kind = 'jvp';
  constructor(readonly width: number) {
    super();
  }

  process<P>(prim: Primitive<P>, inputs: readonly Value[], params: P): Value {
    const n = inputs.length;
    const primals = new Array<Value>(n);
    for (let i = 0; i < n; i++) {
      const x = inputs[i];
      primals[i] = x instanceof JvpTracer && x.main === this ? x.primal : x;
    }
    if (prim.jvp === undefined) {
      if (prim.decompose !== undefined) return prim.decompose(inputs, params);
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

interface ForwardResult {
  primalOut: unknown;
  tangentsOut: unknown[];
}

/** Flattens an argument list of trees into value leaves. */
export function flattenArgs(args: readonly unknown[], where: string): [Value[], TreeDef] {
  if (!Array.isArray(args)) throw new InvalidArgumentError(`${where}: primals must be an array of arguments`);
  const [leaves, def] = treeFlatten<ArrayInput>(args);
  return [leaves.map((l) => asValue(l)), def];
}

/** One forward pass of `f` at `primals` carrying `tangentSets.length` tangents per input leaf. */
export function forwardPass(
  f: (...args: any[]) => unknown,
  primals: readonly unknown[],
  tangentSets: readonly (readonly unknown[])[],
  where: string,
): ForwardResult {
  const [pLeaves, pDef] = flattenArgs(primals, where);
  const tLeaves = tangentSets.map((tangents, j) => {
    const [leaves, def] = treeFlatten<ArrayInput>(tangents);
    if (!treeDefEqual(pDef, def)) {
      throw new ShapeError(`${where}: tangents have a different structure from primals (${describeDiff(primals, tangents)})`);
    }
    return leaves.map((l, i) => {
      const t = asValue(l);
      if (!shapesEqual(t.shape, pLeaves[i].shape)) {
        throw new ShapeError(
          `${where}: tangent ${j > 0 ? `${j} ` : ''}for input leaf ${i} has shape ${formatShape(t.shape)}, ` +
            `primal has ${formatShape(pLeaves[i].shape)}`,
        );
      }
      return t;
    });
  });
  const main = new JvpMain(tangentSets.length);
  return withMain(main, () => {
    const inputs = pLeaves.map((p, i) => new JvpTracer(main, p, tLeaves.map((ts) => ts[i])));
    const out = f(...treeUnflatten<unknown[]>(pDef, inputs));
    const [oLeaves, oDef] = treeFlatten<ArrayInput>(out);
    const primalsOut: Value[] = [];
    const tangentsOut: Value[][] = tangentSets.map(() => []);
    for (const leaf of oLeaves) {
      const v = asValue(leaf);
      checkNotEscaped(v, where);
      const mine = v instanceof JvpTracer && v.main === main;
      const primal = mine ? v.primal : v;
      primalsOut.push(primal);
      for (let j = 0; j < tangentSets.length; j++) {
        tangentsOut[j].push((mine ? v.tangents[j] : null) ?? Tensor.zeros(primal.shape));
      }
    }
    return {
      primalOut: treeUnflatten(oDef, primalsOut),
      tangentsOut: tangentsOut.map((ts) => treeUnflatten(oDef, ts)),
    };
  });
}

/**
 * Jacobian-vector product (`jax.jvp`): evaluates `f(...primals)` and its directional derivative along `tangents`
 * in one forward pass, never forming a Jacobian.
 *
 * `primals` and `tangents` are argument lists of the same tree structure and leaf shapes; the result is
 * `[f(...primals), ∂f·tangents]` with the structure of `f`'s output.
 * @example
 * const [y, dy] = jvp((x) => ops.sin(x), [Tensor.from([0, 1])], [Tensor.from([1, 1])]);
 * @typeParam F - the function's type; both results have the type of its output.
 */
export function jvp<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
  tangents: readonly unknown[],
): [ReturnType<F>, ReturnType<F>] {
  const r = forwardPass(f, primals, [tangents], 'jvp');
  return [r.primalOut as ReturnType<F>, r.tangentsOut[0] as ReturnType<F>];
}

/**
 * Derivative of `f` at the scalar `x` (ForwardDiff's `derivative`): the tangent of `f(x)` for a unit tangent of x.
 * `f` may return any tree; nested calls are safe (perturbations are tagged by level).
 * @example derivative((x) => ops.mul(x, x), 3) // Tensor 6
 * @typeParam F - the function's type; the result has the type of its output.
 */
export function derivative<F extends (x: Value) => any>(f: F, x: ArrayInput): ReturnType<F> {
  const xv = asValue(x);
  if (xv.size !== 1) {
    throw new ShapeError(`derivative: x must be a scalar, got shape ${formatShape(xv.shape)} (use jvp or jacobian)`);
  }
  return forwardPass(f, [xv], [[Tensor.ones(xv.shape)]], 'derivative').tangentsOut[0] as ReturnType<F>;
}

/** Options of {@link jacobian}. */
export interface JacobianOptions {
  /** Tangents carried per forward pass (ForwardDiff's chunk size). Default `min(16, size of x)`. */
  chunkSize?: number;
}

/**
 * Forward-mode Jacobian (`jax.jacfwd`) of a function of one array: returns `x ↦ J` with
 * `J.shape = [...f(x).shape, ...x.shape]`. The columns are computed `chunkSize` at a time, one pass per chunk.
 */
export function jacobian(f: (x: Value) => ArrayInput, options: JacobianOptions = {}): (x: ArrayInput) => Value {
  const chunk = options.chunkSize ?? 16;
  if (!Number.isInteger(chunk) || chunk < 1) {
    throw new InvalidArgumentError(`jacobian: chunkSize must be a positive integer, got ${chunk}`);
  }
  return (x: ArrayInput): Value => {
    const xv = asValue(x);
    const n = xv.size;
    const cols: Value[] = [];
    let outShape: readonly number[] | undefined;
    for (let k = 0; k < n; k += chunk) {
      const w = Math.min(chunk, n - k);
      const basis = Array.from({ length: w }, (_, j) => [oneHot(xv.shape, k + j)]);
      const r = forwardPass(f, [xv], basis, 'jacobian');
      outShape = asValue(r.primalOut as ArrayInput).shape;
      for (const t of r.tangentsOut) cols.push(reshapeOp(t as Value, [-1]));
    }
    if (outShape === undefined) outShape = asValue(f(xv)).shape;
    const m = outShape.reduce((a, b) => a * b, 1);
    // Stacking the columns as rows and transposing once is far cheaper than interleaving them.
    const flat = cols.length > 0 ? transposeOp(stackOp(cols, 0)) : Tensor.zeros([m, 0]);
    return reshapeOp(flat, [...outShape, ...xv.shape]);
  };
}

function oneHot(shape: readonly number[], index: number): Tensor {
  const t = Tensor.zeros(shape);
  t.data[index] = 1;
  return t;
}
