/**
 * The one place where a step meets a parameter: `update` computes `param − step` with this function, and a rule that
 * validates where its step leads (`NaturalGradient`) calls it too, so what it validated is bit for bit what is emitted.
 * @module
 */
import { Tensor } from '@natgrad/core';

/** `x − s` elementwise (IEEE, no checks); `x` itself when every entry of `s` is zero, so unchanged leaves are shared. */
export function subtractStep(x: Tensor, s: Tensor): Tensor {
  const a = x.data;
  const b = s.data;
  const out = new Float64Array(a.length);
  let changed = false;
  for (let k = 0; k < out.length; k++) {
    const bk = b[k];
    if (bk !== 0) changed = true;
    out[k] = a[k] - bk;
  }
  return changed ? new Tensor(out, x.shape) : x;
}
