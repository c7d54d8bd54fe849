/**
 * Elementwise primitives from a table entry, in the manner of ForwardDiff's DiffRules and JAX's `defjvp`: an op gives
 * its kernel loop and, per argument, one derivative rule `g ↦ g · ∂y/∂x` written with ops. Because the Jacobian of an
 * elementwise op is diagonal (after broadcasting), that one rule is both directions: the JVP applies it to a tangent,
 * the VJP to a cotangent. Broadcasting, symbolic zeros and the unbroadcasting of cotangents are handled here, once.
 * @module
 */
import { type MaybeValue, type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { allocF64 } from '../kernels/alloc.js';
import { type BinaryLoop, applyBinary } from '../kernels/broadcast.js';
import type { UnaryLoop } from '../kernels/unary.js';
import { tensorOf } from '../tensor.js';
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
}

/** A unary elementwise primitive: the loop over the input, and the JVP and VJP both given by `derivative`. */
export function unaryPrimitive(entry: UnaryEntry): Primitive {
  const { name, loop, derivative: d } = entry;
  const impl = ([x]: readonly import('../tensor.js').Tensor[]) => {
    const n = x.data.length;
    const o = allocF64(n);
    loop(x.data, o, n);
    return tensorOf(o, x.shape);
  };
  if (d === undefined) return definePrimitive({ name, impl, nondifferentiable: true });
  return definePrimitive({
    name,
    impl,
    jvp: ([t], [x], y) => d(t!, x, y),
    vjp: (ct, [x], y) => [d(ct, x, y)],
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
}

/** A binary elementwise primitive broadcasting its operands (NumPy rules; mismatches name the op). */
export function binaryPrimitive<P = undefined>(entry: BinaryEntry<P>): Primitive<P> {
  const { name, loop, derivatives, linear } = entry;
  const impl = ([x, y]: readonly import('../tensor.js').Tensor[], p: P) => applyBinary(loop, x, y, p, name);
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
  });
  return prim;
}
