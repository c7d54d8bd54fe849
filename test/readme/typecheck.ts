/**
 * Type-checking code as a user would write it: modules given as text, compiled by the TypeScript compiler under
 * `strict` against the packages' built declarations (`@natgrad/*` mapped to `packages/<name>/dist/*.d.ts`, what a
 * user installs; checking the declarations instead of the sources keeps this to seconds). Needs `pnpm build`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** One module to check: a file name (for messages) and its text. */
export interface Module {
  readonly name: string;
  readonly code: string;
}

/** Diagnostics of `modules`, formatted as `name:line:col: message`, for the virtual modules only. */
export function typecheck(modules: readonly Module[]): string[] {
  const dir = join(root, 'test', 'readme', '.virtual');
  const files = new Map(modules.map((m) => [join(dir, m.name), m.code]));
  const dts = (p: string, entry = 'index') => {
    const f = join(root, 'packages', p, 'dist', `${entry}.d.ts`);
    if (!existsSync(f)) throw new Error(`${f} is missing: run pnpm build first (pnpm test does)`);
    return [f];
  };
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
    skipLibCheck: true,
    esModuleInterop: true,
    paths: {
      '@natgrad/core': dts('core'),
      '@natgrad/distributions': dts('distributions'),
      '@natgrad/optim': dts('optim'),
      '@natgrad/optim/progress': dts('optim', 'progress'),
      '@natgrad/optim/natural': dts('optim', 'natural'),
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = files.get(f);
    return text === undefined ? getSourceFile(f, lang, onError, create) : ts.createSourceFile(f, text, lang, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || files.has(d.file.fileName))
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (d.file === undefined || d.start === undefined) return message;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${d.file.fileName.slice(dir.length + 1)}:${line + 1}:${character + 1}: ${message}`;
    });
}

/**
 * The ```ts blocks of a Markdown file as modules. A block with no `import` continues the block before it (a
 * snippet that builds on the previous one), so it is appended to that module.
 */
export function snippetModules(markdownPath: string, prefix: string): Module[] {
  const text = readFileSync(join(root, markdownPath), 'utf8');
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const out: { name: string; code: string }[] = [];
  blocks.forEach((b, i) => {
    if (/^import\s/m.test(b) || out.length === 0) out.push({ name: `${prefix}-${i}.ts`, code: `${b}\nexport {};\n` });
    else out[out.length - 1].code += `\n${b}\n`;
  });
  return out;
}
