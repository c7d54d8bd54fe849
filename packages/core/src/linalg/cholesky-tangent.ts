/**
 * The tangent of the lower Cholesky factor, `dL = L·Φ(L⁻¹ S L⁻ᵀ)` with `S = ½(Ȧ + Ȧᵀ)`, as one primitive: the
 * symmetrisation, both solves, Φ and the triangular product run in place in one array, where the composition makes
 * five (each a fresh D×D array, whose first touch costs as much as the elementwise pass on it), and only the
 * triangles Φ keeps are computed (5D³/3 flops instead of 3D³). Its own rules are compositions, so derivatives of any
 * order go through it. @module
 */
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { SingularMatrixError, assertFinite } from '../errors.js';
import { sumTerms } from '../lax.js';
import { add, sub } from '../ops/arithmetic.js';
import { matrixTranspose } from '../ops/transpose.js';
import { matmul } from '../primitives/matmul.js';
import { allocUninitialized } from '../kernels/alloc.js';
import { allFinite } from '../kernels/finite.js';
import { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import { phi, sym, triangle } from './helpers.js';
import { assertFiniteMatrices } from './kernels/batch.js';
import { lowerOfRightSolveTransposed, trmmTriangular } from './kernels/triangle-blocks.js';
import { symmetrizeInto } from './symmetrize.js';
import { solveTriangular } from './triangular-solve.js';
import { multiplyTriangular } from './triangular-matmul.js';

/**
 * `T(L, Ȧ) = L·Φ(Z)`, `Z = L⁻¹ sym(Ȧ) L⁻ᵀ`, for a lower factor `L` (only its lower triangle is read) and any `Ȧ` of
 * the same shape [..., n, n]. Linear in Ȧ; in L, with M = L⁻¹ tril(dL): dZ = −(M Z + (M Z)ᵀ), so
 * dT = T(L, dȦ) + tril(dL)·Φ(Z) − L·Φ(MZ + (MZ)ᵀ). The VJP: Ǡ = sym(L⁻ᵀ Φ(Lᵀ T̄) L⁻¹) (Cholesky's own), and with
 * G = Φ(Lᵀ T̄), L̄ = tril(T̄ Φ(Z)ᵀ − L⁻ᵀ (G + Gᵀ) Z) (Φ is self-adjoint, Z symmetric).
 */
export const choleskyTangentPrim: Primitive = definePrimitive({
  name: 'choleskyTangent',
  impl: ([l, t]) => {
    const n = l.shape[l.shape.length - 1], nn = n * n;
    const out = allocUninitialized(t.data.length); // the symmetrisation writes all of it
    for (let o = 0, s = 0; o < out.length; o += nn, s++) {
      symmetrizeInto(t.data, out, o, n);
      // Φ keeps the lower triangle of Z = (L⁻¹S)·L⁻ᵀ, and L·Φ(Z) is lower triangular: D³ + D³/3 + D³/3 flops
      const bad = Math.max(
        dense.trsm(false, true, false, false, n, n, l.data, o, n, out, o, n),
        lowerOfRightSolveTransposed(n, l.data, o, n, out, o, n),
      );
      if (bad >= 0) throw new SingularMatrixError(bad, s, 'choleskyTangent');
      phiInPlace(out, o, n);
      trmmTriangular(false, true, false, n, l.data, o, n, out, o, n);
    }
    // as the solves' policy: a non-finite result names a non-finite input; of finite input it is an overflow
    if (!allFinite(out)) {
      assertFiniteMatrices(l.data, n, 'lower', 'cholesky (factor)', l.shape);
      assertFinite(t.data, 'cholesky (tangent)', t.shape);
    }
    return new Tensor(out, t.shape);
  },
  jvp: ([dL, dA], [l, a], out) => {
    let fromL: Value | null = null;
    if (dL !== null) {
      const z = sandwich(l, sym(a));
      const mz = solveTriangular(l, multiplyTriangular(dL, z, true, true, false), true, true, false); // L⁻¹ tril(dL) Z
      fromL = add(multiplyTriangular(dL, phi(z), true, true, false), multiplyTriangular(l, phi(add(mz, matrixTranspose(mz))), true, true, false, true));
    }
    return sumTerms(out.shape, fromL, dA === null ? null : bind(choleskyTangentPrim, [l, dA], undefined));
  },
  vjp: (ct, [l, a], _out, _p, needs) => {
    const g = phi(multiplyTriangular(l, ct, true, true, true)); // Φ(Lᵀ T̄)
    const aBar = needs[1] ? sym(solveTriangular(l, solveTriangular(l, g, true, true, true), false, true, false)) : null;
    let lBar: Value | null = null;
    if (needs[0]) {
      const z = sandwich(l, sym(a));
      const fromZ = solveTriangular(l, matmul(add(g, matrixTranspose(g)), z), true, true, true); // L⁻ᵀ (G + Gᵀ) Z
      lBar = triangle(sub(matmul(ct, phi(z), { transposeB: true }), fromZ), true, false);
    }
    return [lBar, aBar];
  },
});

/** `Z = L⁻¹ S L⁻ᵀ` for the lower triangle of L, by two triangular solves. */
function sandwich(l: Value, s: Value): Value {
  return solveTriangular(l, solveTriangular(l, s, true, true, false), false, true, true);
}

/** Φ in place: the strict upper triangle zeroed, the diagonal halved as `d − d·½` (bit-identical to `phi`). */
function phiInPlace(x: Float64Array, o: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const ri = o + i * n;
    const d = x[ri + i];
    x[ri + i] = d - d * 0.5;
    x.fill(0, ri + i + 1, ri + n);
  }
}

