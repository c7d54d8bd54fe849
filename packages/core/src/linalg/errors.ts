/** Errors of the decompositions (eigh, svd) and of the functions built on them. @module */
import { NatgradError } from '../errors.js';

/**
 * An iterative decomposition did not converge: the QL iteration of {@link eigh} (30 iterations per eigenvalue) or the
 * one-sided Jacobi sweeps of {@link svd} (60 sweeps). Finite input practically never triggers it; the error names the
 * matrix so that the rest of a batch can be retried or inspected.
 */
export class ConvergenceError extends NatgradError {
  /** Index of the matrix within the batch (0 for a single matrix). */
  readonly batchIndex: number;
  constructor(where: string, batchIndex: number, detail: string) {
    const batch = batchIndex > 0 ? ` (matrix ${batchIndex} of the batch)` : '';
    super('NO_CONVERGENCE', `${where}: the decomposition did not converge${batch}: ${detail}`);
    this.batchIndex = batchIndex;
  }
}

/**
 * A symmetric matrix has an eigenvalue outside the domain of a matrix function: {@link sqrtmh} needs eigenvalues
 * ≥ 0 (a tolerance for round-off is allowed, and those are taken as 0).
 */
export class EigenvalueDomainError extends NatgradError {
  /** Index (0-based, ascending order) of the offending eigenvalue. */
  readonly eigenvalueIndex: number;
  /** The offending eigenvalue. */
  readonly eigenvalue: number;
  /** Index of the matrix within the batch (0 for a single matrix). */
  readonly batchIndex: number;
  constructor(where: string, eigenvalueIndex: number, eigenvalue: number, batchIndex: number, requirement: string) {
    const batch = batchIndex > 0 ? ` (matrix ${batchIndex} of the batch)` : '';
    super('EIGENVALUE_DOMAIN', `${where}: eigenvalue ${eigenvalueIndex} is ${eigenvalue}${batch}; ${requirement}`);
    this.eigenvalueIndex = eigenvalueIndex;
    this.eigenvalue = eigenvalue;
    this.batchIndex = batchIndex;
  }
}

/**
 * A derivative was asked for where the function has none: eigenvectors or singular vectors of a repeated (or, for
 * the extra vectors of a non-square SVD, zero) value — the vectors are not even continuous there — and the
 * derivative of {@link sqrtmh} at a singular matrix. The error names the matrix and the values involved. JAX returns
 * inf/NaN in these cases.
 */
export class NotDifferentiableError extends NatgradError {
  /** Index of the matrix within the batch (0 for a single matrix). */
  readonly batchIndex: number;
  /** The indices of the eigenvalues or singular values involved (a pair, or one). */
  readonly indices: readonly number[];
  constructor(where: string, batchIndex: number, indices: readonly number[], detail: string) {
    const batch = batchIndex > 0 ? ` (matrix ${batchIndex} of the batch)` : '';
    super('NOT_DIFFERENTIABLE', `${where}: no derivative here${batch}: ${detail}`);
    this.batchIndex = batchIndex;
    this.indices = Object.freeze(indices.slice());
  }
}
