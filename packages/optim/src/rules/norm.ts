/**
 * p-norms that neither overflow nor lose small entries: Σ|x|ᵖ is summed directly when that is safe (the usual case,
 * one pass), and otherwise again with every entry divided by the largest |x| (as LAPACK's `nrm2` does), so a finite
 * gradient of entries 1e200 has the finite norm it should have rather than ∞. Used by `ClipNorm` and `LAMB`.
 * @module
 */

/** Σ|x|ᵖ over `d`. */
export function powerSum(d: Float64Array, p: number): number {
  let s = 0;
  if (p === 2) for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  else for (let i = 0; i < d.length; i++) s += Math.abs(d[i]) ** p;
  return s;
}

/**
 * True when a directly summed Σ|x|ᵖ can be trusted: finite, and large enough that entries whose powers underflowed
 * (each below 2⁻¹⁰²², against a sum of at least 1e-200) are negligible. NaN is not trusted.
 */
export function trustedSum(s: number): boolean {
  return s >= 1e-200 && s < Number.POSITIVE_INFINITY;
}

/** The largest |x| over `d` (NaN if an entry is NaN). */
export function maxAbs(d: Float64Array): number {
  let m = 0;
  for (let i = 0; i < d.length; i++) {
    const a = Math.abs(d[i]);
    if (!(a <= m)) m = a; // also takes a NaN, which then sticks
  }
  return m;
}

/** Σ(|x|/scale)ᵖ over `d`: every term at most 1, so no overflow, and the largest entries never underflow. */
export function scaledPowerSum(d: Float64Array, p: number, scale: number): number {
  let s = 0;
  if (p === 2) {
    for (let i = 0; i < d.length; i++) {
      const y = d[i] / scale;
      s += y * y;
    }
  } else for (let i = 0; i < d.length; i++) s += Math.abs(d[i] / scale) ** p;
  return s;
}

/** ‖d‖ₚ without spurious overflow or underflow (∞ only when the norm itself exceeds the largest double). */
export function pNorm(d: Float64Array, p: number): number {
  const s = powerSum(d, p);
  if (trustedSum(s)) return p === 2 ? Math.sqrt(s) : s ** (1 / p);
  const m = maxAbs(d);
  if (m === 0 || !Number.isFinite(m)) return m;
  const r = scaledPowerSum(d, p, m);
  return m * (p === 2 ? Math.sqrt(r) : r ** (1 / p));
}
