/** Linear algebra with derivative rules. @module */
export { tril } from '../linalg/tril.js';
export { triu } from '../linalg/triu.js';
export { diag } from '../linalg/diag.js';
export { diagonal } from '../linalg/diagonal.js';
export { trace } from '../linalg/trace.js';
export { cholesky, type CholeskyOptions } from '../linalg/cholesky.js';
export { triangularSolve, type TriangularSolveOptions } from '../linalg/triangular-solve.js';
export { solve, type SolveOptions } from '../linalg/solve.js';
export { inv } from '../linalg/inv.js';
export { logdet } from '../linalg/logdet.js';
export { choleskyInverse } from '../linalg/cholesky-inverse.js';
export { choleskySolve } from '../linalg/cholesky-solve.js';
export { lu, luFactor, type LuFactorResult, type LuResult } from '../linalg/lu.js';
export { luSolve, type LuFactorsInput, type LuSolveOptions } from '../linalg/lu-solve.js';
export { det } from '../linalg/det.js';
export { slogdet, type SlogdetResult } from '../linalg/slogdet.js';
export { expm, expmFrechet } from '../linalg/expm.js';
export { matrixPower } from '../linalg/matrix-power.js';
