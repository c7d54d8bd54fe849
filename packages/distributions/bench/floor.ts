/**
 * The floor of the (μ, L) natural-gradient benchmarks: the closed form from ∂L/∂η = (g₁, G₂) written by hand as plain
 * JavaScript loops over `Float64Array`s — what a careful user would write for one Gaussian with no library at all:
 * triangular loop bounds, G₂ symmetrised on the fly, scratch reused between calls, fresh output arrays, no checks.
 *   dμ = L(Lᵀ(g₁ + (G₂ + G₂ᵀ)μ)),   dL = L Φ(Lᵀ(G₂ + G₂ᵀ)L),   Φ(X) = tril(X) − ½diag(X).
 */

let scratch = new Float64Array(0);

/** Returns [dμ, dL] (dL row-major D×D, lower triangular). */
export function naturalGradientByHand(
  mu: Float64Array, L: Float64Array, g1: Float64Array, G: Float64Array, d: number,
): [Float64Array, Float64Array] {
  if (scratch.length < 2 * d * d + 2 * d) scratch = new Float64Array(2 * d * d + 2 * d);
  const B = scratch, X = scratch, xo = d * d, v = 2 * d * d, w = v + d;
  const dmu = new Float64Array(d), dL = new Float64Array(d * d);
  // v = g₁ + Sμ, w = Lᵀv, dμ = Lw
  for (let i = 0; i < d; i++) {
    let s = g1[i];
    for (let k = 0; k < d; k++) s += (G[i * d + k] + G[k * d + i]) * mu[k];
    scratch[v + i] = s;
    scratch[w + i] = 0;
  }
  for (let k = 0; k < d; k++) for (let j = 0; j <= k; j++) scratch[w + j] += L[k * d + j] * scratch[v + k];
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += L[i * d + k] * scratch[w + k];
    dmu[i] = s;
  }
  // B = S L (L lower: k ≥ j)
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = j; k < d; k++) s += (G[i * d + k] + G[k * d + i]) * L[k * d + j];
      B[i * d + j] = s;
    }
  }
  // X = Φ(Lᵀ B), lower triangle (Lᵀ upper: k ≥ i)
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < d; k++) s += L[k * d + i] * B[k * d + j];
      X[xo + i * d + j] = i === j ? 0.5 * s : s;
    }
  }
  // dL = L X (both lower: j ≤ k ≤ i)
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = j; k <= i; k++) s += L[i * d + k] * X[xo + k * d + j];
      dL[i * d + j] = s;
    }
  }
  return [dmu, dL];
}
