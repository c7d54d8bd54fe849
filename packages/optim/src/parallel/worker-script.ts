/** Where the worker threads' script is, in the published build and in the repository's TypeScript sources. @module */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * How to start a worker thread: the built script next to this module, in this module's format (dist/parallel-worker.js
 * for the ES module build, .cjs for the CommonJS one, so that the workers load @natgrad/core in the same format as the
 * program and its objective module: tensors of the ESM and CJS builds are different classes), or, when this module
 * runs from the TypeScript sources (the repository's tests and benchmarks, where `import.meta.url` ends in `.ts`), a
 * bootstrap that registers tsx's loader in the worker and then imports src/parallel/worker-entry.ts: Node does not
 * pass a parent's loader hooks on to worker threads. @internal
 */
export function workerScript(): { readonly script: string | URL; readonly eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { script: new URL(here.endsWith('.cjs') ? './parallel-worker.cjs' : './parallel-worker.js', here), eval: false };
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./worker-entry.ts', here).href;
  return { script: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, eval: true };
}
