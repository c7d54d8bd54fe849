/**
 * The natural-gradient step of μ in (μ, L) as one primitive, `y = L·Lᵀ·v` = Σv (MATH.md), with its own JVP and VJP
 * rules:
 * - expectation form, inputs `[L, g₁, G, μ]`: v = g₁ + (G + Gᵀ)·μ = g₁ + 2·sym(G)·μ;
 * - Euclidean form, inputs `[L, g]`: v = g.
 * L is read through its lower triangle. O(D²): two triangular matrix–vector products, no D×D intermediate.
 * @module
 */
import { type MaybeValue, type Primitive, type Value, add, bind, definePrimitive, tril, zerosLike } from '@natgrad/core';
import { mv, outerBatch } from '../matrix.js';
import { FROM_EUCLIDEAN, type StepParams } from './cholesky-step.js';
import { meanStepLoops } from './cholesky-step-loops.js';

/** (G + Gᵀ)·x without forming G + Gᵀ. */
function symTimes(g: Value, x: Value): Value {
  return add(mv(g, x), mv(g, x, true));
}

/** Σ of terms that may be symbolic zeros (`null`). */
function sumOf(...terms: MaybeValue[]): MaybeValue {
  let acc: MaybeValue = null;
  for (const t of terms) if (t !== null) acc = acc === null ? t : add(acc, t);
  return acc;
}

/** `y = L·Lᵀ·v` for L [..., D, D] and vectors [..., D] of one batch shape. */
export const meanStepPrim: Primitive<StepParams> = definePrimitive<StepParams>({
  name: 'meanCholesky.naturalGradient.mu',
  impl: (inputs, { euclidean }) => {
    const [l, g1] = inputs;
    const g = euclidean ? null : inputs[2].data, mu = euclidean ? null : inputs[3].data;
    const d = g1.shape[g1.shape.length - 1], dd = d * d;
    const out = zerosLike(g1);
    for (let t = 0, n = g1.size / d; t < n; t++) meanStepLoops(d, l.data, t * dd, g1.data, t * d, g, t * dd, mu, t * d, out.data, t * d);
    return out;
  },
  // ẏ = (L̇Lᵀ + LL̇ᵀ)·v + Σ·v̇ with v̇ = ġ₁ + (Ġ + Ġᵀ)·μ + (G + Gᵀ)·μ̇: the Σ·v̇ part is the Euclidean step of v̇.
  jvp: (tangents, primals, _out, { euclidean }) => {
    const [tl, tg1] = tangents;
    const [l, g1] = primals;
    const vdot = euclidean
      ? tg1
      : sumOf(tg1, tangents[2] && symTimes(tangents[2], primals[3]), tangents[3] && symTimes(primals[2], tangents[3]));
    const fromV = vdot === null ? null : bind(meanStepPrim, [l, vdot], FROM_EUCLIDEAN);
    if (tl === null) return fromV;
    const lz = tril(l), dl = tril(tl);
    const v = euclidean ? g1 : add(g1, symTimes(primals[2], primals[3]));
    return sumOf(fromV, add(mv(dl, mv(lz, v, true)), mv(lz, mv(dl, v, true))));
  },
  // With c the cotangent and u = Σc: L̄ = tril(c·(Lᵀv)ᵀ + v·(Lᵀc)ᵀ), ḡ₁ = u, Ḡ = u·μᵀ + μ·uᵀ, μ̄ = (G + Gᵀ)·u.
  vjp: (ct, primals, _out, { euclidean }, needs) => {
    const [l, g1] = primals;
    const u = needs[1] || needs[2] || needs[3] ? bind(meanStepPrim, [l, ct], FROM_EUCLIDEAN) : null;
    let dl: MaybeValue = null;
    if (needs[0]) {
      const lz = tril(l);
      const v = euclidean ? g1 : add(g1, symTimes(primals[2], primals[3]));
      dl = tril(add(outerBatch(ct, mv(lz, v, true)), outerBatch(v, mv(lz, ct, true))));
    }
    if (euclidean) return [dl, u];
    const mu = primals[3];
    return [dl, u, needs[2] ? add(outerBatch(u!, mu), outerBatch(mu, u!)) : null, needs[3] ? symTimes(primals[2], u!) : null];
  },
});
