import { defineConfig } from 'tsup';

export default defineConfig({
  // Named entries, all emitted at the top of dist/ (chunks too), so that the gradient pool finds its worker script
  // as ./parallel-worker.js next to whichever file its code ends up in.
  entry: {
    index: 'src/index.ts',
    progress: 'src/progress.ts',
    parallel: 'src/parallel/index.ts',
    'parallel-worker': 'src/parallel/worker-entry.ts',
    worker: 'src/worker/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // import.meta.url in the CommonJS build (the pool locates its worker script with it)
  shims: true,
  tsconfig: 'tsconfig.build.json',
});
