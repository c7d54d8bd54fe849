import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { primalValue } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { assertFinite } from '../errors.js';
import * as lax from '../lax.js';
import { matmul } from '../primitives/matmul.js';
import { sizeOfRange } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import { block, join, padColumns, unitLower, upper } from './blocks.js';
import { triangle } from './helpers.js';
import { permuteRows } from './permute.js';
import { solveTriangular } from './triangular-solve.js';

/**
 * LU factorisation with partial pivoting of a batch of m×n matrices, `P·A = L·U` (LAPACK `getrf`), packed as
 * [..., m, n + 1]: the first n columns hold L strictly below the diagonal (unit diagonal implied, m × min(m, n)) and U
 * on and above it (min(m, n) × n); column n holds the permutation, `perm[i]` = the row of A in row i of P·A. A
 * singular matrix factors too (U then has a zero on its diagonal), as LAPACK and JAX.
 *
 * Derivatives (De Hoog, Anderssen & Lukas; JAX's `lu` JVP) with X = P·dA, k = min(m, n), L₁ the top k×k block of L,
 * L₂ the rest, U₁' the top-left (k−1)×(k−1) block of U: G = L₁⁻¹ X[:k], Φ = tril(G[:, :k−1] U₁'⁻¹, −1) (k×(k−1)),
 * dL₁ = L₁ Φ, dU = triu(G − Φ U[:k−1]), and for tall matrices dL₂ = (X[k:] − L₂ dU) U⁻¹. Only the first k − 1 pivots
 * are divided by, so the derivative of a square matrix exists whose last pivot is zero (it does: the factorisation
 * is smooth there); the permutation has derivative zero. The VJP is the adjoint of each step in reverse.
 */
export const luPrim: Primitive = definePrimitive({
  name: 'lu',
  impl: ([a]) => {
    const nd = a.shape.length;
    const m = a.shape[nd - 2], n = a.shape[nd - 1];
    assertFinite(a.data, 'lu', a.shape);
    const nb = sizeOfRange(a.shape, 0, nd - 2), mn = m * n, w = n + 1;
    const out = new Float64Array(nb * m * w);
    const work = new Float64Array(mn), perm = new Int32Array(m);
    for (let t = 0; t < nb; t++) {
      for (let q = 0; q < mn; q++) work[q] = a.data[t * mn + q];
      dense.getrf(m, n, work, 0, n, perm);
      const o = t * m * w;
      for (let i = 0; i < m; i++) {
        const row = o + i * w;
        for (let j = 0; j < n; j++) out[row + j] = work[i * n + j];
        out[row + n] = perm[i];
      }
    }
    const shape = a.shape.slice();
    shape[nd - 1] = w;
    return new Tensor(out, shape);
  },
  jvp: ([t], _, out) => {
    const { c, perms, m, n } = unpackLu(out);
    return padColumns(luTangent(c, perms, t!, m, n), 1);
  },
  vjp: (ct, _, out) => {
    const { c, perms, m, n } = unpackLu(out);
    return [luCotangent(c, perms, block(ct, 0, m, 0, n), m, n)];
  },
});

/** The packed factors [..., m, n] and the permutations (constants, from the primal) of a {@link luPrim} output. */
export function unpackLu(packed: Value): { c: Value; perms: Int32Array; m: number; n: number } {
  const nd = packed.shape.length;
  const m = packed.shape[nd - 2], n = packed.shape[nd - 1] - 1;
  return { c: block(packed, 0, m, 0, n), perms: luPermutations(primalValue(packed)), m, n };
}

/** The permutations held in the last column of a concrete packed LU, matrix t's at t·m. */
export function luPermutations(packed: Tensor): Int32Array {
  const nd = packed.shape.length;
  const m = packed.shape[nd - 2], w = packed.shape[nd - 1];
  const rows = m === 0 ? 0 : packed.data.length / w;
  const perms = new Int32Array(rows);
  for (let r = 0; r < rows; r++) perms[r] = packed.data[r * w + w - 1];
  return perms;
}

/** The tangent of the packed factors `c` ([..., m, n]) along the tangent `dA` of A (see {@link luPrim}). */
function luTangent(c: Value, perms: Int32Array, dA: Value, m: number, n: number): Value {
  const k = Math.min(m, n);
  if (k === 0) return dA;
  const x = permuteRows(dA, perms, false);
  const c1 = block(c, 0, k, 0, k);
  const g = solveTriangular(c1, block(x, 0, k, 0, n), true, true, false, true);
  let du: Value, top: Value;
  if (k >= 2) {
    const phi = triangle(solveTriangular(block(c, 0, k - 1, 0, k - 1), block(g, 0, k, 0, k - 1), false, false, false), true, true);
    du = upper(lax.sub(g, matmul(phi, upper(block(c, 0, k - 1, 0, n)))));
    top = lax.add(du, padColumns(matmul(unitLower(c1), phi), n - k + 1));
  } else {
    du = top = upper(g);
  }
  if (m <= n) return top;
  const dl2 = solveTriangular(block(c, 0, n, 0, n), lax.sub(block(x, n, m, 0, n), matmul(block(c, n, m, 0, n), du)), false, false, false);
  return join(top, dl2, -2);
}

/** The cotangent of A given the cotangent `cBar` ([..., m, n]) of the packed factors: the adjoint of luTangent. */
function luCotangent(c: Value, perms: Int32Array, cBar: Value, m: number, n: number): Value {
  const k = Math.min(m, n);
  if (k === 0) return cBar;
  const c1 = block(c, 0, k, 0, k);
  const top = block(cBar, 0, k, 0, n);
  let duBar: Value = top, xBot: Value | null = null;
  if (m > n) {
    // dL₂ = (X₂ − L₂ dU) U⁻¹: R = L̄₂ U⁻ᵀ is X₂'s cotangent, and −L₂ᵀ R adds to dU's
    xBot = solveTriangular(block(c, 0, n, 0, n), block(cBar, n, m, 0, n), false, false, true);
    duBar = lax.sub(top, matmul(block(c, n, m, 0, n), xBot, { transposeA: true }));
  }
  // dU = triu(G − Φ U'): the cotangent of the difference is triu(dŪ)
  const e = upper(duBar);
  let gBar: Value = e;
  if (k >= 2) {
    // Φ's cotangent, from dU (−Ē U'ᵀ) and from dL₁ = L₁ Φ (L₁ᵀ L̄₁), restricted to Φ's strictly lower pattern
    const uTop = upper(block(c, 0, k - 1, 0, n));
    const phiBar = lax.sub(
      matmul(unitLower(c1), block(top, 0, k, 0, k - 1), { transposeA: true }),
      matmul(e, uTop, { transposeB: true }),
    );
    const q = solveTriangular(block(c, 0, k - 1, 0, k - 1), triangle(phiBar, true, true), false, false, true);
    gBar = lax.add(e, padColumns(q, n - k + 1));
  }
  let xBar = solveTriangular(c1, gBar, true, true, true, true);
  if (xBot !== null) xBar = join(xBar, xBot, -2);
  return permuteRows(xBar, perms, true);
}
