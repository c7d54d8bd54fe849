/**
 * Which source file defines an export: follows `export … from` chains from a package index, so the report can group
 * failures by the file a fix goes into. A small reader of TypeScript export statements, not a parser: it knows the
 * forms this repository uses (`export function|const|class`, `export { a, b as c } from`, `export *`, `export * as`).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const cache = new Map<string, string>();

function read(file: string): string {
  let text = cache.get(file);
  if (text === undefined) cache.set(file, (text = existsSync(file) ? readFileSync(file, 'utf8') : ''));
  return text;
}

function target(from: string, spec: string): string {
  return join(dirname(from), spec.replace(/\.js$/, '.ts'));
}

/** The file (absolute) that declares `name` exported from `file`, or `file` itself if it cannot tell. */
export function definingFile(file: string, name: string, depth = 0): string {
  if (depth > 12) return file;
  const text = read(file);
  const declared = new RegExp(`export\\s+(?:declare\\s+)?(?:abstract\\s+)?(?:async\\s+)?(?:function\\*?|const|let|class)\\s+${name}\\b`);
  if (declared.test(text)) return file;
  for (const m of text.matchAll(/export\s+\*\s+as\s+(\w+)\s+from\s+'([^']+)'/g)) {
    if (m[1] === name) return target(file, m[2]);
  }
  for (const m of text.matchAll(/export\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
    for (const part of m[1].split(',')) {
      const [orig, alias] = part.replace(/\btype\s+/, '').trim().split(/\s+as\s+/);
      if ((alias ?? orig) === name) return definingFile(target(file, m[2]), orig, depth + 1);
    }
  }
  for (const m of text.matchAll(/export\s*\{([^}]*)\}\s*;/g)) {
    if (m[1].split(',').some((p) => p.trim() === name)) {
      const imp = new RegExp(`import\\s*(?:\\*\\s+as\\s+${name}|\\{[^}]*\\b${name}\\b[^}]*\\})\\s*from\\s*'([^']+)'`).exec(text);
      if (imp) return imp[0].includes('* as') ? target(file, imp[1]) : definingFile(target(file, imp[1]), name, depth + 1);
      return file;
    }
  }
  for (const m of text.matchAll(/export\s+\*\s+from\s+'([^']+)'/g)) {
    const f = target(file, m[1]);
    const found = definingFile(f, name, depth + 1);
    // a mention of the word is not enough (a comment of an `export *` file may say "train"): it must export it
    if (found !== f || exportsName(read(f), name)) return found;
  }
  return file;
}

/** True when `text` itself declares or lists `name` in an export statement. */
function exportsName(text: string, name: string): boolean {
  const declared = new RegExp(`export\\s+(?:declare\\s+)?(?:abstract\\s+)?(?:async\\s+)?(?:function\\*?|const|let|class)\\s+${name}\\b`);
  const listed = new RegExp(`export\\s*(?:type\\s*)?\\{[^}]*\\b${name}\\b[^}]*\\}`);
  const namespace = new RegExp(`export\\s+\\*\\s+as\\s+${name}\\b`);
  return declared.test(text) || listed.test(text) || namespace.test(text);
}

/** `definingFile` relative to the repository root. */
export function sourceOf(root: string, index: string, name: string): string {
  return relative(root, definingFile(join(root, index), name));
}
