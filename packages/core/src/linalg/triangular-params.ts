/** The parameters shared by the triangular primitives (solve and product): which side, triangle and transpose. @module */

/** Which triangular system is solved (or product formed): `op(T) X = B` (`left`) or `X op(T) = B`, `op(T)` = T or Tᵀ. */
export interface TriangularSolveParams {
  readonly left: boolean;
  readonly lower: boolean;
  readonly transpose: boolean;
  /** The diagonal of T is taken as ones and not read. */
  readonly unit: boolean;
}

const PARAMS: TriangularSolveParams[] = [];
for (let i = 0; i < 16; i++) {
  PARAMS.push(Object.freeze({ left: (i & 8) !== 0, lower: (i & 4) !== 0, transpose: (i & 2) !== 0, unit: (i & 1) !== 0 }));
}

/** The shared frozen parameter object of one kind of solve (no allocation per call). */
export function triangularSolveParams(left: boolean, lower: boolean, transpose: boolean, unit: boolean): TriangularSolveParams {
  return PARAMS[(left ? 8 : 0) + (lower ? 4 : 0) + (transpose ? 2 : 0) + (unit ? 1 : 0)];
}

