import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { NonFiniteError, ShapeError, assertFinite } from '../errors.js';
import * as lax from '../lax.js';
import { formatShape, sizeOfRange } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { block, join, zerosBlock } from './blocks.js';
import { ExpmWorkspace, expmFrechetMatrix, expmMatrix } from './kernels/expm.js';
import { squareOrder } from './shapes.js';

/** Throws NonFiniteError when a result overflowed (the input was finite: checked first). */
function assertNoOverflow(out: Float64Array, where: string, shape: readonly number[]): void {
  for (let q = 0; q < out.length; q++) {
    const v = out[q];
    if (v - v !== 0) throw new NonFiniteError(`${where}: the result overflows float64`, q, v, shape);
  }
}

/**
 * The matrix exponential of each square matrix, by scaling and squaring with Padé approximants (Al-Mohy & Higham
 * 2009, as scipy). JVP: the Fréchet derivative L(A, Ȧ); VJP: its adjoint L(Aᵀ, Ḡ) (Najfeld & Havel: the adjoint of
 * L(A, ·) is L(Aᵀ, ·)).
 */
export const expmPrim: Primitive = definePrimitive({
  name: 'expm',
  impl: ([a]) => {
    const n = squareOrder(a.shape, 'expm');
    assertFinite(a.data, 'expm', a.shape);
    const nn = n * n, nb = sizeOfRange(a.shape, 0, a.shape.length - 2);
    const out = new Float64Array(a.data.length);
    const ws = new ExpmWorkspace(n);
    for (let t = 0; t < nb; t++) expmMatrix(a.data, t * nn, out, t * nn, ws, t);
    assertNoOverflow(out, 'expm', a.shape);
    return new Tensor(out, a.shape);
  },
  jvp: ([t], [a]) => bind(expmFrechetPrim, [a, t!], undefined),
  vjp: (ct, [a]) => [bind(expmFrechetPrim, [lax.matrixTranspose(a), ct], undefined)],
});

/**
 * L(A, E) = d/dh expm(A + hE) at h = 0 for square A and E of the same shape (Al-Mohy & Higham 2009, Algorithm 6.4).
 * Its own derivatives come from the block identity expm([[A, E], [0, A]]) = [[e^A, L(A, E)], [0, e^A]]: L is linear
 * in E, and in A its derivative along Ȧ is the (1, 2) block of L([[A, E], [0, A]], [[Ȧ, Ė], [0, Ȧ]]) — the same
 * primitive at twice the order, so every derivative order is exact. The VJP is the adjoint of that: the diagonal
 * blocks (Ā) and the (1, 2) block (Ē) of L([[A, E], [0, A]]ᵀ, [[0, Ḡ], [0, 0]]).
 */
export const expmFrechetPrim: Primitive = definePrimitive({
  name: 'expmFrechet',
  impl: ([a, e]) => {
    const n = squareOrder(a.shape, 'expmFrechet');
    assertFinite(a.data, 'expmFrechet (matrix)', a.shape);
    assertFinite(e.data, 'expmFrechet (direction)', e.shape);
    const nn = n * n, nb = sizeOfRange(a.shape, 0, a.shape.length - 2);
    const out = new Float64Array(a.data.length);
    const ws = new ExpmWorkspace(n);
    for (let t = 0; t < nb; t++) expmFrechetMatrix(a.data, t * nn, e.data, t * nn, out, t * nn, ws, t);
    assertNoOverflow(out, 'expmFrechet', a.shape);
    return new Tensor(out, a.shape);
  },
  jvp: ([tA, tE], [a, e]) => {
    if (tA === null) return tE === null ? null : bind(expmFrechetPrim, [a, tE], undefined);
    const n = a.shape[a.shape.length - 1];
    const big = blockUpper(a, e), dir = blockUpper(tA, tE ?? zerosBlock(a, n, n));
    return block(bind(expmFrechetPrim, [big, dir], undefined), 0, n, n, 2 * n);
  },
  vjp: (ct, [a, e], _, __, needs) => {
    if (!needs[0]) return [null, bind(expmFrechetPrim, [lax.matrixTranspose(a), ct], undefined)];
    const n = a.shape[a.shape.length - 1];
    const z = zerosBlock(a, n, n);
    const g = join(join(z, ct, -1), join(z, z, -1), -2);
    const l = bind(expmFrechetPrim, [lax.matrixTranspose(blockUpper(a, e)), g], undefined);
    return [lax.add(block(l, 0, n, 0, n), block(l, n, 2 * n, n, 2 * n)), needs[1] ? block(l, 0, n, n, 2 * n) : null];
  },
});

/** [[X, Y], [0, X]] for every matrix of the batch. */
function blockUpper(x: Value, y: Value): Value {
  const n = x.shape[x.shape.length - 1];
  return join(join(x, y, -1), join(zerosBlock(x, n, n), x, -1), -2);
}

/**
 * Matrix exponential `e^A = Σ Aᵏ/k!` of each square matrix of `a` ([..., n, n]), as `scipy.linalg.expm` /
 * `jax.scipy.linalg.expm`: scaling and squaring with a Padé approximant of degree 3, 5, 7, 9 or 13 chosen from
 * ‖Aᵏ‖^{1/k} and the backward-error bound of Al-Mohy & Higham (2009), which avoids the overscaling of non-normal
 * matrices; accurate to a few ulps relative to ‖e^A‖ for ‖A‖ up to the float64 range of the result.
 *
 * Derivatives: JVP dA ↦ L(A, dA), the Fréchet derivative, by Al-Mohy & Higham's algorithm for it (≈ 3× the cost of
 * expm); VJP Ḡ ↦ L(Aᵀ, Ḡ). Higher derivatives are exact too, through the block identity
 * expm([[A, E], [0, A]]) = [[e^A, L(A, E)], [0, e^A]] (each order doubles the matrix size).
 * @throws {NonFiniteError} on NaN/∞ input, and when the result overflows float64 (e.g. ‖A‖ ≳ 710 along a positive
 * eigenvalue); {@link ShapeError} if not square.
 */
export function expm<T extends ArrayInput>(a: T): Result<T> {
  const v = toValue(a, 'expm', 'a');
  squareOrder(v.shape, 'expm');
  return bind(expmPrim, [v], undefined) as Result<T>;
}

/**
 * The Fréchet derivative of the matrix exponential, `L(A, E) = lim_{h→0} (expm(A + hE) − expm(A)) / h`, for each
 * pair of square matrices (`a` and `e` of the same shape [..., n, n]), as `scipy.linalg.expm_frechet(A, E,
 * compute_expm=False)`: the JVP of {@link expm}, linear in E. Differentiable in both arguments (see expm).
 * @throws {NonFiniteError} on NaN/∞ input or an overflowing result; {@link ShapeError} if not square or the shapes
 * differ.
 */
export function expmFrechet<A extends ArrayInput, E extends ArrayInput>(a: A, e: E): Result<A | E> {
  const av = toValue(a, 'expmFrechet', 'a'), ev = toValue(e, 'expmFrechet', 'e');
  squareOrder(av.shape, 'expmFrechet');
  if (av.shape.length !== ev.shape.length || av.shape.some((d, i) => d !== ev.shape[i])) {
    throw new ShapeError(`expmFrechet: a and e must have the same shape, got ${formatShape(av.shape)} and ${formatShape(ev.shape)}`);
  }
  return bind(expmFrechetPrim, [av, ev], undefined) as Result<A | E>;
}
