/** The sign convention of the eigenvectors and singular vectors. @module */

/**
 * The sign convention of eigenvectors and singular vectors: each of the `cols` columns of the rows×cols block at
 * `off` (row stride `cols`) is negated if its entry of largest magnitude (the first, on ties) is negative. Returns
 * nothing; `paired` (same layout and column count) is negated alongside, for the V of an SVD.
 */
export function signColumns(x: Float64Array, off: number, nRows: number, cols: number, paired?: { data: Float64Array; off: number; rows: number }): void {
  for (let j = 0; j < cols; j++) {
    let best = 0, at = 0;
    for (let i = 0; i < nRows; i++) {
      const m = Math.abs(x[off + i * cols + j]);
      if (m > best) {
        best = m;
        at = i;
      }
    }
    if (!(x[off + at * cols + j] < 0)) continue;
    for (let i = 0; i < nRows; i++) x[off + i * cols + j] = -x[off + i * cols + j];
    if (paired) for (let i = 0; i < paired.rows; i++) paired.data[paired.off + i * cols + j] = -paired.data[paired.off + i * cols + j];
  }
}
