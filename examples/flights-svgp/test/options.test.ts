/** Options: overrides on a preset, every value checked, the wrong one named. */
import { InvalidArgumentError } from '@natgrad/core';
import { describe, expect, it } from 'vitest';
import { FULL, QUICK, resolveOptions } from '../src/options.js';
import { run } from '../src/run.js';

describe('options', () => {
  it('override a preset', () => {
    expect(resolveOptions()).toEqual(QUICK);
    expect(resolveOptions({ steps: 5 }, FULL)).toEqual({ ...FULL, steps: 5 });
    expect(FULL.rows).toBe(3_000_000);
  });

  it('reject bad values, naming the option', () => {
    const bad: [object, RegExp][] = [
      [{ steps: 0 }, /steps must be a positive integer/],
      [{ inducing: 2.5 }, /inducing must be a positive integer/],
      [{ seed: -1 }, /seed must be a non-negative integer/],
      [{ naturalStep: 0 }, /naturalStep must be in \(0, 1\]/],
      [{ adamLr: NaN }, /adamLr must be in \(0, 1\]/],
      [{ rows: 100, testSize: 100 }, /testSize \(100\) must be below rows \(100\)/],
      [{ rows: 1000, testSize: 100, batchSize: 1000 }, /batchSize \(1000\) exceeds the 900 training rows/],
      [{ rows: 1000, testSize: 100, batchSize: 100, inducing: 901 }, /inducing \(901\) exceeds/],
      [{ lerningRate: 0.1 }, /unknown option "lerningRate"/],
    ];
    for (const [o, message] of bad) {
      expect(() => resolveOptions(o as never)).toThrow(InvalidArgumentError);
      expect(() => resolveOptions(o as never)).toThrow(message);
    }
  });

  it('are checked by run before any data is read', async () => {
    await expect(run({ batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
  });
});
