/**
 * An app bundles only what it uses (issue 12 item 8): small apps are bundled with esbuild (minified, ESM, for the
 * browser) from the BUILT packages, as a user's bundler sees them (package.json `exports` and `sideEffects`), and
 * checked for size and for modules that must not be there. Needs `pnpm build` (the root `pnpm test` does it).
 *
 * The bounds are on what `@natgrad/optim` brings into an app (its own code and its dependencies: immer, rxjs, …):
 * `@natgrad/core` is bundled too, but measured apart, since every natgrad app has it whatever optimiser it uses.
 * The figures are printed, and the optim README quotes them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Metafile, type Plugin, build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const optimDir = join(root, 'packages', 'optim');
const ENTRIES: Readonly<Record<string, string>> = { '@natgrad/optim': 'index.js', '@natgrad/optim/natural': 'natural.js', '@natgrad/optim/progress': 'progress.js' };

/** The app's own imports of the optim package resolve to its dist (the apps are bundled from inside the package). */
const optimEntries: Plugin = {
  name: 'optim-entries',
  setup(b) {
    b.onResolve({ filter: /^@natgrad\/optim(\/\w+)?$/ }, (a) => ({ path: join(optimDir, 'dist', ENTRIES[a.path]) }));
  },
};

interface Bundle {
  /** Minified bytes of the whole app. */
  readonly total: number;
  /** Of which `@natgrad/core`. */
  readonly core: number;
  /** Bytes by module: package name (`@natgrad/optim`, `immer`, …) or file. */
  readonly byModule: Readonly<Record<string, number>>;
  /** The minified text. */
  readonly text: string;
}

/** The package an input file of the bundle belongs to. */
function moduleOf(file: string): string {
  const ws = /packages\/(\w+)\/dist\//.exec(file);
  if (ws) return `@natgrad/${ws[1]}`;
  const nm = /node_modules\/\.pnpm\/(@[^+/]+\+[^@/]+|[^@/]+)@/.exec(file);
  return nm ? nm[1].replace('+', '/') : file;
}

async function bundle(contents: string): Promise<Bundle> {
  const r = await build({
    stdin: { contents, resolveDir: optimDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    tsconfigRaw: '{}', // never the workspace's paths to the sources
    plugins: [optimEntries],
  });
  const out = Object.values((r.metafile as Metafile).outputs)[0];
  const byModule: Record<string, number> = {};
  for (const [f, v] of Object.entries(out.inputs)) byModule[moduleOf(f)] = (byModule[moduleOf(f)] ?? 0) + v.bytesInOutput;
  const text = r.outputFiles[0].text;
  return { total: r.outputFiles[0].contents.length, core: byModule['@natgrad/core'] ?? 0, byModule, text };
}

const APPS = {
  'setup + update + Adam': `import { Tensor } from '@natgrad/core';
import { Adam, setup, update } from '@natgrad/optim';
const p = { w: Tensor.from([1, 2]) };
const [, p2] = update(setup(Adam(0.1), p), p, { w: Tensor.from([0.1, 0.2]) });
console.log(p2.w.data);`,
  'setup + update + Adam + train': `import { Tensor, ops } from '@natgrad/core';
import { Adam, lastState, setup, train, update } from '@natgrad/optim';
const p = { w: Tensor.from([1, 2]) };
const [, p2] = update(setup(Adam(0.1), p), p, { w: Tensor.from([0.1, 0.2]) });
lastState(train({ objective: (q) => ops.sum(ops.square(q.w)), params: p2, optimiser: Adam(0.1), steps: 10 })).then(console.log);`,
  'NaturalGradient (the plug-in)': `import { Tensor } from '@natgrad/core';
import { Descent, setup } from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
console.log(setup(NaturalGradient(Descent(1)), { mu: Tensor.zeros([2]), L: Tensor.eye(2) }));`,
  'save + load': `import { load, save } from '@natgrad/optim';
console.log(load, save);`,
} as const;
type App = keyof typeof APPS;

const KB = 1024;
const bundles = {} as Record<App, Bundle>;
/** Bytes `@natgrad/optim` brings: everything but core (and the app's few lines). */
const optimShare = (b: Bundle) => b.total - b.core - (b.byModule['<stdin>'] ?? 0);

beforeAll(async () => {
  for (const f of Object.values(ENTRIES)) {
    if (!existsSync(join(optimDir, 'dist', f))) throw new Error(`packages/optim/dist/${f} is missing: run pnpm build first (pnpm test does)`);
  }
  for (const app of Object.keys(APPS) as App[]) bundles[app] = await bundle(APPS[app]);
  const rows = (Object.keys(APPS) as App[]).map((a) => {
    const b = bundles[a];
    const mods = Object.entries(b.byModule).filter(([m]) => m !== '<stdin>' && m !== '@natgrad/core').map(([m, n]) => `${m} ${(n / KB).toFixed(1)}`);
    return `| ${a} | ${(optimShare(b) / KB).toFixed(1)} KB | ${(b.total / KB).toFixed(1)} KB | ${mods.join(', ')} |`;
  });
  console.log(['| app | optim + its dependencies | whole app (with core) | by module (KB) |', '| --- | --- | --- | --- |', ...rows].join('\n'));
}, 60_000);

/** The modules of a bundle that must not be there. */
const present = (b: Bundle, names: readonly string[]) => names.filter((n) => Object.hasOwn(b.byModule, n));
/** Code only the checkpoint path and the plug-in have: their format names and rule names as string literals. */
const CHECKPOINT_MARK = 'natgrad-train-state';
const NATURAL_MARK = 'naturalCoordinates';

describe('an app bundles only what it uses (esbuild, minified, from the built packages)', () => {
  it('setup, update and Adam: ≤ 40 KB of optim and its dependencies; no zod, distributions, rxjs, cli-progress, checkpoint or natural-gradient code', () => {
    const b = bundles['setup + update + Adam'];
    expect(optimShare(b)).toBeLessThanOrEqual(40 * KB);
    expect(present(b, ['zod', '@natgrad/distributions', 'rxjs', 'cli-progress'])).toEqual([]);
    expect(b.text).not.toContain(CHECKPOINT_MARK);
    expect(b.text).not.toContain(NATURAL_MARK);
    // only the rule it uses: the other built-ins' names are not in it
    for (const other of ['"RMSProp"', '"Nesterov"', '"AdaGrad"', '"ClipNorm"', '"cosineDecay"']) expect(b.text).not.toContain(other);
    expect(b.text).toContain('"Adam"');
  });

  it('with train as well: ≤ 60 KB; rxjs comes in, still no zod, distributions, cli-progress, checkpoint or natural-gradient code', () => {
    const b = bundles['setup + update + Adam + train'];
    expect(optimShare(b)).toBeLessThanOrEqual(60 * KB);
    expect(present(b, ['rxjs'])).toEqual(['rxjs']);
    expect(present(b, ['zod', '@natgrad/distributions', 'cli-progress'])).toEqual([]);
    expect(b.text).not.toContain(CHECKPOINT_MARK);
    expect(b.text).not.toContain(NATURAL_MARK);
  });

  it('the checks above can fail: the plug-in brings distributions, the checkpoint path brings zod (≤ 80 KB with it)', () => {
    const natural = bundles['NaturalGradient (the plug-in)'];
    expect(present(natural, ['@natgrad/distributions'])).toEqual(['@natgrad/distributions']);
    expect(natural.text).toContain(NATURAL_MARK);
    expect(present(natural, ['zod'])).toEqual([]); // registering the plug-in does not pull the checkpoint path in
    const checkpoint = bundles['save + load'];
    expect(present(checkpoint, ['zod'])).toEqual(['zod']);
    // zod/mini, not classic zod (450 KB on its own): the checkpoint path stays small too
    expect(optimShare(checkpoint)).toBeLessThanOrEqual(80 * KB);
    expect(checkpoint.text).toContain(CHECKPOINT_MARK);
    expect(present(checkpoint, ['@natgrad/distributions'])).toEqual([]);
  });
});
