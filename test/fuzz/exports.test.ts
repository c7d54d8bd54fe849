/**
 * Hostile-input fuzzing of every public export (issue 10: "every bad input gets a clear typed error"). The tables
 * (table/) give each function, constructor and method a signature of argument slots; the harness (harness/) builds
 * valid arguments, replaces one argument at a time by each bad value of its slot — wrong types, shapes, NaN/∞, huge
 * sizes, hostile objects, misbehaving callbacks, plus values drawn by fast-check from a fixed seed — and classifies
 * what happened. Cases run in worker processes under an allocation guard, so a case that would exhaust memory or
 * hang is recorded instead of taking the test run down.
 *
 * `FUZZ_REPORT=path.json|path.md` writes the report; `FUZZ_ONLY=<regex>` runs the entries whose names match;
 * `FC_SEED` picks the seed as for the other property tests; `FUZZ_WORKERS` sets the number of worker processes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { completenessProblems } from './harness/completeness.js';
import { type Report, buildReport, toMarkdown } from './harness/report.js';
import { casesOf, slotName } from './harness/run.js';
import { sourceOf } from './harness/sources.js';
import { supervise } from './harness/supervise.js';
import { type CaseResult, type Extra, FAILURES, type OutcomeKind } from './harness/types.js';
import { allEntries, tables } from './table/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const requested = process.env.FC_SEED;
const SEED = requested === undefined ? 20261124 : requested === 'random' ? (Date.now() % 2 ** 31) : Number(requested);
const only = process.env.FUZZ_ONLY === undefined ? undefined : new RegExp(process.env.FUZZ_ONLY);
const located = allEntries();
const selected = located.filter((l) => only === undefined || only.test(l.entry.name));

describe('fuzz: the tables cover the public API', () => {
  test('every runtime export, class member and object method has an entry, and every entry exists', () => {
    expect(completenessProblems(tables)).toEqual([]);
  });
});

describe(`fuzz: hostile inputs to every public export (seed ${SEED})`, () => {
  let results: CaseResult[] = [];
  let report: Report;

  beforeAll(async () => {
    const byName = new Map(located.map((l) => [l.entry.name, l.entry]));
    results = await supervise(
      selected.map((l) => l.entry.name),
      {
        seed: SEED,
        root: ROOT,
        workers: Number(process.env.FUZZ_WORKERS ?? 2),
        describe: (name, index) => {
          const entry = byName.get(name)!;
          const c = casesOf(entry, SEED)[index];
          return { slot: slotName(entry, c), bad: c.bad?.label ?? 'valid arguments', family: c.bad?.family ?? 'baseline', expect: c.bad?.expect ?? 'valid' };
        },
      },
    );
    report = buildReport(
      SEED,
      results,
      selected.map((l) => ({ entry: l.entry.name, module: l.table.id, export: l.exportName, file: sourceOf(ROOT, l.table.source, l.exportName) })),
    );
    const out = process.env.FUZZ_REPORT;
    if (out) {
      if (!out.endsWith('.md')) writeFileSync(out.endsWith('.json') ? out : `${out}.json`, JSON.stringify(report, null, 1));
      if (!out.endsWith('.json')) writeFileSync(out.endsWith('.md') ? out : `${out}.md`, toMarkdown(report));
    }
  }, 600_000);

  const list = (rs: readonly CaseResult[]) =>
    rs
      .slice(0, 40)
      .map((r) => `${r.entry} | ${r.slot} | ${r.bad} | ${r.kind} ${r.error ?? ''}: ${r.message ?? ''}${r.at ? ` (${r.at})` : ''}`);

  test('every case ran (the workers reported every case of every entry)', () => {
    const expected = selected.reduce((n, l) => n + casesOf(l.entry, SEED).length, 0);
    expect(results.length).toBe(expected);
    expect(report.totals.badInputs).toBeGreaterThan(0);
  });

  const failing: readonly [OutcomeKind, string][] = [
    ['baseline-failed', 'the call with valid arguments works (else the signature or the function is broken)'],
    ['untyped', 'no untyped errors (TypeError, RangeError, …): bad input gets a NatgradError'],
    ['unnamed', 'typed errors name the function that was called'],
    ['silent-nan', 'no silent NaN/∞ out of input without them'],
    ['accepted-garbage', 'no accepted garbage: input that must be rejected is rejected'],
    ['oversize', 'huge sizes are rejected before anything is allocated'],
    ['hang', 'every asynchronous call settles'],
    ['crash', 'no case kills or stalls its worker'],
  ];
  if (failing.map(([k]) => k).sort().join() !== [...FAILURES].sort().join()) throw new Error('exports.test.ts: a failure kind has no test');
  for (const [kind, title] of failing) {
    test(title, () => {
      expect(list(results.filter((r) => r.kind === kind))).toEqual([]);
    });
  }

  const extras: readonly [Extra, string][] = [
    ['prototype-polluted', 'Object.prototype, Array.prototype and Function.prototype are untouched after every case'],
    ['prototype-hijacked', 'no result object gets a prototype from an input’s "__proto__" key'],
    ['input-mutated', 'no call writes into its (valid) inputs'],
  ];
  for (const [extra, title] of extras) {
    test(title, () => {
      expect(list(results.filter((r) => r.extras?.includes(extra)))).toEqual([]);
    });
  }
});
