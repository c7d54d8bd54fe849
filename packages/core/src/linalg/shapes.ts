/** Shape rules shared by the linear-algebra ops. @module */
import { ShapeError } from '../errors.js';
import { type Shape, broadcastShapes, formatShape } from '../shape.js';

/** The order n of a batch of square matrices `[..., n, n]`; otherwise a {@link ShapeError} naming `where`. */
export function squareOrder(shape: Shape, where: string, what = 'matrix'): number {
  const nd = shape.length;
  if (nd < 2 || shape[nd - 1] !== shape[nd - 2]) {
    throw new ShapeError(`${where}: ${what} must be square with shape [..., n, n], got ${formatShape(shape)}`);
  }
  return shape[nd - 1];
}

/** Rank ≥ 2 check for the structural ops. */
export function matrixRank(shape: Shape, where: string): void {
  if (shape.length < 2) throw new ShapeError(`${where}: needs a matrix (rank ≥ 2), got shape ${formatShape(shape)}`);
}

/**
 * Whether the right-hand side `b` of a solve against `a` ([..., n, n]) is a (batch of) vector(s): rank 1, or one rank
 * below `a` (the rule of `jax.numpy.linalg.solve`). Otherwise it is a batch of matrices [..., n, m].
 */
export function isVectorRhs(a: Shape, b: Shape): boolean {
  return b.length === 1 || b.length === a.length - 1;
}

/**
 * Shapes of a solve `op(A) X = B` with `A` [..., n, n] and `B` [..., n, m] (or, from the right, `X op(A) = B` with
 * `B` [..., m, n]): batch axes broadcast like matmul.
 */
export interface SolveShapes {
  readonly n: number;
  /** The other extent of `B`: its columns (left solve) or rows (right solve). */
  readonly m: number;
  readonly batch: Shape;
  readonly aBatch: Shape;
  readonly bBatch: Shape;
}

/** The first `n` extents of `shape`. */
function leading(shape: Shape, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = shape[i];
  return out;
}

export function solveShapes(a: Shape, b: Shape, where: string, left = true): SolveShapes {
  const n = squareOrder(a, where, 'coefficient matrix');
  if (b.length < 2 || b[b.length - (left ? 2 : 1)] !== n) {
    const expected = left ? `[..., ${n}, m] or [..., ${n}]` : `[..., m, ${n}] or [..., ${n}] (solving from the right)`;
    throw new ShapeError(
      `${where}: right-hand side must have shape ${expected} to match the ${n}×${n} matrix: ` +
        `shapes ${formatShape(a)} and ${formatShape(b)}`,
    );
  }
  // Index loops, not slice: shapes are frozen and V8's slice is slow on frozen arrays.
  const aBatch = leading(a, a.length - 2), bBatch = leading(b, b.length - 2);
  const batch = broadcastShapes(aBatch, bBatch, `${where} (batch axes)`);
  return { n, m: b[b.length - (left ? 1 : 2)], batch, aBatch, bBatch };
}
