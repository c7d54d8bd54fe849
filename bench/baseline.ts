/**
 * Before/after comparisons in one run: `NATGRAD_BASELINE=<checkout of an older natgrad>` makes the benchmarks that
 * support it load that tree's `@natgrad/core` from its TypeScript sources (through tsx, no build needed) next to the
 * current one, and interleave the two. Without the variable those columns say how to get them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The core module's shape, as the benchmarks use it (the old tree's has at least these members). */
export type CoreModule = typeof import('@natgrad/core');

/** The baseline core and a label naming it, or a note saying why there is none. */
export interface Baseline {
  readonly core?: CoreModule;
  /** e.g. `4256c14` (the baseline's commit). */
  readonly label: string;
  readonly note: string;
}

let cached: Promise<Baseline> | undefined;

/** Loads the baseline named by `NATGRAD_BASELINE` once per run. */
export function baselineCore(): Promise<Baseline> {
  cached ??= load();
  return cached;
}

async function load(): Promise<Baseline> {
  const dir = process.env.NATGRAD_BASELINE;
  if (!dir) {
    return { label: 'before', note: 'set `NATGRAD_BASELINE=<checkout of the older commit>` for the before columns' };
  }
  const entry = join(dir, 'packages', 'core', 'src', 'index.ts');
  if (!existsSync(entry)) return { label: 'before', note: `NATGRAD_BASELINE=${dir} has no packages/core/src/index.ts` };
  let label = 'before';
  try {
    label = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout: keep the generic label
  }
  const core = (await import(pathToFileURL(entry).href)) as CoreModule;
  return { core, label, note: `before = \`${label}\` (${dir}), loaded from its sources into the same process` };
}
