/** Batch bookkeeping shared by the linear-algebra kernels. @module */
import { NonFiniteError } from '../../errors.js';
import { type Shape, sizeOf, stridesOf } from '../../shape.js';

/**
 * For every flat index of the batch shape `out`, the flat index of the matrix it reads in an operand whose batch
 * shape is `from` (right-aligned; axes of extent 1 or missing broadcast). Lets binary kernels read broadcast operands
 * in place instead of materialising copies.
 */
export function batchIndexMap(from: Shape, out: Shape): Int32Array {
  const n = sizeOf(out);
  const map = new Int32Array(n);
  if (sizeOf(from) === 1 || n === 0) return map;
  const nd = out.length;
  const offset = nd - from.length;
  const src = stridesOf(from);
  const stride = new Array<number>(nd);
  for (let i = 0; i < nd; i++) stride[i] = i < offset || from[i - offset] === 1 ? 0 : src[i - offset];
  const idx = new Array<number>(nd).fill(0);
  let base = 0;
  for (let t = 0; t < n; t++) {
    map[t] = base;
    for (let ax = nd - 1; ax >= 0; ax--) {
      idx[ax]++;
      base += stride[ax];
      if (idx[ax] < out[ax]) break;
      base -= stride[ax] * idx[ax];
      idx[ax] = 0;
    }
  }
  return map;
}

/** The part of a square matrix a kernel reads: a triangle with its diagonal, one without (a unit diagonal), or all. */
export type MatrixPart = 'lower' | 'upper' | 'strictLower' | 'strictUpper' | 'all';

/**
 * Throws {@link NonFiniteError} if a batch of n×n matrices holds a NaN or infinity in the part a kernel reads
 * (see {@link MatrixPart}). The error names the flat index into `data` and, given the array's `shape`, the
 * multi-index (batch…, row, column).
 */
export function assertFiniteMatrices(data: Float64Array, n: number, part: MatrixPart, where: string, shape?: Shape): void {
  const nn = n * n;
  const nb = n === 0 ? 0 : data.length / nn;
  const lower = part === 'lower' || part === 'strictLower', upper = part === 'upper' || part === 'strictUpper';
  const strict = part === 'strictLower' || part === 'strictUpper';
  for (let t = 0; t < nb; t++) {
    for (let i = 0; i < n; i++) {
      const lo = upper ? (strict ? i + 1 : i) : 0;
      const hi = lower ? (strict ? i : i + 1) : n;
      const row = t * nn + i * n;
      for (let j = lo; j < hi; j++) {
        const v = data[row + j];
        if (v - v !== 0) throw new NonFiniteError(where, row + j, v, shape);
      }
    }
  }
}

/**
 * `dst[dOff : dOff+len] = src[sOff : sOff+len]`. `set` on a `subarray` allocates a view, which costs more than
 * copying a short run element by element (small matrices are dominated by such overheads), so short runs are looped.
 */
export function copyRun(src: Float64Array, sOff: number, dst: Float64Array, dOff: number, len: number): void {
  if (len >= 64) dst.set(src.subarray(sOff, sOff + len), dOff);
  else for (let i = 0; i < len; i++) dst[dOff + i] = src[sOff + i];
}

/** The flat index of the first NaN/∞ on the diagonal of the n×n matrix at `data[o]`, or −1. */
export function firstNonFiniteDiagonal(data: Float64Array, o: number, n: number): number {
  for (let i = o; i < o + n * n; i += n + 1) if (data[i] - data[i] !== 0) return i;
  return -1;
}
