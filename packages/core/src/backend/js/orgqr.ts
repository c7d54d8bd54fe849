/** JavaScript `orgqr`: the orthonormal factor of a Householder QR, formed in place. @module */
import { SLOT, scratch } from './scratch.js';

/**
 * `Q = H_0 ⋯ H_{k−1}` restricted to its first n columns, overwriting the reflectors that {@link geqrf} left in A
 * (see {@link DenseKernels.orgqr}); LAPACK `dorg2r` in row-major form: the reflectors are applied last first, each
 * to the columns right of its own (one pass of row axpys for wᵀ = vᵀ·Q₂, one for Q₂ ← Q₂ − τ·v·wᵀ), and its own
 * column then becomes H_c·e_c = e_c − τ·v.
 */
export function orgqr(
  m: number, n: number, k: number, a: Float64Array, aOff: number, lda: number, tau: Float64Array, tauOff: number,
): void {
  if (n === 0) return;
  // Columns k.. start as the identity's.
  for (let i = 0; i < m; i++) for (let j = k; j < n; j++) a[aOff + i * lda + j] = i === j ? 1 : 0;
  const w = scratch(SLOT.householder, n);
  for (let c = k - 1; c >= 0; c--) {
    const t = tau[tauOff + c];
    const diag = aOff + c * lda + c;
    const width = n - c - 1;
    if (width > 0) {
      // Q₂ = rows c.., columns c+1..: wᵀ = vᵀ Q₂ (v[0] = 1), then Q₂ ← Q₂ − τ v wᵀ.
      for (let j = 0; j < width; j++) w[j] = a[diag + 1 + j];
      for (let i = c + 1; i < m; i++) {
        const ri = aOff + i * lda;
        const vi = a[ri + c];
        const row = ri + c + 1;
        for (let j = 0; j < width; j++) w[j] += vi * a[row + j];
      }
      for (let j = 0; j < width; j++) a[diag + 1 + j] -= t * w[j];
      for (let i = c + 1; i < m; i++) {
        const ri = aOff + i * lda;
        const f = t * a[ri + c];
        const row = ri + c + 1;
        for (let j = 0; j < width; j++) a[row + j] -= f * w[j];
      }
    }
    for (let i = c + 1; i < m; i++) a[aOff + i * lda + c] *= -t;
    a[diag] = 1 - t;
    for (let i = 0; i < c; i++) a[aOff + i * lda + c] = 0;
  }
}
