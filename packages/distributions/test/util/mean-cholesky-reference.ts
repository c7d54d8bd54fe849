/**
 * The (μ, L) closed forms of MATH.md written with core ops, as the library computed them before the fused primitives:
 * the independent route the fused kernels are tested against. G₂ must be symmetric and G_L lower triangular, as the
 * formulas assume (the fused primitives read the symmetric part and the lower triangle themselves).
 */
import { type Value, add, diag, diagonal, expandDims, matmul, matrixTranspose, mul, squeeze, sub, tril } from '@natgrad/core';

const mv = (a: Value, v: Value) => squeeze(matmul(a, expandDims(v, -1)), -1);
const phi = (x: Value) => sub(tril(x), mul(diag(diagonal(x)), 0.5));

/** dμ = L(Lᵀ(g₁ + 2G₂μ)), dL = L Φ(2LᵀG₂L). */
export function opsClosedForm(q: { mu: Value; L: Value }, g: { eta1: Value; eta2: Value }): { mu: Value; L: Value } {
  const lt = matrixTranspose(q.L);
  const v = add(g.eta1, mul(mv(g.eta2, q.mu), 2));
  return { mu: mv(q.L, mv(lt, v)), L: matmul(q.L, phi(mul(matmul(lt, matmul(g.eta2, q.L)), 2))) };
}

/** natgrad_μ = L Lᵀ gμ, natgrad_L = L Φ(Lᵀ G_L). */
export function opsClosedFormFromEuclidean(q: { mu: Value; L: Value }, g: { mu: Value; L: Value }): { mu: Value; L: Value } {
  const lt = matrixTranspose(q.L);
  return { mu: mv(q.L, mv(lt, g.mu)), L: matmul(q.L, phi(matmul(lt, g.L))) };
}
