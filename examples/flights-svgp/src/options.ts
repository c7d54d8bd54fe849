/** The example's settings: the quick mode its test runs and the full run, and their validation. */
import { InvalidArgumentError } from '@natgrad/core';

/** Settings of {@link run}. */
export interface FlightsOptions {
  /** Flights used, a seeded random subset of the file's 3 000 000. */
  readonly rows: number;
  /** Of those, held out for testing (a fixed set: the same seed gives the same split). */
  readonly testSize: number;
  /** Seed of the subset, split, k-means, minibatch order. */
  readonly seed: number;
  /** Inducing points M. */
  readonly inducing: number;
  /** Minibatch size B. */
  readonly batchSize: number;
  /** Optimiser steps. */
  readonly steps: number;
  /** Evaluate the ELBO and held-out RMSE every this many steps (and at the first and last). */
  readonly evalEvery: number;
  /** Held-out rows used for the RMSE curve (the final scores use all of them). */
  readonly monitorSize: number;
  /** Training rows on which the ELBO curve estimates the full-data ELBO (the same rows at every evaluation). */
  readonly elboSample: number;
  /** Step size of the natural-gradient steps on q after the warm-up. */
  readonly naturalStep: number;
  /** Adam's initial learning rate for the kernel, the noise and the inducing inputs (cosine decay to a tenth). */
  readonly adamLr: number;
}

/** The quick mode: 200 000 flights (20 000 held out), M = 100, 300 steps of 1 000 (≈ 1.7 epochs). */
export const QUICK: FlightsOptions = {
  rows: 200_000,
  testSize: 20_000,
  seed: 0,
  inducing: 100,
  batchSize: 1000,
  steps: 300,
  evalEvery: 30,
  monitorSize: 10_000,
  elboSample: 10_000,
  naturalStep: 0.05,
  adamLr: 0.1,
};

/**
 * The full run: all 3 000 000 flights (100 000 held out), M = 100, one epoch of 2 900 steps. (M = 200 costs about
 * three times as much per step; on a 2-core machine shared with other work the epoch then takes over an hour.)
 */
export const FULL: FlightsOptions = {
  rows: 3_000_000,
  testSize: 100_000,
  seed: 0,
  inducing: 100,
  batchSize: 1000,
  steps: 2900,
  evalEvery: 145,
  monitorSize: 20_000,
  elboSample: 20_000,
  naturalStep: 0.05,
  adamLr: 0.05,
};

const INTEGERS = ['rows', 'testSize', 'seed', 'inducing', 'batchSize', 'steps', 'evalEvery', 'monitorSize', 'elboSample'] as const;
const KNOWN: ReadonlySet<string> = new Set<string>([...INTEGERS, 'naturalStep', 'adamLr']);

/**
 * Overrides `base` with `overrides` and checks the result (unknown keys included).
 * @throws {InvalidArgumentError} naming the option that is wrong
 */
export function resolveOptions(overrides: Partial<FlightsOptions> = {}, base: FlightsOptions = QUICK): FlightsOptions {
  for (const k of Object.keys(overrides)) if (!KNOWN.has(k)) throw new InvalidArgumentError(`flights-svgp: unknown option "${k}"`);
  const o = { ...base, ...overrides };
  for (const k of INTEGERS) {
    const v = o[k];
    if (!Number.isSafeInteger(v) || v < (k === 'seed' ? 0 : 1)) throw new InvalidArgumentError(`flights-svgp: option ${k} must be a ${k === 'seed' ? 'non-negative' : 'positive'} integer, got ${String(v)}`);
  }
  for (const k of ['naturalStep', 'adamLr'] as const) {
    if (!(o[k] > 0 && o[k] <= 1)) throw new InvalidArgumentError(`flights-svgp: option ${k} must be in (0, 1], got ${String(o[k])}`);
  }
  const nTrain = o.rows - o.testSize;
  if (nTrain < 1) throw new InvalidArgumentError(`flights-svgp: testSize (${o.testSize}) must be below rows (${o.rows})`);
  if (o.batchSize > nTrain) throw new InvalidArgumentError(`flights-svgp: batchSize (${o.batchSize}) exceeds the ${nTrain} training rows`);
  if (o.inducing > nTrain) throw new InvalidArgumentError(`flights-svgp: inducing (${o.inducing}) exceeds the ${nTrain} training rows`);
  return o;
}
