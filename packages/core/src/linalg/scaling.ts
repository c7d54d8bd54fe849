/**
 * Range scaling of the scale-equivariant decompositions (eigenvalues, singular values, QR), as LAPACK's drivers do
 * (`dsyev`, `dgesvd`: "scale matrix to allowable range, if necessary"). Householder and Jacobi steps square entries,
 * so a matrix of subnormal entries (~1e-310) underflows to 0/0 = NaN inside the kernel and one of entries ~1e300
 * overflows, although its decomposition is representable. A matrix whose largest entry is outside
 * [2⁻⁴⁸⁰, 2⁴⁸⁰] is multiplied by a power of two bringing that entry to [½, 1) — exact, so nothing else changes —
 * decomposed, and the values (eigenvalues, singular values, R) multiplied back; vectors are unchanged. A value
 * that does not fit float64 once scaled back is the overflow policy's {@link NonFiniteError}
 * (docs/ARCHITECTURE.md, Errors). In range, the cost is one pass over the input.
 * @module
 */
import { NonFiniteError } from '../errors.js';

const SMALL = 2 ** -480;
const LARGE = 2 ** 480;

/**
 * The exponent e such that `2^e · max|x|` is in [½, 1), for the `length` entries of `data` from `offset`; 0 when
 * that maximum is in range (or 0, or not finite: the entry checks have already refused NaN and ±∞).
 */
export function rangeExponent(data: Float64Array, offset: number, length: number): number {
  let m = 0;
  for (let i = offset; i < offset + length; i++) {
    const v = Math.abs(data[i]);
    if (v > m) m = v;
  }
  if (m === 0 || !(m < Infinity) || (m >= SMALL && m <= LARGE)) return 0;
  return -Math.floor(Math.log2(m)) - 1;
}

/** Multiplies the entries by 2^e in place (two exact steps, since 2^e alone may not be representable). */
export function scaleByPowerOfTwo(data: Float64Array, offset: number, length: number, e: number): void {
  if (e === 0) return;
  const a = 2 ** Math.trunc(e / 2), b = 2 ** (e - Math.trunc(e / 2));
  for (let i = offset; i < offset + length; i++) data[i] = data[i] * a * b;
}

/** `data` from `offset`, copied and scaled by 2^e (the kernels of some decompositions read their input in place). */
export function scaledCopy(data: Float64Array, offset: number, length: number, e: number): Float64Array {
  const out = data.slice(offset, offset + length);
  scaleByPowerOfTwo(out, 0, length, e);
  return out;
}

/**
 * Undoes the scaling of the values of a decomposition (multiplies by 2^−e) and applies the overflow policy: a
 * value that overflows float64 is a {@link NonFiniteError} naming `where`.
 */
export function unscaleValues(data: Float64Array, offset: number, length: number, e: number, where: string): void {
  if (e === 0) return;
  scaleByPowerOfTwo(data, offset, length, -e);
  for (let i = offset; i < offset + length; i++) {
    const x = data[i];
    if (x - x !== 0) {
      throw new NonFiniteError(`${where}: the result overflows float64 although the input is finite (rescale the input)`, i - offset, x);
    }
  }
}
