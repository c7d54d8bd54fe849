/** A user-defined parametrisation for the tests: log-Cholesky, L = tril(A, −1) + diag(exp(diag A)). */
import { ops } from '@natgrad/core';
import { defineParametrisation } from '@natgrad/distributions';

/** Only the moment maps are given: everything else (θ ↦ ξ included) is derived, and differentiated by AD. */
export const logCholesky = defineParametrisation({
  name: 'logCholesky',
  family: 'full',
  coordinates: { mu: 'vector', A: 'lower' },
  toMoments: ({ mu, A }) => {
    const L = ops.add(ops.tril(A, -1), ops.diag(ops.exp(ops.diagonal(A))));
    return { mu, Sigma: ops.matmul(L, ops.matrixTranspose(L)) };
  },
  fromMoments: ({ mu, Sigma }) => {
    const L = ops.cholesky(Sigma);
    return { mu, A: ops.add(ops.tril(L, -1), ops.diag(ops.log(ops.diagonal(L)))) };
  },
});
