import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind, primalValue } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { InvalidArgumentError, assertFinite } from '../errors.js';
import { div, equal, expandDims, greater, matmul, maximum, mul, sub, where } from '../ops/index.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { eighFactors, unpackEigh } from './eigh-prim.js';
import { sym } from './helpers.js';
import { readOptions } from './options.js';
import { batchCount } from './packed.js';
import { squareOrder } from './shapes.js';
import { eighPacked, reassemble } from './spectrum.js';

interface NearestPsdParams {
  readonly floor: number;
}

/** Options of {@link nearestPsd}. */
export interface NearestPsdOptions {
  /**
   * The smallest eigenvalue of the result (default 0: the nearest positive-semidefinite matrix). A floor δ > 0 gives
   * the nearest matrix with all eigenvalues ≥ δ, which is positive definite; to be sure a Cholesky factorisation of
   * the result succeeds, take δ well above the round-off of the reassembly, about n·ε·max|λ|.
   */
  floor?: number;
}

/** `V·diag(max(λ, floor))·Vᵀ` for a batch of symmetric matrices (see {@link nearestPsd}). */
export const nearestPsdPrim: Primitive<NearestPsdParams> = definePrimitive<NearestPsdParams>({
  name: 'nearestPsd',
  impl: ([a], { floor }) => {
    const packed = eighPacked(a, 'nearestPsd');
    eighFactors.remember(a, packed); // the rules need the same decomposition
    const n = a.shape[a.shape.length - 1];
    const nb = batchCount(a.shape), size = (n + 1) * n;
    const clipped = new Float64Array(nb * n);
    for (let t = 0; t < nb; t++) for (let i = 0; i < n; i++) clipped[t * n + i] = Math.max(packed.data[t * size + i], floor);
    return reassemble(packed, clipped);
  },
  // dX = V (G ∘ (Vᵀ Ȧ V)) Vᵀ with G the divided differences of λ ↦ max(λ, floor) (Daleckii–Krein)
  jvp: ([t], [s], _, { floor }) => conjugated(s, floor, t!),
  vjp: (ct, [s], _, { floor }) => [conjugated(s, floor, ct)],
});

/** `V (G ∘ (Vᵀ Y V)) Vᵀ`; G is symmetric, so this map is self-adjoint and serves as JVP and VJP. */
function conjugated(s: Value, floor: number, y: Value): Value {
  const { w, v } = unpackEigh(eighFactors.of(s));
  const inner = matmul(v, matmul(y, v), { transposeA: true });
  return matmul(v, matmul(mul(dividedDifferences(w, floor), inner), v, { transposeB: true }));
}

/**
 * Gᵢⱼ = (f(λᵢ) − f(λⱼ))/(λᵢ − λⱼ) for f(λ) = max(λ, floor), and f'(λᵢ) where λᵢ = λⱼ: 1 above the floor, 0 below,
 * ½ on it (the tie rule of `maximum`). Between two values on the same side of the floor the quotient is exactly 1
 * or 0, and across the floor it is a ratio of non-negative numbers ≤ 1, so no cancellation can occur.
 */
function dividedDifferences(w: Value, floor: number): Value {
  const f = maximum(w, floor);
  const df = sub(expandDims(f, -1), expandDims(f, -2));
  const dw = sub(expandDims(w, -1), expandDims(w, -2));
  const tied = equal(primalValue(dw), 0);
  const slope = where(equal(primalValue(w), floor), 0.5, where(greater(primalValue(w), floor), 1, 0));
  return where(tied, expandDims(slope, -1), div(df, where(tied, 1, dw)));
}

/**
 * The nearest symmetric positive-semidefinite matrix (Higham 1988): `V·diag(max(λ, floor))·Vᵀ` from the
 * eigendecomposition of the symmetric part `½(A + Aᵀ)` of each matrix of `a` ([..., n, n]). With the default
 * floor 0 it is the nearest PSD matrix in the Frobenius norm; with floor δ > 0 the nearest matrix whose
 * eigenvalues are all ≥ δ (positive definite). Symmetric input with all eigenvalues ≥ floor comes back unchanged to
 * round-off.
 *
 * Derivative (Daleckii–Krein): dX = V (G ∘ (Vᵀ dA V)) Vᵀ with Gᵢⱼ = (f(λᵢ) − f(λⱼ))/(λᵢ − λⱼ) for f = max(·, floor),
 * f'(λ) = 1 above the floor, 0 below and ½ at it; self-adjoint, so the VJP is the same map. First derivatives are
 * exact at repeated eigenvalues too (G is constant on an eigenspace); second derivatives go through
 * {@link eigh}'s eigenvector rule, so they need distinct eigenvalues ({@link NotDifferentiableError} otherwise).
 * @throws {ShapeError} if not square; {@link NonFiniteError}; {@link InvalidArgumentError} for a negative or
 * non-finite floor or unknown options; {@link ConvergenceError}.
 */
export function nearestPsd<T extends ArrayInput>(a: T, options?: NearestPsdOptions): Result<T> {
  const opts = readOptions('nearestPsd', options, { floor: 'number' });
  const floor = opts.floor ?? 0;
  if (floor < 0) throw new InvalidArgumentError(`nearestPsd: option 'floor' must be ≥ 0, got ${floor}`);
  const v = asValue(a);
  squareOrder(v.shape, 'nearestPsd');
  assertFinite(primalValue(v).data, 'nearestPsd');
  return bind(nearestPsdPrim, [sym(v)], Object.freeze({ floor })) as Result<T>;
}
