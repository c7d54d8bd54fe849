/**
 * The report: totals, and per export the cases tried and their outcomes, with failures grouped (same outcome, slot,
 * error and message shape) so that a list of thousands of cases reads as a list of bugs. JSON for tools, markdown
 * grouped by package and source file for people.
 * @module
 */
import { FAILURES, type CaseResult, type DocumentedReason, type Extra, type OutcomeKind } from './types.js';

const KINDS: readonly OutcomeKind[] = ['typed', 'documented', 'fine', ...FAILURES];
const EXTRAS: readonly Extra[] = ['prototype-polluted', 'prototype-hijacked', 'input-mutated'];

/** Failures of one entry that look alike. */
export interface FailureGroup {
  readonly kind: OutcomeKind | Extra;
  readonly slot: string;
  readonly error?: string;
  readonly message?: string;
  readonly at?: string;
  readonly count: number;
  /** Labels of the bad values (up to 6). */
  readonly examples: readonly string[];
}

/** One entry's numbers. */
export interface EntryReport {
  readonly entry: string;
  readonly module: string;
  readonly export: string;
  readonly file: string;
  readonly cases: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly ms: number;
  readonly failures: readonly FailureGroup[];
}

/** The whole report. */
export interface Report {
  readonly seed: number;
  readonly totals: Readonly<Record<string, number>>;
  /**
   * The same figures per package (`@natgrad/core`, its `random` namespace included), with the `documented` cases
   * split by reason (`documented:ieee`, …): the numbers of issue 10's closing note.
   */
  readonly packages: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly entries: readonly EntryReport[];
}

const REASONS: readonly DocumentedReason[] = ['ieee', 'user-exception', 'out-of-memory', 'unchecked'];

/** Where an entry comes from, for grouping. */
export interface EntryInfo {
  readonly entry: string;
  readonly module: string;
  readonly export: string;
  readonly file: string;
}

/** A message with its variable parts (numbers, quoted values) blanked, so that similar failures group together. */
export function messageShape(m: string | undefined): string | undefined {
  return m
    ?.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, '#')
    .replace(/"[^"]{0,40}"/g, '"…"')
    .replace(/\bgot [^,;:)]+/g, 'got …')
    .replace(/\[[^\]]*\]/g, '[…]')
    .slice(0, 200);
}

function group(results: readonly CaseResult[]): FailureGroup[] {
  const groups = new Map<string, { g: Omit<FailureGroup, 'count' | 'examples'>; count: number; examples: string[] }>();
  const add = (kind: OutcomeKind | Extra, r: CaseResult, withError: boolean) => {
    const message = withError ? messageShape(r.message) : undefined;
    const key = [kind, r.slot, withError ? r.error : '', message, withError ? r.at : ''].join('\u0000');
    let e = groups.get(key);
    if (e === undefined) {
      const g = { kind, slot: r.slot, ...(withError && r.error ? { error: r.error } : {}), ...(message ? { message: withError ? r.message : undefined } : {}), ...(withError && r.at ? { at: r.at } : {}) };
      groups.set(key, (e = { g, count: 0, examples: [] }));
    }
    e.count++;
    if (e.examples.length < 6) e.examples.push(r.bad);
  };
  for (const r of results) {
    if (FAILURES.includes(r.kind)) add(r.kind, r, true);
    for (const x of r.extras ?? []) add(x, r, false);
  }
  return [...groups.values()].map(({ g, count, examples }) => ({ ...g, count, examples })).sort((a, b) => b.count - a.count);
}

/** Builds the report from all case results. `infos` lists every entry (entries with no results show as such). */
export function buildReport(seed: number, results: readonly CaseResult[], infos: readonly EntryInfo[]): Report {
  const byEntry = new Map<string, CaseResult[]>();
  for (const r of results) {
    let list = byEntry.get(r.entry);
    if (list === undefined) byEntry.set(r.entry, (list = []));
    list.push(r);
  }
  const zero = (): Record<string, number> => {
    const t: Record<string, number> = { entries: 0, cases: 0, badInputs: 0 };
    for (const k of [...KINDS, ...EXTRAS]) t[k] = 0;
    for (const k of REASONS) t[`documented:${k}`] = 0;
    return t;
  };
  const totals = zero();
  const packages: Record<string, Record<string, number>> = {};
  const entries = infos.map((info): EntryReport => {
    const list = (byEntry.get(info.entry) ?? []).sort((a, b) => a.index - b.index);
    const pkg = (packages[info.module.split('#')[0]] ??= zero());
    const counts: Record<string, number> = {};
    let ms = 0;
    for (const t of [totals, pkg]) {
      t.entries++;
      t.cases += list.length;
    }
    for (const r of list) {
      counts[r.kind] = (counts[r.kind] ?? 0) + 1;
      const keys = [r.kind, ...(r.index > 0 ? ['badInputs'] : []), ...(r.reason ? [`documented:${r.reason}`] : []), ...(r.extras ?? [])];
      for (const t of [totals, pkg]) for (const k of keys) t[k]++;
      for (const x of r.extras ?? []) counts[x] = (counts[x] ?? 0) + 1;
      ms += r.ms ?? 0;
    }
    return { ...info, cases: list.length, counts, ms: Math.round(ms), failures: group(list) };
  });
  return { seed, totals, packages, entries };
}

/** Figures per package: bad inputs and outcomes, `documented` split by reason. */
function packageSummary(r: Report): string[] {
  const names = Object.keys(r.packages);
  const rows: readonly string[] = ['entries', 'badInputs', ...KINDS.flatMap((k) => (k === 'documented' ? [k, ...REASONS.map((x) => `documented:${x}`)] : [k])), ...EXTRAS];
  return [
    '## Per package',
    '',
    `| | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...rows.map((k) => `| ${k.startsWith('documented:') ? `— ${k.slice(11)}` : k} | ${names.map((n) => r.packages[n][k] ?? 0).join(' | ')} |`),
  ];
}

/** Number of failing cases and extras of an entry (or of the totals). */
export function failureCount(counts: Readonly<Record<string, number>>): number {
  return [...FAILURES, ...EXTRAS].reduce((n, k) => n + (counts[k] ?? 0), 0);
}

function countsLine(counts: Readonly<Record<string, number>>): string {
  return [...KINDS, ...EXTRAS].filter((k) => (counts[k] ?? 0) > 0).map((k) => `${k} ${counts[k]}`).join(', ');
}

/** One row per source file: where the failures are, to hand each file to whoever fixes it. */
function fileSummary(r: Report): string[] {
  const cols: readonly (OutcomeKind | Extra)[] = ['untyped', 'unnamed', 'silent-nan', 'accepted-garbage', 'oversize', 'hang', 'crash', 'baseline-failed', ...EXTRAS];
  const rows = new Map<string, { pkg: string; entries: number; cases: number; counts: Record<string, number> }>();
  for (const e of r.entries) {
    let row = rows.get(e.file);
    if (row === undefined) rows.set(e.file, (row = { pkg: e.module.split('#')[0], entries: 0, cases: 0, counts: {} }));
    row.entries++;
    row.cases += e.cases;
    for (const [k, n] of Object.entries(e.counts)) row.counts[k] = (row.counts[k] ?? 0) + n;
  }
  const used = cols.filter((c) => [...rows.values()].some((row) => (row.counts[c] ?? 0) > 0));
  const out = [
    '## Failures by source file',
    '',
    `| file | entries | cases | failing |${used.map((c) => ` ${c} |`).join('')}`,
    `|---|---|---|---|${used.map(() => '---|').join('')}`,
  ];
  const sorted = [...rows].sort(([a, x], [b, y]) => x.pkg.localeCompare(y.pkg) || failureCount(y.counts) - failureCount(x.counts) || a.localeCompare(b));
  for (const [file, row] of sorted) {
    out.push(`| ${file} | ${row.entries} | ${row.cases} | ${failureCount(row.counts)} |${used.map((c) => ` ${row.counts[c] ?? 0} |`).join('')}`);
  }
  return out;
}

/** Failing throws grouped across entries by where they were thrown and what they say: the bugs behind the cases. */
function rootCauses(r: Report, limit = 80): string[] {
  const causes = new Map<string, { kind: string; error: string; message: string; at: string; count: number; entries: Set<string> }>();
  for (const e of r.entries) {
    for (const g of e.failures) {
      if (g.at === undefined) continue;
      const key = [g.kind, g.error, messageShape(g.message), g.at].join('\u0000');
      let c = causes.get(key);
      if (c === undefined) causes.set(key, (c = { kind: g.kind, error: g.error ?? '', message: g.message ?? '', at: g.at, count: 0, entries: new Set() }));
      c.count += g.count;
      c.entries.add(e.entry);
    }
  }
  const sorted = [...causes.values()].sort((a, b) => b.count - a.count);
  const cell = (x: string) => x.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out = [
    '## Root causes',
    '',
    `Failing errors grouped by throw site and message shape (${sorted.length} groups${sorted.length > limit ? `, the ${limit} largest shown` : ''}).`,
    '',
    '| cases | outcome | error | thrown at | entries |',
    '|---|---|---|---|---|',
  ];
  for (const c of sorted.slice(0, limit)) {
    const names = [...c.entries];
    const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? `, … (${names.length})` : '');
    out.push(`| ${c.count} | ${c.kind} | ${cell(`${c.error}: ${c.message}`)} | ${c.at} | ${cell(shown)} |`);
  }
  return out;
}

/** The report as markdown, grouped by package, then source file, then export. */
export function toMarkdown(r: Report, title = 'natgrad hostile-input fuzz report'): string {
  const t = r.totals;
  const lines: string[] = [
    `# ${title}`,
    '',
    `Seed ${r.seed}. ${t.entries} entries (functions, constructors, methods) over every runtime export; ${t.badInputs} bad inputs plus ${t.cases - t.badInputs} valid baseline calls.`,
    '',
    '| outcome | cases |',
    '|---|---|',
    ...[...KINDS, ...EXTRAS].map((k) => `| ${k} | ${t[k]} |`),
    '',
    'Failures are everything but `typed`, `documented` and `fine`. Each failure line is a group of cases with the same',
    'outcome, argument and error: `×n`, the argument (`slot`, `1.x` for the function a first call returned), the error and',
    'where it was thrown, and examples of the bad values.',
    '',
  ];
  lines.push(...packageSummary(r), '', ...fileSummary(r), '', ...rootCauses(r), '');
  const packages = new Map<string, Map<string, EntryReport[]>>();
  for (const e of r.entries) {
    const pkg = e.module.split('#')[0];
    let files = packages.get(pkg);
    if (files === undefined) packages.set(pkg, (files = new Map()));
    let list = files.get(e.file);
    if (list === undefined) files.set(e.file, (list = []));
    list.push(e);
  }
  for (const [pkg, files] of packages) {
    const all = [...files.values()].flat();
    const failing = all.reduce((n, e) => n + failureCount(e.counts), 0);
    lines.push(`## ${pkg}`, '', `${all.length} entries, ${all.reduce((n, e) => n + e.cases, 0)} cases, ${failing} failing.`, '');
    for (const [file, list] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      const bad = list.filter((e) => failureCount(e.counts) > 0);
      const clean = list.filter((e) => failureCount(e.counts) === 0);
      lines.push(`### ${file}`, '');
      for (const e of bad) {
        lines.push(`- **${e.entry}** — ${e.cases} cases: ${countsLine(e.counts)}`);
        for (const g of e.failures) {
          const err = g.error ? ` ${g.error}${g.message ? `: ${g.message}` : ''}` : g.message ? ` ${g.message}` : '';
          const at = g.at ? ` (at ${g.at})` : '';
          lines.push(`  - ${g.kind} ×${g.count} \`${g.slot}\`${err}${at} — e.g. ${g.examples.map((x) => `\`${x}\``).join(', ')}`);
        }
      }
      if (clean.length > 0) lines.push(`- no failures: ${clean.map((e) => `${e.entry} (${e.cases})`).join(', ')}`);
      lines.push('');
    }
  }
  return lines.join('\n');
}
