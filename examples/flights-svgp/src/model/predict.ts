/**
 * The SVGP's predictive distribution at many inputs, batch by batch (memory O(M·batch), not O(M·n)):
 * with a = L_Z⁻¹k_Z(x*), f* ~ N(aᵀm, s² − ‖a‖² + ‖Lᵀa‖²) and y* = f* + ε, ε ~ N(0, σ²).
 */
import { Tensor, ops } from '@natgrad/core';
import type { Table } from '../data/dataset.js';
import { D } from '../data/features.js';
import type { Predictions } from '../metrics.js';
import { rbf } from './kernel.js';
import { type SvgpParams, inducingCholesky } from './svgp.js';

/** Predictive means and variances of y (noise included) at the rows of `table`, in minutes. */
export function predictSvgp(p: SvgpParams, table: Table, target: { mean: number; std: number }, batchSize = 2000): Predictions {
  const mean = new Float64Array(table.n);
  const variance = new Float64Array(table.n);
  const Lz = inducingCholesky(p.Z, p.kernel) as Tensor;
  const Lt = ops.matrixTranspose(p.q.L) as Tensor;
  const s2 = Math.exp(p.kernel.logVariance.item());
  const noise = Math.exp(p.logNoise.item());
  const scale2 = target.std * target.std;
  for (let start = 0; start < table.n; start += batchSize) {
    const b = Math.min(batchSize, table.n - start);
    const x = new Tensor(table.x.slice(start * D, (start + b) * D), [b, D]);
    const At = ops.triangularSolve(Lz, rbf(p.Z, x, p.kernel), { lower: true }) as Tensor; // [M, b]
    const f = (ops.matmul(p.q.mu, At) as Tensor).data;
    const explained = (ops.sum(ops.square(At), 0) as Tensor).data; // ‖a‖²
    const fromQ = (ops.sum(ops.square(ops.matmul(Lt, At)), 0) as Tensor).data; // ‖Lᵀa‖²
    for (let i = 0; i < b; i++) {
      mean[start + i] = target.mean + target.std * f[i];
      // s² − ‖a‖² ≥ 0 in exact arithmetic; round-off may push it a hair below
      variance[start + i] = scale2 * (Math.max(s2 - explained[i], 0) + fromQ[i] + noise);
    }
  }
  return { mean, variance };
}
