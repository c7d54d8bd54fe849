/** JavaScript `geqrf`: Householder QR factorisation in place. @module */
import { SLOT, scratch } from './scratch.js';
import { powerOfTwoScale } from './syev.js';

/**
 * `A = Q·R` by Householder reflectors (see {@link DenseKernels.geqrf}), LAPACK `dgeqr2` in row-major form: reflector
 * k is built from column k on and below the diagonal (`dlarfg`: β = −sign(α)·‖x‖, τ = (β − α)/β, v scaled so that
 * v[0] = 1), then applied to the trailing columns as one pass of row axpys for wᵀ = vᵀ·A₂ and one for
 * A₂ ← A₂ − τ·v·wᵀ, so every inner loop runs along a contiguous row.
 */
export function geqrf(m: number, n: number, a: Float64Array, aOff: number, lda: number, tau: Float64Array, tauOff: number): void {
  const k = Math.min(m, n);
  if (k === 0) return;
  // Powers of two are exact: scaling A scales R and leaves the reflectors alone.
  let big = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) big = Math.max(big, Math.abs(a[aOff + i * lda + j]));
  const scale = powerOfTwoScale(big);
  if (scale !== 1) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[aOff + i * lda + j] *= scale;
  const w = scratch(SLOT.householder, n);
  for (let c = 0; c < k; c++) {
    const diag = aOff + c * lda + c;
    const alpha = a[diag];
    let xnorm2 = 0;
    for (let i = c + 1; i < m; i++) {
      const x = a[diag + (i - c) * lda];
      xnorm2 += x * x;
    }
    if (xnorm2 === 0) {
      tau[tauOff + c] = 0;
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + xnorm2);
    const beta = alpha >= 0 ? -norm : norm;
    const t = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let i = c + 1; i < m; i++) a[diag + (i - c) * lda] *= inv;
    a[diag] = beta;
    tau[tauOff + c] = t;
    const width = n - c - 1;
    if (width === 0) continue;
    // wᵀ = vᵀ A₂ with v[0] = 1 (row c itself) …
    const r0 = diag + 1;
    for (let j = 0; j < width; j++) w[j] = a[r0 + j];
    for (let i = c + 1; i < m; i++) {
      const ri = aOff + i * lda;
      const vi = a[ri + c];
      const row = ri + c + 1;
      for (let j = 0; j < width; j++) w[j] += vi * a[row + j];
    }
    // … then A₂ ← A₂ − τ v wᵀ.
    for (let j = 0; j < width; j++) a[r0 + j] -= t * w[j];
    for (let i = c + 1; i < m; i++) {
      const ri = aOff + i * lda;
      const f = t * a[ri + c];
      const row = ri + c + 1;
      for (let j = 0; j < width; j++) a[row + j] -= f * w[j];
    }
  }
  if (scale !== 1) for (let i = 0; i < k; i++) for (let j = i; j < n; j++) a[aOff + i * lda + j] /= scale;
}
