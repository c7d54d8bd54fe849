import { readFile, readdir, writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

/**
 * esbuild writes the namespace object of `import * as rules` (how the checkpoint path collects the built-in rules,
 * without a table) as a top-level `__export(ns, { … })` call, which a bundler must keep — and with it every rule —
 * unless it is marked pure. It is pure (it only defines getters on a fresh object): say so, in the ESM files that apps
 * bundle, so that an app that never loads a checkpoint bundles only the rules it uses.
 */
async function markNamespacesPure(): Promise<void> {
  for (const f of await readdir('dist')) {
    if (!f.endsWith('.js')) continue;
    const file = `dist/${f}`;
    const text = await readFile(file, 'utf8');
    const marked = text.replace(/^__export\(/gm, '/* @__PURE__ */ __export(');
    if (marked !== text) await writeFile(file, marked);
  }
}

export default defineConfig({
  // Named entries, all emitted at the top of dist/ (chunks too), so that the gradient pool finds its worker script
  // as ./parallel-worker.js next to whichever file its code ends up in.
  entry: {
    index: 'src/index.ts',
    progress: 'src/progress.ts',
    parallel: 'src/parallel/index.ts',
    'parallel-worker': 'src/parallel/worker-entry.ts',
    worker: 'src/worker/index.ts',
    natural: 'src/natural/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // import.meta.url in the CommonJS build (the pool locates its worker script with it)
  shims: true,
  tsconfig: 'tsconfig.build.json',
  // The natural-gradient plug-in is written against the public API and imports it by the package's own name, so the
  // built entry shares the main entry's registry (and classes) instead of bundling a second copy.
  external: ['@natgrad/optim'],
  onSuccess: markNamespacesPure,
});
