/**
 * The adjugate adj(A) — the transposed cofactor matrix, A·adj(A) = adj(A)·A = det(A)·I — exact at singular matrices
 * and differentiable to every order: the derivatives of `det` are built on it.
 * @module
 */
import { jvp } from '../ad/forward.js';
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { vjp } from '../ad/reverse.js';
import { bind, primalValue } from '../ad/trace.js';
import * as lax from '../lax.js';
import { matmul } from '../primitives/matmul.js';
import { prodPrim } from '../primitives/prod.js';
import { type TakeParams, takePrim } from '../primitives/take.js';
import { concatPrim } from '../primitives/concat.js';
import { sizeOfRange } from '../shape.js';
import { Tensor, tensorOf } from '../tensor.js';
import type { Value } from '../value.js';
import { block, join } from './blocks.js';
import { diagonalPrim } from './diagonal.js';
import { adjugateMatrix, adjugatePivots } from './kernels/adjugate.js';
import { permutationSign } from './kernels/determinant.js';
import { luPrim, unpackLu } from './lu-prim.js';
import { luSolvePrim } from './lu-solve.js';
import { permuteRows } from './permute.js';

/**
 * adj(A) of every matrix of a batch [..., n, n], by {@link adjugateMatrix} (about the cost of an inverse, exact at
 * singular matrices). Its derivatives are those of {@link adjugateExpr}, the same formula written with
 * differentiable primitives: JVP and VJP run that expression under a nested transform, so every order is exact.
 */
export const adjugatePrim: Primitive = definePrimitive({
  name: 'adjugate',
  impl: ([a]) => {
    const nd = a.shape.length, n = a.shape[nd - 1], nn = n * n;
    const nb = sizeOfRange(a.shape, 0, nd - 2);
    const out = new Float64Array(a.data.length), seen = new Uint8Array(n);
    for (let t = 0; t < nb; t++) adjugateMatrix(a.data, t * nn, n, out, t * nn, seen);
    return new Tensor(out, a.shape);
  },
  jvp: ([t], [a]) => (jvp(adjugateExpr, [a], [t!]) as [Value, Value])[1],
  vjp: (ct, [a]) => [(vjp(adjugateExpr, [a])[1](ct) as Value[])[0]],
});

/** adj(A) (A·adj(A) = det(A)·I) of every matrix of `a` ([..., n, n]), exact at singular matrices. */
export function adjugate(a: Value): Value {
  return bind(adjugatePrim, [a], undefined);
}

/**
 * adj(A) for every matrix of `a` ([..., n, n]) as an expression of differentiable primitives, without dividing by
 * det(A).
 *
 * The pivoting of A's primal value ({@link adjugatePivots}: partial pivoting when its first n − 1 pivots are clear of
 * round-off, otherwise complete pivoting, rank-revealing) gives permutations with B = P·A·Q whose leading r×r block
 * M₁₁ is nonsingular and well conditioned, r = n − k, k = max(1, n − rank) with the rank counted up to round-off.
 * With W = M₁₁⁻¹M₁₂, V = M₂₁M₁₁⁻¹ and the k×k Schur complement S = M₂₂ − M₂₁W (zero when rank = n − k),
 *   adj(B) = det(M₁₁)·[[det(S)·M₁₁⁻¹ + W adj(S) V, −W adj(S)], [−adj(S) V, adj(S)]],
 * a polynomial in S whose adj(S) and det(S) come from the Faddeev–LeVerrier recurrence (no division by anything that
 * vanishes), and adj(A) = det(P)·det(Q)·Q·adj(B)·P. The permutations are constants, so the expression is smooth in A
 * around the primal point: its derivatives of every order are exact, at singular matrices of any rank too (at rank
 * n − 2 the first derivative of adj(A) is nonzero although adj(A) = 0, and this gives it).
 */
export function adjugateExpr(a: Value): Value {
  const nd = a.shape.length, n = a.shape[nd - 1];
  if (n === 0) return a;
  const x = primalValue(a);
  const nb = sizeOfRange(a.shape, 0, nd - 2), nn = n * n;
  if (nb === 0) return Tensor.zeros(a.shape);
  const rp = new Int32Array(nb * n), cp = new Int32Array(nb * n), ks = new Int32Array(nb), signs = new Float64Array(nb);
  const work = new Float64Array(nn), seen = new Uint8Array(n);
  for (let t = 0; t < nb; t++) {
    const p = adjugatePivots(x.data, t * nn, n, work, seen);
    rp.set(p.rows, t * n);
    cp.set(p.cols, t * n);
    ks[t] = p.k;
    signs[t] = p.sign;
  }
  const k0 = ks[0];
  if (ks.every((k) => k === k0)) return ofGroup(a, rp, cp, signs, k0);
  // Matrices of different ranks take blocks of different sizes: each group separately, then back in order.
  const flat = lax.reshape(a, Object.freeze([nb, n, n]));
  const parts: Value[] = [], order: number[] = [];
  for (const k of new Set(ks)) {
    const idx: number[] = [];
    for (let t = 0; t < nb; t++) if (ks[t] === k) idx.push(t);
    const pick = (src: Int32Array) => {
      const out = new Int32Array(idx.length * n);
      idx.forEach((t, i) => out.set(src.subarray(t * n, t * n + n), i * n));
      return out;
    };
    parts.push(ofGroup(take0(flat, idx), pick(rp), pick(cp), Float64Array.from(idx, (t) => signs[t]), k));
    order.push(...idx);
  }
  const inverse = new Array<number>(nb);
  order.forEach((t, i) => (inverse[t] = i));
  return lax.reshape(take0(bind(concatPrim, parts, { axis: 0 }), inverse), a.shape);
}

/** adj(A) for a batch whose matrices all have the same k (see {@link adjugateExpr}). */
function ofGroup(a: Value, rp: Int32Array, cp: Int32Array, signs: Float64Array, k: number): Value {
  const nd = a.shape.length, n = a.shape[nd - 1], r = n - k;
  const batch = a.shape.slice(0, -2);
  const columns = !cp.every((c, q) => c === q % n); // complete pivoting somewhere in the batch
  const rows = permuteRows(a, rp, false);
  const b = columns ? permuteColumns(rows, cp, false) : rows;
  let adjB: Value;
  if (r === 0) {
    adjB = faddeevLeVerrier(b, k).adj;
  } else {
    const m11 = block(b, 0, r, 0, r), m12 = block(b, 0, r, r, n), m21 = block(b, r, n, 0, r), m22 = block(b, r, n, r, n);
    const { c, perms } = unpackLu(bind(luPrim, [m11], undefined));
    const det11 = lax.mul(
      lax.reshape(bind(prodPrim, [bind(diagonalPrim, [c], undefined)], { axes: [nd - 2] }), Object.freeze([...batch, 1, 1])),
      permutationSigns(perms, r, batch),
    );
    const rhs = join(m12, lax.broadcastTo(Tensor.eye(r), Object.freeze([...batch, r, r])), -1);
    const sol = bind(luSolvePrim, [c, rhs], { transpose: false, perms });
    const w = block(sol, 0, r, 0, k), inv11 = block(sol, 0, r, k, k + r);
    const v = matmul(m21, inv11);
    const { adj: adjS, det: detS } = faddeevLeVerrier(lax.sub(m22, matmul(m21, w)), k);
    const wa = matmul(w, adjS);
    const top = join(lax.add(lax.mul(detS, inv11), matmul(wa, v)), lax.neg(wa), -1);
    const bottom = join(lax.neg(matmul(adjS, v)), adjS, -1);
    adjB = lax.mul(join(top, bottom, -2), det11);
  }
  const adjA = permuteColumns(columns ? permuteRows(adjB, cp, true) : adjB, rp, true);
  return lax.mul(adjA, tensorOf(signs, Object.freeze([...batch, 1, 1])));
}

/**
 * adj(S) and det(S) (as [..., 1, 1]) of k×k matrices by the Faddeev–LeVerrier recurrence: M₁ = I,
 * c_{k−j} = −tr(S Mⱼ)/j, M_{j+1} = S Mⱼ + c_{k−j} I; then det(S) = (−1)ᵏ c₀ and adj(S) = (−1)^{k−1} M_k. Polynomial
 * in S (k matrix products), so exact and smooth at S = 0; only used for small k, where it is also accurate.
 */
function faddeevLeVerrier(s: Value, k: number): { adj: Value; det: Value } {
  const nd = s.shape.length;
  const batch = s.shape.slice(0, -2);
  if (k === 1) return { adj: lax.broadcastTo(Tensor.ones([1, 1]), Object.freeze([...batch, 1, 1])), det: s };
  const eye = Tensor.eye(k);
  let m: Value = eye, c: Value = eye;
  for (let j = 1; j <= k; j++) {
    const sm = matmul(s, m);
    const tr = lax.reshape(lax.sum(bind(diagonalPrim, [sm], undefined), [nd - 2]), Object.freeze([...batch, 1, 1]));
    c = lax.mul(tr, Tensor.scalar(-1 / j));
    if (j < k) m = lax.add(sm, lax.mul(c, eye));
  }
  return { adj: k % 2 === 1 ? m : lax.neg(m), det: k % 2 === 0 ? c : lax.neg(c) };
}

/** Column permutation of every matrix: y[:, j] = x[:, perm[j]] (or, `inverse`, y[:, perm[j]] = x[:, j]). */
function permuteColumns(x: Value, perms: Int32Array, inverse: boolean): Value {
  return lax.matrixTranspose(permuteRows(lax.matrixTranspose(x), perms, inverse));
}

/** det(P) of each permutation (matrix t's at t·n) as a constant [...batch, 1, 1]. */
function permutationSigns(perms: Int32Array, n: number, batch: readonly number[]): Tensor {
  const nb = n === 0 ? 1 : perms.length / n;
  const seen = new Uint8Array(n);
  const out = new Float64Array(nb);
  for (let t = 0; t < nb; t++) out[t] = permutationSign(perms, t * n, n, seen);
  return tensorOf(out, Object.freeze([...batch, 1, 1]));
}

/** `x[idx]` along axis 0 (valid indices). */
function take0(x: Value, idx: readonly number[]): Value {
  const extent = x.shape[0], inner = sizeOfRange(x.shape, 1);
  const shape = x.shape.slice();
  shape[0] = idx.length;
  const p: TakeParams = {
    axis: 0, indices: Int32Array.from(idx), inShape: x.shape, outShape: Object.freeze(shape), outer: 1, extent, inner,
  };
  return bind(takePrim, [x], p);
}
