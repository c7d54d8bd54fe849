/** Every built-in parametrisation, one export each (the single list of them). @module */
export { meanCovariance } from './mean-covariance.js';
export { meanCholesky } from './mean-cholesky.js';
export { meanLogCholesky } from './mean-log-cholesky.js';
export { natural } from './natural.js';
export { expectation } from './expectation.js';
export { meanPrecision } from './mean-precision.js';
export { diagonal } from './diagonal.js';
export { diagonalNatural } from './diagonal-natural.js';
export { diagonalExpectation } from './diagonal-expectation.js';
export { diagonalLogScale } from './diagonal-log-scale.js';
