/**
 * The CommonJS build bundles the `progress` entry point with its own copy of the shared modules, so anything that
 * relies on identity across entry points must not use `instanceof`. Checked on the built files (`pnpm build`, which
 * `pnpm test` runs first): a consumer error still stops a run piped through `progressBar`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const dist = new URL('../dist/', import.meta.url);
function requireBuilt(file: string): any {
  const url = new URL(file, dist);
  if (!existsSync(url)) throw new Error(`${url.pathname} is missing: run pnpm build first (pnpm test does)`);
  return require(url.pathname);
}

describe('CommonJS build', () => {
  it('a subscriber error stops a run piped through progressBar (two bundles, one behaviour)', async () => {
    const optim = requireBuilt('index.cjs');
    const { progressBar } = requireBuilt('progress.cjs');
    const core = require('@natgrad/core');
    const rxjs = require('rxjs');
    let calls = 0;
    const reported: unknown[] = [];
    const previous = rxjs.config.onUnhandledError;
    rxjs.config.onUnhandledError = (e: unknown) => void reported.push(e);
    try {
      const run$ = optim.train({
        objective: (p: any) => {
          calls++;
          return core.ops.sum(core.ops.square(p.w));
        },
        params: { w: core.Tensor.from([1]) },
        optimiser: optim.Descent(0.1),
        steps: 50,
        yieldEvery: 1,
      });
      let n = 0;
      run$.pipe(progressBar({ stream: { write: () => true }, force: true, summary: false })).subscribe(() => {
        if (++n === 2) throw new Error('consumer failed');
      });
      await new Promise((r) => setTimeout(r, 150));
    } finally {
      rxjs.config.onUnhandledError = previous;
    }
    expect(calls).toBeLessThanOrEqual(3);
    expect(reported).toHaveLength(1);
  });
});
