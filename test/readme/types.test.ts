/**
 * Every TypeScript snippet of the READMEs type-checks under `strict` as a user would paste it (the tour test runs the
 * root README's; this one checks them all, so an implicit `any` or a possibly-undefined value fails the build).
 */
import { describe, expect, it } from 'vitest';
import { snippetModules, typecheck } from './typecheck.js';

const READMES: readonly [string, string][] = [
  ['README.md', 'root'],
  ['packages/core/README.md', 'core'],
  ['packages/distributions/README.md', 'distributions'],
  ['packages/optim/README.md', 'optim'],
];

describe('README snippets type-check under strict', () => {
  const modules = READMES.flatMap(([path, prefix]) => snippetModules(path, prefix));

  it('finds the snippets of every README', () => {
    for (const [, prefix] of READMES) expect(modules.some((m) => m.name.startsWith(`${prefix}-`))).toBe(true);
  });

  it('compiles them with no error', () => {
    expect(typecheck(modules)).toEqual([]);
  });
});
