/**
 * Elementwise primitives from a table entry, in the manner of ForwardDiff's DiffRules and JAX's `defjvp`: an op gives
 * its kernel loop and, per argument, one derivative rule `g ↦ g · ∂y/∂x` written with ops. Because the Jacobian of an
 * elementwise op is diagonal (after broadcasting), that one rule is both directions: the JVP applies it to a tangent,
 * the VJP to a cotangent. Broadcasting, symbolic zeros and the unbroadcasting of cotangents are handled here, once.
 * @module
 */
import { type MaybeValue, type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { allocUninitialized } from '../kernels/alloc.js';
import { type BinaryLoop, applyBinary } from '../kernels/broadcast.js';
import type { BinaryDualLoop, UnaryDualLoop } from '../kernels/dual.js';
import type { UnaryLoop } from '../kernels/unary.js';
import { shapesEqual } from '../shape.js';
import { type Tensor, tensorOf } from '../tensor.js';
import type { Value } from '../value.js';
import * as lax from '../lax.js';

/**
 * `g ↦ g · f'(x)` for a unary op `y = f(x)`: linear and elementwise in `g`, written with ops so that it is itself
 * differentiable. `y` is the primal output (e.g. `exp`'s rule is `g·y`).
 */
export type UnaryDerivative = (g: Value, x: Value, y: Value) => Value;

/**
 * `g ↦ g · ∂f/∂xᵢ` for one argument of a binary op `out = f(x, y)` with parameters `p`; `g` has the shape of that
 * argument (a tangent) or of the output (a cotangent), and the result broadcasts to the output's shape.
 */
export type BinaryDerivative<P> = (g: Value, x: Value, y: Value, out: Value, p: P) => Value;

/** Table entry of a unary elementwise primitive. */
export interface UnaryEntry {
  readonly name: string;
  readonly loop: UnaryLoop;
  /** The derivative rule; omitted for piecewise-constant ops (sign, isNaN…), whose derivative is zero. */
  readonly derivative?: UnaryDerivative;
  /**
   * Optional dual-number loop (`kernels/dual.ts`): output and tangent in one pass, computing exactly what `loop` and
   * `derivative` compute. Forward mode's first-order fast path (`Primitive.jvpFused`).
   */
  readonly dual?: UnaryDualLoop;
}

/** A unary elementwise primitive: the loop over the input, and the JVP and VJP both given by `derivative`. */
export function unaryPrimitive(entry: UnaryEntry): Primitive {
  const { name, loop, derivative: d, dual } = entry;
  const impl = ([x]: readonly Tensor[]) => {
    const n = x.data.length;
    const o = allocUninitialized(n);
    loop(x.data, o, n);
    return tensorOf(o, x.shape);
  };
  if (d === undefined) return definePrimitive({ name, impl, nondifferentiable: true });
  return definePrimitive({
    name,
    impl,
    jvp: ([t], [x], y) => d(t!, x, y),
    vjp: (ct, [x], y) => [d(ct, x, y)],
    ...(dual && {
      jvpFused: ([x]: readonly Tensor[], [t]: readonly (Tensor | null)[]): readonly [Tensor, Tensor] => {
        const n = x.data.length;
        const o = allocUninitialized(n), dt = allocUninitialized(n);
        dual(x.data, t!.data, o, dt, n);
        return [tensorOf(o, x.shape), tensorOf(dt, x.shape)];
      },
    }),
  });
}

/** Table entry of a binary elementwise (broadcasting) primitive with parameters `P`. */
export interface BinaryEntry<P> {
  readonly name: string;
  readonly loop: BinaryLoop<P>;
  /** The derivative rules for x and y; omitted for comparisons and other piecewise-constant ops. */
  readonly derivatives?: readonly [BinaryDerivative<P>, BinaryDerivative<P>];
  /**
   * The op is linear in (x, y) jointly (add, sub): with both tangents present its JVP is the op applied to the
   * tangents, one pass instead of two.
   */
  readonly linear?: boolean;
  /**
   * Optional dual-number loops (`kernels/dual.ts`) for same-shape and scalar operands: with both tangents, with only
   * x's, with only y's (`null`: the tangent passes through unchanged, as for add). Forward mode's first-order fast
   * path; each computes exactly what `loop` and the derivative rules compute.
   */
  readonly dual?: { readonly both: BinaryDualLoop; readonly onlyX: BinaryDualLoop | null; readonly onlyY: BinaryDualLoop | null };
}

const NO_TANGENT = new Float64Array(0);

/**
 * The fused JVP of a binary op for operands of one shape, or a scalar-sized operand against any (stride 0); null for
 * other broadcasts, and where a tangent would have to be broadcast on its own.
 */
function binaryJvpFused<P>(
  entry: BinaryEntry<P>,
  dual: NonNullable<BinaryEntry<P>['dual']>,
  x: Tensor, y: Tensor, tx: Tensor | null, ty: Tensor | null, p: P,
): readonly [Tensor, Tensor] | null {
  let shape = x.shape, sx = 1, sy = 1;
  if (!shapesEqual(x.shape, y.shape)) {
    if (x.data.length === 1 && x.shape.length <= y.shape.length) {
      shape = y.shape;
      sx = 0;
    } else if (y.data.length === 1 && y.shape.length <= x.shape.length) {
      sy = 0;
    } else {
      return null;
    }
  }
  const loop = tx !== null && ty !== null ? dual.both : tx !== null ? dual.onlyX : dual.onlyY;
  if (loop === null) {
    // the derivative in the one traced argument is the identity: its tangent is the output's, if it is full-size
    const t = tx ?? ty!;
    if ((tx !== null ? sx : sy) === 0) return null;
    return [applyBinary(entry.loop, x, y, p, entry.name), t];
  }
  const n = x.data.length === 1 && sx === 0 ? y.data.length : x.data.length;
  const o = allocUninitialized(n), t = allocUninitialized(n);
  loop(x.data, sx, y.data, sy, tx === null ? NO_TANGENT : tx.data, sx, ty === null ? NO_TANGENT : ty.data, sy, o, t, n);
  return [tensorOf(o, shape), tensorOf(t, shape)];
}

/** A binary elementwise primitive broadcasting its operands (NumPy rules; mismatches name the op). */
export function binaryPrimitive<P = undefined>(entry: BinaryEntry<P>): Primitive<P> {
  const { name, loop, derivatives, linear, dual } = entry;
  const impl = ([x, y]: readonly Tensor[], p: P) => applyBinary(loop, x, y, p, name);
  if (derivatives === undefined) return definePrimitive<P>({ name, impl, nondifferentiable: true });
  const [dx, dy] = derivatives;
  const prim: Primitive<P> = definePrimitive<P>({
    name,
    impl,
    jvp: ([tx, ty], [x, y], out, p) => {
      if (linear && tx !== null && ty !== null) return lax.toShape(bind(prim, [tx, ty], p), out.shape);
      const terms: MaybeValue[] = [tx === null ? null : dx(tx, x, y, out, p), ty === null ? null : dy(ty, x, y, out, p)];
      return lax.sumTerms(out.shape, terms[0], terms[1]);
    },
    vjp: (ct, [x, y], out, p, needs) => [
      needs[0] ? lax.unbroadcast(dx(ct, x, y, out, p), x.shape) : null,
      needs[1] ? lax.unbroadcast(dy(ct, x, y, out, p), y.shape) : null,
    ],
    ...(dual && {
      jvpFused: ([x, y]: readonly Tensor[], [tx, ty]: readonly (Tensor | null)[], p: P) => binaryJvpFused(entry, dual, x, y, tx, ty, p),
    }),
  });
  return prim;
}
