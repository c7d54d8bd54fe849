/**
 * The natural-gradient step of L in (μ, L) as one primitive, `Y = L·Φ(Lᵀ·A)` (MATH.md), with its own JVP and VJP
 * rules so it stays differentiable to any order:
 * - expectation form, from ∂L/∂η₂ = G: A = (G + Gᵀ)·L, i.e. Y = L·Φ(2Lᵀ·sym(G)·L);
 * - Euclidean form, from ∂L/∂L = G: A = tril(G), i.e. Y = L·Φ(Lᵀ·tril(G)).
 * L is read through its lower triangle (as every (μ, L) map does) and G through its symmetric part or its lower
 * triangle, so no projection or symmetrisation has to run first. Y is lower triangular.
 * @module
 */
import { type MaybeValue, type Primitive, type Value, add, bind, definePrimitive, getBackend, matmul, matrixTranspose, tril, zerosLike } from '@natgrad/core';
import { phi } from '../matrix.js';
import { choleskyStepBlocked } from './cholesky-step-blocked.js';
import { choleskyStepLoops } from './cholesky-step-loops.js';

/** Which gradient the step is computed from. */
export interface StepParams {
  /** False: from ∂L/∂η (G = ∂L/∂η₂); true: from the Euclidean gradient (G = ∂L/∂L). */
  readonly euclidean: boolean;
}

export const FROM_ETA: StepParams = Object.freeze({ euclidean: false });
export const FROM_EUCLIDEAN: StepParams = Object.freeze({ euclidean: true });

/**
 * Smallest D from which the products go through core's gemm in blocks (`cholesky-step-blocked.ts`) instead of the
 * triangular loops, when the dense kernels run on WebAssembly. Measured by `pnpm bench natgrad` (crossover section,
 * interleaved CPU time): the blocked path does 6D³ flops while it is one block (D ≤ 64) against the loops' 5D³/3, but
 * at the WebAssembly gemm's rate it is faster from D ≈ 24 on (0.85–0.95× the loops' time at 24, 0.8× at 32, 0.75× at
 * 64, 0.5× at 128) and slower below (1.0–1.25× at 16–20). With the JavaScript backend (`setBackend('js')`) the loops
 * are faster at every size measured (up to 256), so they stay.
 */
export const BLOCKED_MIN_ORDER = 24;

/** One D×D step: the loops, or the blocked gemm path from {@link BLOCKED_MIN_ORDER} on. Writes all of Y. */
export function choleskyStepKernel(
  euclidean: boolean, d: number, l: Float64Array, lo: number, g: Float64Array, go: number, y: Float64Array, yo: number,
): void {
  if (d < BLOCKED_MIN_ORDER || getBackend() === 'js') choleskyStepLoops(euclidean, d, l, lo, g, go, y, yo);
  else choleskyStepBlocked(euclidean, d, l, lo, g, go, y, yo);
}

/** A = (G + Gᵀ)·tril(L) or tril(G), written with ops (for the rules). */
function rhsOf(lz: Value, g: Value, euclidean: boolean): Value {
  return euclidean ? tril(g) : matmul(add(g, matrixTranspose(g)), lz);
}

/** `Y = L·Φ(Lᵀ·A)` on matrices [..., D, D] of one batch shape (inputs `[L, G]`). */
export const choleskyStepPrim: Primitive<StepParams> = definePrimitive<StepParams>({
  name: 'meanCholesky.naturalGradient.L',
  impl: ([l, g], { euclidean }) => {
    const s = l.shape, d = s[s.length - 1], dd = d * d;
    const out = zerosLike(l);
    for (let t = 0, n = l.size / dd; t < n; t++) choleskyStepKernel(euclidean, d, l.data, t * dd, g.data, t * dd, out.data, t * dd);
    return out;
  },
  // Ẏ = L̇·Φ(X) + L·Φ(L̇ᵀ·A + Lᵀ·Ȧ) with X = Lᵀ·A. The Ġ part is the step of Ġ itself (linear in G); the L̇ part of
  // Lᵀ·Ȧ is Lᵀ·S·L̇ = (L̇ᵀ·A)ᵀ in the expectation form and zero in the Euclidean one.
  jvp: ([tl, tg], [l, g], _out, p) => {
    const fromG = tg === null ? null : bind(choleskyStepPrim, [l, tg], p);
    if (tl === null) return fromG;
    const lz = tril(l), dl = tril(tl);
    const a = rhsOf(lz, g, p.euclidean);
    const m = matmul(dl, a, { transposeA: true });
    const fromL = add(matmul(dl, phi(matmul(lz, a, { transposeA: true }))), matmul(lz, phi(p.euclidean ? m : add(m, matrixTranspose(m)))));
    return fromG === null ? fromL : add(fromG, fromL);
  },
  // With C the cotangent, Z = Φ(Lᵀ·A) and W = Φ(Lᵀ·C) (Φ is self-adjoint, and Y's zero upper triangle makes C's
  // irrelevant): L̄ = tril(C·Zᵀ + A·Wᵀ) (+ A·W from A = S·L), Ḡ = tril(L·W) (Euclidean) or L·(W + Wᵀ)·Lᵀ.
  vjp: (ct, [l, g], _out, { euclidean }, needs) => {
    const lz = tril(l);
    const w = phi(matmul(lz, ct, { transposeA: true }));
    let dl: MaybeValue = null, dg: MaybeValue = null;
    if (needs[0]) {
      const a = rhsOf(lz, g, euclidean);
      const z = phi(matmul(lz, a, { transposeA: true }));
      const fromA = matmul(a, euclidean ? matrixTranspose(w) : add(w, matrixTranspose(w)));
      dl = tril(add(matmul(ct, z, { transposeB: true }), fromA));
    }
    if (needs[1]) {
      dg = euclidean ? tril(matmul(lz, w)) : matmul(matmul(lz, add(w, matrixTranspose(w))), lz, { transposeB: true });
    }
    return [dl, dg];
  },
});
