/** Triangle copies of the Cholesky kernels. @module */

/**
 * Transposes one triangle of the n×n matrix at `src[so]` into `dst[dO]` (row-major, row stride n): the upper
 * triangle of the source into the lower triangle of the destination, or (`toUpper`) the lower triangle into the
 * upper one, zeroing the strict lower triangle of the destination in that case. The destination may be the source
 * for `toUpper`: each strict-lower entry is zeroed right after its only read. The upper factor of A is the transpose
 * of the lower factor of Aᵀ, so the upper Cholesky factorisation is the lower one between two such copies.
 */
export function transposeTriangle(src: Float64Array, so: number, dst: Float64Array, dO: number, n: number, toUpper: boolean): void {
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      if (toUpper) {
        dst[dO + i * n + j] = src[so + j * n + i];
        if (j > i) dst[dO + j * n + i] = 0;
      } else {
        dst[dO + j * n + i] = src[so + i * n + j];
      }
    }
  }
}
