/** The built-in parametrisations. @module */
import { diagonalExpectation } from './diagonal-expectation.js';
import { diagonalLogScale } from './diagonal-log-scale.js';
import { diagonalNatural } from './diagonal-natural.js';
import { diagonal } from './diagonal.js';
import { expectation } from './expectation.js';
import { meanCholesky } from './mean-cholesky.js';
import { meanCovariance } from './mean-covariance.js';
import { meanLogCholesky } from './mean-log-cholesky.js';
import { meanPrecision } from './mean-precision.js';
import { natural } from './natural.js';

export {
  meanCovariance,
  meanCholesky,
  meanLogCholesky,
  natural,
  expectation,
  meanPrecision,
  diagonal,
  diagonalNatural,
  diagonalExpectation,
  diagonalLogScale,
};

/** Every built-in parametrisation by name (e.g. for looking one up from a checkpoint). */
export const parametrisations = Object.freeze({
  meanCovariance,
  meanCholesky,
  meanLogCholesky,
  natural,
  expectation,
  meanPrecision,
  diagonal,
  diagonalNatural,
  diagonalExpectation,
  diagonalLogScale,
});
