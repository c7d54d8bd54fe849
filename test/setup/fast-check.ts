/**
 * Property tests run with a fixed fast-check seed so that a test run is reproducible (CI must not fail by luck).
 * Explore new inputs with `FC_SEED=random pnpm test` (or any number); a failure prints the seed to replay it.
 */
import fc from 'fast-check';

const requested = process.env.FC_SEED;
if (requested !== 'random') {
  const seed = requested === undefined ? 20261124 : Number(requested);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got ${requested}`);
  fc.configureGlobal({ seed });
}
