/**
 * Checks of the public linear-algebra entry points beyond shapes. Their kernels check their own input (under the
 * primitive's name), so these cover what a kernel cannot: the input of a composite op named after that op, and the
 * overflow policy — a factorisation or solve of finite input whose result overflows float64 (a factor with entries
 * ~1e-300 has an inverse ~1e600) raises {@link NonFiniteError} naming the function instead of returning ∞ or NaN.
 * The argument checks read primal values, so they hold inside transforms too; the result check runs in the kernel.
 * @module
 */
import { type Primitive, definePrimitive as declare } from '../ad/primitive.js';
import { primalValue } from '../ad/trace.js';
import { NonFiniteError, SingularMatrixError, assertFinite } from '../errors.js';
import type { Value } from '../value.js';
import { assertFiniteMatrices } from './kernels/batch.js';
import { allFinite } from '../kernels/finite.js';

/** What a non-finite result of finite input means, for the message. */
const OVERFLOW = 'the result overflows float64 although the input is finite (rescale the input)';

/**
 * A copy of `prim` whose kernel checks its result by the overflow policy. The check runs where the kernel runs, on
 * concrete values, so inside a transform it comes before any derivative rule could trip over the ∞ (a forward pass
 * computes the primal and then the tangent in one step). The rules are `prim`'s own.
 */
export function withFiniteResult<P>(prim: Primitive<P>, where: string, what = OVERFLOW): Primitive<P> {
  const impl = prim.impl;
  return declare<P>({
    ...prim,
    impl: (inputs, params) => {
      const out = impl(inputs, params);
      const d = out.data;
      if (allFinite(d)) return out;
      for (let i = 0; i < d.length; i++) {
        const x = d[i];
        if (x - x !== 0) throw new NonFiniteError(`${where}: ${what}`, i, x, out.shape);
      }
      return out;
    },
  });
}

/**
 * A batch of lower-triangular factors `[..., n, n]` a solve divides by: its lower triangle finite and its diagonal
 * free of zeros (else {@link SingularMatrixError} naming the pivot and the batch index).
 */
export function checkLowerFactor(l: Value, n: number, where: string, what: string): void {
  const t = primalValue(l);
  const d = t.data;
  assertFiniteMatrices(d, n, 'lower', `${where} (${what})`, t.shape);
  const nn = n * n;
  for (let b = 0; nn > 0 && b < d.length / nn; b++) {
    for (let i = 0; i < n; i++) if (d[b * nn + i * n + i] === 0) throw new SingularMatrixError(i, b, where);
  }
}

/** Finite entries of an operand, the error naming the function and the argument. */
export function checkFiniteOperand(v: Value, where: string, what: string): void {
  const t = primalValue(v);
  assertFinite(t.data, `${where} (${what})`, t.shape);
}
