/**
 * The dense linear-algebra kernels every backend implements, in BLAS/LAPACK terms on row-major `Float64Array` views:
 * a matrix is `(data, offset, ld)` — element (i, j) at `data[offset + i·ld + j]` — so a kernel can work on a
 * sub-block of a larger matrix. Sizes are in elements. Kernels validate nothing (the primitives do), never read
 * outside the triangle or block they document, and never skip a product because one factor is zero (0·NaN stays NaN).
 * @module
 */

/**
 * Dense kernels of one backend (the JavaScript reference or WebAssembly SIMD). Failures that LAPACK reports through
 * `info` are return values here: −1 on success, otherwise an index, identical in every backend.
 */
export interface DenseKernels {
  /**
   * `C ← α·op(A)·op(B) + β·C` (BLAS `dgemm`), `op(X)` = X or Xᵀ. `op(A)` is m×k, `op(B)` k×n, `C` m×n.
   * With `β = 0`, C is not read (as in BLAS).
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
    beta: number, c: Float64Array, cOff: number, ldc: number,
  ): void;
  /**
   * Triangular solve in place (BLAS `dtrsm` with α = 1): `B ← op(A)⁻¹·B` (`right` false; A is m×m) or
   * `B ← B·op(A)⁻¹` (`right` true; A is n×n); B is m×n. Only the `lower` (or upper) triangle of A is read; with
   * `unit` its diagonal is taken as 1 and not read.
   * @returns −1, or the index of the first zero diagonal entry in the order of substitution (then B is untouched).
   */
  trsm(
    right: boolean, lower: boolean, transA: boolean, unit: boolean, m: number, n: number,
    a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
  ): number;
  /**
   * Triangular product in place (BLAS `dtrmm` with α = 1): `B ← op(A)·B` (`right` false; A is m×m) or
   * `B ← B·op(A)` (`right` true; A is n×n); B is m×n. Only the `lower` (or upper) triangle of A is read; with `unit`
   * its diagonal is taken as 1 and not read. A third of a general product's flops for the same shapes.
   */
  trmm(
    right: boolean, lower: boolean, transA: boolean, unit: boolean, m: number, n: number,
    a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
  ): void;
  /**
   * Cholesky factorisation (LAPACK `dpotrf`, lower): the lower triangle of the n×n L becomes the factor of the n×n A
   * (A = L·Lᵀ). Only the lower triangle of A is read; the strict upper triangle of L is left as it was. L may be A
   * (same array and offset: LAPACK's in-place form).
   * @returns −1, or the index i of the first pivot that is not strictly positive (or NaN); its value is left at
   * L[i][i].
   */
  potrf(n: number, a: Float64Array, aOff: number, lda: number, l: Float64Array, lOff: number, ldl: number): number;
  /**
   * Triangular inverse in place (LAPACK `dtrtri`): the `lower` (or upper) triangle of the n×n A becomes that of A⁻¹;
   * the other triangle is not touched; with `unit` the diagonal is taken as 1 and neither read nor written.
   * @returns −1, or the index of the first zero diagonal entry (then A is untouched).
   */
  trtri(lower: boolean, unit: boolean, n: number, a: Float64Array, aOff: number, lda: number): number;
  /**
   * Inverse from a Cholesky factor (LAPACK `dpotri`, lower): `C ← (L·Lᵀ)⁻¹`, full and exactly symmetric, from the
   * lower triangle of the n×n L (not modified).
   * @returns −1, or the index of the first zero diagonal entry of L (then C is untouched).
   */
  potri(n: number, l: Float64Array, lOff: number, ldl: number, c: Float64Array, cOff: number, ldc: number): number;
  /**
   * LU factorisation with partial pivoting in place (LAPACK `dgetrf`) of the m×n A: `P·A = L·U` with unit lower L
   * (m×min(m, n)) below the diagonal and U (min(m, n)×n) on and above it. `perm[i]` (offset 0, m entries) is the row
   * of A that ends up in row i (the largest |pivot| wins, the first on ties). As LAPACK, a column whose pivot
   * candidates are all exactly zero is left as it is (its multipliers are zero) and the factorisation completes.
   * @returns −1, or the first column whose pivot is exactly zero (then U is singular).
   */
  getrf(m: number, n: number, a: Float64Array, aOff: number, lda: number, perm: Int32Array): number;
  /**
   * Solves `A·X = B` (or `Aᵀ·X = B` with `trans`) from the n×n factors of {@link DenseKernels.getrf} (LAPACK
   * `dgetrs`): B is n×m, X (n×m) must not overlap B. U's diagonal must be nonzero (the caller checks getrf's result).
   */
  getrs(
    trans: boolean, n: number, m: number, lu: Float64Array, luOff: number, ldlu: number, perm: Int32Array,
    b: Float64Array, bOff: number, ldb: number, x: Float64Array, xOff: number, ldx: number,
  ): void;
  /**
   * LU factorisation with complete pivoting in place (LAPACK `dgetc2`, without its perturbation of small pivots) of
   * the n×n A: `P·A·Q = L·U`, unit lower L below the diagonal, U on and above. `rowPerm[i]` is the row of A that ends
   * up in row i, `colPerm[j]` the column of A that ends up in column j. Rank-revealing in exact arithmetic: the first
   * r pivots are nonzero and the trailing (n−r)×(n−r) block is exactly zero, where r is the rank.
   * @returns −1 (all n pivots nonzero), or r: the step at which the trailing block was exactly zero (then rows and
   * columns r.. of the factors are those of the zero block).
   */
  getc2(n: number, a: Float64Array, aOff: number, lda: number, rowPerm: Int32Array, colPerm: Int32Array): number;
  /**
   * Symmetric eigendecomposition (LAPACK `dsyev`, lower): the eigenvalues of the n×n symmetric matrix whose lower
   * triangle is at A, ascending, into `w[wOff ..]`. With `vectors`, A's n×n block is overwritten by V, column j the
   * unit eigenvector of w[j] (V orthogonal, `A = V·diag(w)·Vᵀ`); without, A is not written.
   * @returns −1, or the index of the eigenvalue on which the QL iteration did not converge (then w and A hold no
   * result).
   */
  syev(vectors: boolean, n: number, a: Float64Array, aOff: number, lda: number, w: Float64Array, wOff: number): number;
  /**
   * Householder QR factorisation in place (LAPACK `dgeqrf`): `A = Q·R` for the m×n A. On exit the upper triangle
   * (trapezoid) of the first min(m, n) rows is R; below the diagonal, column c holds the reflector
   * `H_c = I − τ_c·v·vᵀ` (v[c] = 1 implicit, v[c+1 ..] stored), τ_c in `tau[tauOff + c]`; `Q = H_0 ⋯ H_{k−1}`.
   * R's diagonal has LAPACK's signs (β = −sign(α)·‖x‖), so factors match LAPACK's to round-off.
   */
  geqrf(m: number, n: number, a: Float64Array, aOff: number, lda: number, tau: Float64Array, tauOff: number): void;
  /**
   * The first n columns of `Q = H_0 ⋯ H_{k−1}` (LAPACK `dorgqr`, k ≤ n ≤ m) from the reflectors {@link geqrf}
   * left in the first k columns of the m×n A and `tau`, overwriting A (orthonormal columns).
   */
  orgqr(m: number, n: number, k: number, a: Float64Array, aOff: number, lda: number, tau: Float64Array, tauOff: number): void;
  /**
   * Singular value decomposition of the r×c G (r ≤ c) by one-sided Jacobi rotations (LAPACK `dgesvj`, on rows):
   * `G = Wᵀ·diag(s)·Y`. The singular values go to `s[sOff ..]`, descending. With `vectors`, G is overwritten by Y
   * (orthonormal rows; rows of zero singular values completed to an orthonormal set) and the r×r W by the
   * accumulated rotations (orthogonal); without, G is destroyed and W not written.
   * @returns −1, or the number of sweeps after which the rows were still not orthogonal (no result).
   */
  gesvj(
    vectors: boolean, r: number, c: number, g: Float64Array, gOff: number, ldg: number, s: Float64Array, sOff: number,
    w: Float64Array, wOff: number, ldw: number,
  ): number;
}

/** The name of a kernel of {@link DenseKernels}. */
export type KernelName = keyof DenseKernels;
