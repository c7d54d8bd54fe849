/**
 * The packages as a user gets them: `pnpm pack` each one, `npm install` the three tarballs (plus rxjs, the peer
 * dependency) into a fresh project outside the workspace, then
 * - check the installed manifests (no `workspace:` ranges left, dependency kinds, every exported path present, only
 *   dist/README/LICENSE shipped, one shared rxjs),
 * - run the same small program as an ES module (fixtures/app.mjs) and as CommonJS (fixtures/app.cjs) and check the
 *   numbers it prints against closed forms,
 * - run the first TypeScript snippet of each package README,
 * - type-check a user's .ts files against the published declarations with the workspace's tsc (strict; module
 *   node16 for .mts/.cts, and moduleResolution bundler), including deliberate type errors that must be reported.
 *
 * Needs `pnpm build` first (the root `pnpm test` does it) and the npm registry (for rxjs, immer, zod, cli-progress).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));
const PACKAGES = ['core', 'distributions', 'optim'] as const;
type Pkg = (typeof PACKAGES)[number];
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');

/** The environment for child processes: no npm/pnpm config inherited from a `pnpm test` run, no loaders. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|vitest|node_options$|node_env$|tsx_)/i.test(k)) continue;
    env[k] = v;
  }
  env.NO_COLOR = '1';
  env.npm_config_update_notifier = 'false';
  return env;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; resolves with its exit code and output (never rejects on a non-zero exit, only on a timeout). */
function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env: cleanEnv(), timeout: timeoutMs, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      if (e?.killed) reject(new Error(`\`${cmd} ${args.join(' ')}\` (in ${cwd}) timed out after ${timeoutMs / 1000} s\n${stderr}`));
      else if (e && typeof e.code === 'string') reject(new Error(`cannot run \`${cmd}\`: ${e.message}`));
      else resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Like {@link run}, but a non-zero exit fails with the command and the tail of its output. */
async function mustRun(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  const r = await run(cmd, args, cwd, timeoutMs);
  if (r.code !== 0) {
    const tail = (s: string) => s.split('\n').slice(-40).join('\n');
    throw new Error(`\`${cmd} ${args.join(' ')}\` (in ${cwd}) exited with ${r.code}\n--- stdout\n${tail(r.stdout)}\n--- stderr\n${tail(r.stderr)}`);
  }
  return r;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

/** All files under `dir`, relative to it, with forward slashes. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** Every file path a manifest points at (main, module, types, and the leaves of `exports`). */
function manifestTargets(manifest: Record<string, any>): string[] {
  const out = [manifest.main, manifest.module, manifest.types];
  const walk = (x: unknown) => {
    if (typeof x === 'string') out.push(x);
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(manifest.exports);
  return out.filter((x): x is string => typeof x === 'string');
}

let tmp = '';
let app = '';
const installed = (p: Pkg) => join(app, 'node_modules', '@natgrad', p);

beforeAll(async () => {
  for (const p of PACKAGES) {
    const entry = join(root, 'packages', p, 'dist', 'index.js');
    if (!existsSync(entry)) throw new Error(`${relative(root, entry)} is missing: run \`pnpm build\` first (the root \`pnpm test\` does)`);
    const srcDir = join(root, 'packages', p, 'src');
    const newestSrc = Math.max(...listFiles(srcDir).map((f) => statSync(join(srcDir, f)).mtimeMs));
    if (newestSrc > statSync(entry).mtimeMs) console.warn(`packaging test: packages/${p}/dist is older than its src — the tarball may be stale (run \`pnpm build\`)`);
  }
  tmp = realpathSync(mkdtempSync(join(os.tmpdir(), 'natgrad-packaging-')));
  if (!relative(root, tmp).startsWith('..')) throw new Error(`temporary directory ${tmp} is inside the workspace`);
  const tarballs = join(tmp, 'tarballs');
  mkdirSync(tarballs);
  // One pack at a time: pnpm reads the shared workspace state.
  for (const p of PACKAGES) await mustRun('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', p), 60_000);
  const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
  const tarball = (p: Pkg) => {
    const f = files.find((x) => x.startsWith(`natgrad-${p}-`));
    if (!f) throw new Error(`pnpm pack wrote no tarball for @natgrad/${p} (found: ${files.join(', ')})`);
    return join(tarballs, f);
  };
  app = join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'natgrad-packaging-app', version: '1.0.0', private: true }, null, 2));
  await mustRun(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...PACKAGES.map(tarball), 'rxjs@^7.8.0'],
    app,
    150_000,
  );
  for (const f of ['app.mjs', 'app.cjs', 'parallel-app.mjs', 'parallel-app.cjs', 'shard-objective.mjs', 'shard-objective.cjs']) writeFileSync(join(app, f), readFileSync(join(fixtures, f)));
}, 240_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('published manifests', () => {
  it.each(PACKAGES)('@natgrad/%s: shipped files, exports that exist, publish fields', (p) => {
    const dir = installed(p);
    const m = readJson(join(dir, 'package.json'));
    expect(m.name).toBe(`@natgrad/${p}`);
    expect(JSON.stringify(m), 'a workspace: range was published').not.toMatch(/workspace:/);
    expect(m.type).toBe('module');
    // optim: the plug-in entry registers itself and the worker-thread script serves shards at load; nothing else runs
    if (p === 'optim') expect(m.sideEffects).toEqual(['./dist/natural.js', './dist/natural.cjs', './dist/parallel-worker.js', './dist/parallel-worker.cjs']);
    else expect(m.sideEffects).toBe(false);
    expect(m.license).toBe('MIT');
    expect(m.engines?.node).toMatch(/^>=\s*20/);
    expect(m.repository?.directory).toBe(`packages/${p}`);
    expect(m.homepage).toMatch(/^https:\/\//);
    expect(m.exports['.'].import).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(m.exports['.'].require).toEqual({ types: './dist/index.d.cts', default: './dist/index.cjs' });
    for (const target of manifestTargets(m)) expect(existsSync(join(dir, target)), `${p}: ${target} is not in the tarball`).toBe(true);
    const shipped = listFiles(dir);
    expect(shipped.filter((f) => !/^(dist\/.+|README\.md|LICENSE|package\.json)$/.test(f)), 'unexpected files in the tarball').toEqual([]);
    expect(shipped).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']));
    // tsup emits the ESM and CJS declarations from the same source: they must declare the same API.
    // (Declarations shared between entry points live in a chunk imported as .js from .d.ts and .cjs from .d.cts.)
    const sameApi = (text: string) => text.replace(/(from '\.\/[\w-]+)\.c?js'/g, "$1'");
    expect(sameApi(readFileSync(join(dir, 'dist/index.d.cts'), 'utf8'))).toBe(sameApi(readFileSync(join(dir, 'dist/index.d.ts'), 'utf8')));
    // The main entry must load in a browser: the Node-only cli-progress belongs to @natgrad/optim/progress alone.
    for (const f of ['dist/index.js', 'dist/index.cjs']) expect(readFileSync(join(dir, f), 'utf8')).not.toMatch(/cli-progress/);
    if (p === 'optim') {
      // Browsers: the main and Web Worker entries (and the chunks they import) need nothing of Node's.
      const imported = (f: string): string[] => {
        const text = readFileSync(join(dir, f), 'utf8');
        const chunks = [...text.matchAll(/from ["']\.\/([\w-]+\.js)["']/g)].map((m) => `dist/${m[1]}`);
        return [text, ...chunks.flatMap(imported)];
      };
      for (const f of ['dist/index.js', 'dist/worker.js', 'dist/worker.cjs']) {
        expect(imported(f).join('\n'), `${f} must load in a browser`).not.toMatch(/["'](node:[\w/]+|worker_threads|cli-progress)["']/);
      }
      for (const f of ['dist/parallel-worker.js', 'dist/parallel-worker.cjs']) expect(existsSync(join(dir, f)), 'the gradient pool needs its worker script').toBe(true);
    }
  });

  it('dependency kinds: workspace ranges rewritten, rxjs a peer shared with the app, distributions an optional peer of optim', () => {
    const version = (p: Pkg) => readJson(join(root, 'packages', p, 'package.json')).version as string;
    const dist = readJson(join(installed('distributions'), 'package.json'));
    expect(dist.dependencies).toEqual({ '@natgrad/core': `^${version('core')}` });
    const optim = readJson(join(installed('optim'), 'package.json'));
    expect(Object.keys(optim.dependencies).sort()).toEqual(['@natgrad/core', 'cli-progress', 'immer', 'zod']);
    expect(optim.dependencies['@natgrad/core']).toBe(`^${version('core')}`);
    // only @natgrad/optim/natural needs distributions: an optional peer, installed by the apps that use the plug-in
    expect(optim.peerDependencies).toEqual({ rxjs: expect.stringMatching(/^\^7\./), '@natgrad/distributions': `^${version('distributions')}` });
    expect(optim.peerDependenciesMeta).toEqual({ '@natgrad/distributions': { optional: true } });
    expect(readJson(join(installed('core'), 'package.json')).dependencies ?? {}).toEqual({});
    // One rxjs (the app's) and one core: nothing nested under the packages.
    expect(existsSync(join(app, 'node_modules', 'rxjs', 'package.json'))).toBe(true);
    for (const p of PACKAGES) expect(existsSync(join(installed(p), 'node_modules')), `@natgrad/${p} got nested dependencies`).toBe(false);
  });
});

/** KL(N(μ, diag s) ‖ N(0, I)). */
const klToStandard = (mu: number[], s: number[]) => 0.5 * mu.reduce((acc, m, i) => acc + s[i] + m * m - 1 - Math.log(s[i]), 0);

/** What fixtures/app.{mjs,cjs} must print, from closed forms (q = N((0.5, −1), diag(2, 0.5)), p = N(0, I)). */
function checkProgram(out: Record<string, any>) {
  const mu = [0.5, -1];
  const s = [2, 0.5];
  const close = (x: unknown, y: unknown) => expect(x).toEqual(deepClose(y));
  expect(out.loss).toBeCloseTo(klToStandard(mu, s), 14);
  // natgrad μ = Σ ∂KL/∂μ = Σμ, natgrad Σ = 2Σ (∂KL/∂Σ) Σ = Σ² − Σ.
  const ngMu = mu.map((m, i) => s[i] * m);
  const ngSigma = [[s[0] ** 2 - s[0], 0], [0, s[1] ** 2 - s[1]]];
  for (const k of ['ngMuAd', 'ngMuClosedForm', 'ngMuFromL']) close(out[k], ngMu);
  for (const k of ['ngSigmaAd', 'ngSigmaClosedForm', 'sigmaDotFromL']) close(out[k], ngSigma);
  // Steps of ½ in natural coordinates: θ₁ = Σ⁻¹μ → 2⁻ᵗθ₁, Σ⁻¹ − I → 2⁻ᵗ(Σ⁻¹ − I).
  const at = (t: number) => {
    const prec = s.map((x) => 1 + 2 ** -t * (1 / x - 1));
    const sigma = prec.map((x) => 1 / x);
    return { mu: mu.map((m, i) => sigma[i] * (2 ** -t * (m / s[i]))), sigma };
  };
  expect(out.steps).toEqual([1, 2, 3, 4]);
  close(out.losses, [0, 1, 2, 3].map((t) => klToStandard(at(t).mu, at(t).sigma)));
  close(out.finalMu, at(4).mu);
  close(out.finalL, [[Math.sqrt(at(4).sigma[0]), 0], [0, Math.sqrt(at(4).sigma[1])]]);
  expect(out.sharedRxjs, "train() must return the app's rxjs Observable (rxjs is a peer dependency)").toBe(true);
  expect(out.frozen).toBe(true);
  expect(out.progressSummary, '@natgrad/optim/progress must print its closing summary').toBe(true);
  // the WebAssembly kernels embedded in the bundle ran (setBackend('wasm') would throw otherwise) and agree with JS
  expect(out.backend).toBe('auto');
  expect(out.wasmVsJs[0]).toBeLessThanOrEqual(1e-12);
  expect(out.wasmVsJs[1]).toBeLessThanOrEqual(1e-12);
}

/** An asymmetric matcher tree: numbers within 1e-12 (relative to 1), everything else as is. */
function deepClose(y: unknown): unknown {
  if (typeof y === 'number') return expect.closeTo(y, 12);
  if (Array.isArray(y)) return y.map(deepClose);
  return y;
}

function parseProgram(r: RunResult, name: string): Record<string, any> {
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${name} printed no JSON line:\n${r.stdout}\n${r.stderr}`);
  }
}

describe('a user program against the tarballs', () => {
  const outputs: Record<string, Record<string, any>> = {};

  it('as an ES module (import → dist/index.js)', async () => {
    const out = parseProgram(await mustRun(process.execPath, ['app.mjs'], app, 60_000), 'app.mjs');
    expect(out.format).toBe('esm');
    expect(out.resolved).toMatch(/node_modules\/@natgrad\/core\/dist\/index\.js$/);
    checkProgram(out);
    outputs.esm = out;
  });

  it('as CommonJS (require → dist/index.cjs)', async () => {
    const out = parseProgram(await mustRun(process.execPath, ['app.cjs'], app, 60_000), 'app.cjs');
    expect(out.format).toBe('cjs');
    expect(out.resolved).toMatch(/node_modules\/@natgrad\/core\/dist\/index\.cjs$/);
    checkProgram(out);
    outputs.cjs = out;
  });

  it.each(['mjs', 'cjs'])('@natgrad/optim/parallel and /worker (parallel-app.%s)', async (ext) => {
    const out = parseProgram(await mustRun(process.execPath, [`parallel-app.${ext}`], app, 90_000), `parallel-app.${ext}`);
    const js = ext === 'mjs' ? 'js' : 'cjs';
    expect(out.resolved).toEqual([expect.stringMatching(new RegExp(`dist/parallel\\.${js}$`)), expect.stringMatching(new RegExp(`dist/worker\\.${js}$`))]);
    expect(out.poolWorkers).toBe(1);
    expect(out.shardedLoss).toBeCloseTo(out.singleLoss, 10);
    const scale = Math.max(...out.single.map(Math.abs));
    out.sharded.forEach((g: number, i: number) => expect(Math.abs(g - out.single[i])).toBeLessThanOrEqual(1e-12 * scale));
    expect(out.remoteStep).toBe(20);
    expect(out.remoteW).toEqual(out.localW);
  });

  it('both builds compute the same numbers, bit for bit', () => {
    if (!outputs.esm || !outputs.cjs) return; // reported by the tests above
    const strip = ({ format: _f, resolved: _r, ...rest }: Record<string, any>) => rest;
    expect(strip(outputs.cjs)).toEqual(strip(outputs.esm));
  });

  it.each(PACKAGES)("the first TypeScript snippet of @natgrad/%s's README runs", async (p) => {
    const ts = (await import('typescript')).default;
    const readme = readFileSync(join(installed(p), 'README.md'), 'utf8');
    const snippet = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet, `packages/${p}/README.md has no \`\`\`ts snippet`).toBeTruthy();
    const js = ts.transpileModule(snippet!, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const file = `readme-${p}.mjs`;
    writeFileSync(join(app, file), js);
    const r = await run(process.execPath, [file], app, 60_000);
    expect(r.code, `the README snippet of @natgrad/${p} failed:\n${r.stderr}\n--- snippet\n${snippet}`).toBe(0);
  });
});

// --- type-checking a user's code against the published declarations ---

const USER_TS = `
import { Tensor, grad, ops, type Value } from '@natgrad/core';
import { type Gaussian, kl, lossAndNaturalGradient, meanCholesky, meanCovariance } from '@natgrad/distributions';
import { Adam, Descent, type TrainState, adjust, chain, lastState, loadTrainState, saveTrainState, setup, train, update } from '@natgrad/optim';
import { NaturalGradient, nativeCoordinates } from '@natgrad/optim/natural';
import { progressBar } from '@natgrad/optim/progress';
import { take } from 'rxjs';

const p: Gaussian<'mu' | 'Sigma'> = { mu: Tensor.from([0, 0]), Sigma: Tensor.from([[1, 0], [0, 1]]) };
// A Gaussian typed by @natgrad/distributions is a parameter tree @natgrad/optim accepts as is.
const q: Gaussian<'mu' | 'L'> = { mu: Tensor.from([0.5, -1]), L: Tensor.from([[1, 0], [0.2, 0.7]]) };
const loss = (qq: Gaussian<'mu' | 'L'>): Value => kl(meanCholesky, qq, meanCovariance, p);
const { naturalGradient } = lossAndNaturalGradient(loss, meanCholesky, q);
export const ngL: Value = naturalGradient.L;
export const g: Tensor = grad((x: Value) => ops.sum(ops.square(x)))(Tensor.from([1, 2])) as Tensor;
export const final: Promise<TrainState<typeof q> | undefined> = lastState(
  train({ objective: loss, params: q, optimiser: NaturalGradient(Descent(0.5)), steps: 3 }).pipe(take(2), progressBar()),
);
export const rule = chain(Adam(1e-3), Descent(1));
// update returns the caller's parameter type
export const next: Gaussian<'mu' | 'L'> = update(setup(Adam(1e-3), q), q, q)[1];
// a missing gradient is null; adjust changes a rate anywhere; a whole run round-trips through a file
export const skipped: Gaussian<'mu' | 'L'> = update(setup(Adam(1e-3), q), q, { mu: q.mu, L: null })[1];
export const slower = adjust(setup(chain(Adam(1e-3), Descent(1)), q), 'Adam', { lr: 1e-4 });
export const native = NaturalGradient(Descent(0.1), { coordinates: nativeCoordinates(meanCholesky) });
export const resumed = final.then((s) => (s === undefined ? undefined : loadTrainState<typeof q>(saveTrainState(s)).params.L));
`;

/** Deliberate type errors (line numbers matter: the test expects each one where it is). */
const BAD_TS = `import { Tensor } from '@natgrad/core';
import { meanCholesky } from '@natgrad/distributions';
import { Adam } from '@natgrad/optim';
export const adam = Adam('fast');
export const q = meanCholesky.validate({ mu: Tensor.from([0]), Sigma: Tensor.from([[1]]) });
`;
const EXPECTED_ERRORS = [
  { line: 4, code: 'TS2345', text: /'"fast"'.*Rate/ },
  { line: 5, code: 'TS2353', text: /Sigma/ },
];

interface Diagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
}

function diagnostics(output: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)) out.push({ file: m[1], line: Number(m[2]), code: m[3], message: m[4] });
  return out;
}

async function typecheck(name: string, compilerOptions: Record<string, unknown>, files: Record<string, string>) {
  const dir = join(app, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  const config = {
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', types: [], ...compilerOptions },
    files: Object.keys(files),
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
  const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFiles', '--pretty', 'false'], dir, 90_000);
  return { ...r, errors: diagnostics(r.stdout), listed: r.stdout.split('\n').filter((l) => l.startsWith('/')) };
}

/** rxjs 7's own declarations use `setTimeout` without referencing a lib that declares it. */
const rxjsNeedsTimers = (e: Diagnostic) => /node_modules\/rxjs\//.test(e.file) && e.code === 'TS2304' && /setTimeout|clearTimeout|setInterval/.test(e.message);

function expectOnlyDeliberateErrors(errors: Diagnostic[], badFiles: string[], output: string, tolerate = (_e: Diagnostic) => false) {
  const unexpected = errors.filter((e) => !badFiles.includes(e.file) && !tolerate(e));
  expect(unexpected, `type errors outside the deliberate ones:\n${output}`).toEqual([]);
  for (const f of badFiles) {
    const got = errors.filter((e) => e.file === f);
    expect(got.map((e) => [e.line, e.code]), `${f}: the deliberate errors were not reported as expected:\n${output}`).toEqual(
      EXPECTED_ERRORS.map((e) => [e.line, e.code]),
    );
    got.forEach((e, i) => expect(e.message).toMatch(EXPECTED_ERRORS[i].text));
  }
}

describe('type-checking user code against the published .d.ts / .d.cts', () => {
  it('module node16: an ES module (.mts → .d.ts) and a CommonJS module (.cts → .d.cts), skipLibCheck off', async () => {
    // lib dom: rxjs's own declarations need setTimeout from dom or @types/node; ours need neither (next test).
    const r = await typecheck(
      'tc-node16',
      { module: 'node16', moduleResolution: 'node16', lib: ['es2022', 'dom'], skipLibCheck: false },
      { 'user.mts': USER_TS, 'user.cts': USER_TS, 'bad.mts': BAD_TS, 'bad.cts': BAD_TS },
    );
    expect(r.code, r.stdout).not.toBe(0);
    expectOnlyDeliberateErrors(r.errors, ['bad.mts', 'bad.cts'], r.stdout);
    for (const p of PACKAGES) {
      expect(r.listed, `the .mts files did not resolve @natgrad/${p} to dist/index.d.ts`).toContain(join(installed(p), 'dist/index.d.ts'));
      expect(r.listed, `the .cts files did not resolve @natgrad/${p} to dist/index.d.cts`).toContain(join(installed(p), 'dist/index.d.cts'));
    }
  });

  it('moduleResolution bundler, lib es2022 only (no dom, no @types/node), skipLibCheck off', async () => {
    // Our declarations must not need dom or Node globals; rxjs's do (setTimeout), which is rxjs's business.
    const r = await typecheck(
      'tc-bundler',
      { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022'], skipLibCheck: false },
      { 'user.ts': USER_TS, 'bad.ts': BAD_TS },
    );
    expect(r.code, r.stdout).not.toBe(0);
    expectOnlyDeliberateErrors(r.errors, ['bad.ts'], r.stdout, rxjsNeedsTimers);
    for (const p of PACKAGES) expect(r.listed).toContain(join(installed(p), 'dist/index.d.ts'));
  });
});
