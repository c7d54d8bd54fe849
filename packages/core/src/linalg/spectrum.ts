/** Eigendecompositions for the matrix functions built on eigh (sqrtmh, nearestPsd), straight on the kernel. @module */
import { dense } from '../backend/select.js';
import { Tensor } from '../tensor.js';
import { ConvergenceError } from './errors.js';
import { signColumns } from './signs.js';
import { batchCount } from './packed.js';

/** The packed eigendecomposition ([..., n + 1, n], as {@link eighPrim}) of a concrete batch of symmetric matrices. */
export function eighPacked(a: Tensor, where: string): Tensor {
  const n = a.shape[a.shape.length - 1];
  const nb = batchCount(a.shape), nn = n * n, size = (n + 1) * n;
  const out = new Float64Array(nb * size);
  for (let t = 0; t < nb; t++) {
    const o = t * size;
    out.set(a.data.subarray(t * nn, (t + 1) * nn), o + n);
    const bad = dense.syev(true, n, out, o + n, n, out, o);
    if (bad >= 0) throw new ConvergenceError(where, t, `no QL convergence on eigenvalue ${bad} after 30 iterations`);
    signColumns(out, o + n, n, n);
  }
  return new Tensor(out, [...a.shape.slice(0, -2), n + 1, n]);
}

/**
 * `V·diag(f)·Vᵀ` for every matrix of a packed eigendecomposition, with f = `values` ([nb·n]): (V·diag(f))·Vᵀ on the
 * gemm kernel (one rounding per product, so f = λ of a diagonal matrix comes back exactly), then made exactly
 * symmetric.
 */
export function reassemble(packed: Tensor, values: Float64Array): Tensor {
  const n = packed.shape[packed.shape.length - 1];
  const nb = batchCount(packed.shape), nn = n * n, size = (n + 1) * n;
  const out = new Float64Array(nb * nn), c = new Float64Array(nn);
  const p = packed.data;
  for (let t = 0; t < nb; t++) {
    const v = t * size + n;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[i * n + j] = p[v + i * n + j] * values[t * n + j];
    const o = t * nn;
    dense.gemm(false, true, n, n, n, 1, c, 0, n, p, v, n, 0, out, o, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const m = 0.5 * (out[o + i * n + j] + out[o + j * n + i]);
        out[o + i * n + j] = m;
        out[o + j * n + i] = m;
      }
    }
  }
  return new Tensor(out, [...packed.shape.slice(0, -2), n, n]);
}
