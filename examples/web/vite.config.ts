/**
 * Vite config of the live demo. The page imports the BUILT natgrad packages (`pnpm build` at the root first) and the
 * penguins data straight from the vega-datasets package (its `exports` hide `data/`, so we alias the file).
 * `pnpm --filter @natgrad-examples/web start` serves it with hot reload on http://localhost:5173.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const vegaDatasets = dirname(createRequire(import.meta.url).resolve('vega-datasets')); // …/vega-datasets/build

export default defineConfig({
  root: here,
  resolve: {
    alias: {
      '@data/penguins.json': join(vegaDatasets, '..', 'data', 'penguins.json'),
    },
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 1000 },
  // the training worker is an ES module (new Worker(url, { type: 'module' })), so it can share chunks with the page
  worker: { format: 'es' },
});
