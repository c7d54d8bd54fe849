import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Vitest 5's reporter calls Map.groupBy (Node ≥ 21) when printing failures; Node 20 lacks it, and without this
// polyfill every failing run would crash the reporter and hide the failure messages.
if (typeof (Map as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value<K, T>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, T[]> {
      const out = new Map<K, T[]>();
      let i = 0;
      for (const item of items) {
        const k = key(item, i++);
        const group = out.get(k);
        if (group) group.push(item);
        else out.set(k, [item]);
      }
      return out;
    },
  });
}

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests run against the TypeScript sources; the packaging test checks the built tarballs separately.
export default defineConfig({
  resolve: {
    alias: {
      '@natgrad/core': src('core'),
      '@natgrad/distributions': src('distributions'),
      '@natgrad/optim/progress': fileURLToPath(new URL('./packages/optim/src/progress.ts', import.meta.url)),
      '@natgrad/optim/natural': fileURLToPath(new URL('./packages/optim/src/natural/index.ts', import.meta.url)),
      '@natgrad/optim/parallel': fileURLToPath(new URL('./packages/optim/src/parallel/index.ts', import.meta.url)),
      '@natgrad/optim/worker': fileURLToPath(new URL('./packages/optim/src/worker/index.ts', import.meta.url)),
      '@natgrad/optim': src('optim'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    setupFiles: ['test/setup/fast-check.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
