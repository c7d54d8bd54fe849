/** Loading a shard objective from its module, on the main thread and in workers alike. @module */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '@natgrad/core';
import type { ShardObjective } from './shard-worker.js';

/**
 * The `file:` URL of a module given as a URL or an absolute path.
 * @throws {InvalidArgumentError} for anything else (a relative path is ambiguous: relative to what?).
 * @internal
 */
export function moduleHref(module: unknown): string {
  if (module instanceof URL) {
    if (module.protocol !== 'file:') throw new InvalidArgumentError(`createGradientPool: module must be a file: URL, got ${module.protocol} URL`);
    return module.href;
  }
  if (typeof module === 'string') {
    if (module.startsWith('file:')) return moduleHref(new URL(module));
    if (isAbsolute(module)) return pathToFileURL(module).href;
  }
  throw new InvalidArgumentError(
    'createGradientPool: module must be a file: URL or an absolute path of the module that exports the shard objective, ' +
      "e.g. new URL('./objective.js', import.meta.url)",
  );
}

/**
 * Imports the module and returns its export `exportName`.
 * @throws {InvalidArgumentError} when that export is missing or not a function (listing the module's exports);
 * the module's own error when it does not load.
 * @internal
 */
export async function loadShardObjective(href: string, exportName: string): Promise<ShardObjective> {
  const mod = (await import(href)) as Record<string, unknown>;
  const f = Object.prototype.hasOwnProperty.call(mod, exportName) ? mod[exportName] : undefined;
  if (typeof f !== 'function') {
    const exports = Object.keys(mod).join(', ') || 'none';
    throw new InvalidArgumentError(
      `createGradientPool: ${href} has no function export "${exportName}" (its exports: ${exports}); export the shard objective ` +
        '(params, shard, key, step, info) => loss',
    );
  }
  return f as ShardObjective;
}
