import { exp, log, mul } from '@natgrad/core';
import { defineParametrisation } from '../define.js';

/**
 * Mean-field Gaussian by means and log standard deviations `{ mu, logSigma }` (σ = exp(logSigma), both [..., D]):
 * the usual unconstrained VI parametrisation.
 *
 * It is defined from its moment maps alone: every other map — θ ↦ ξ included — is derived by
 * {@link defineParametrisation}, and the natural gradient comes from one JVP of that derived map (no closed form is
 * supplied on purpose; it serves as the check that the AD route works for any map).
 */
export const diagonalLogScale = defineParametrisation({
  name: 'diagonalLogScale',
  family: 'diagonal',
  coordinates: { mu: 'vector', logSigma: 'vector' },
  toMoments: (q) => ({ mu: q.mu, sigma2: exp(mul(q.logSigma, 2)) }),
  fromMoments: (m) => ({ mu: m.mu, logSigma: mul(log(m.sigma2), 0.5) }),
  toScale: (q) => exp(q.logSigma),
  // Any finite logSigma is valid, so the structural checks are all there is.
  constraints: () => {},
});
