/**
 * The check that keeps the tables from rotting: every runtime export of every entry point has a table entry, every
 * class has entries for its constructor, static methods and prototype members, every exported object for its
 * methods, and no entry names something that is not there.
 * @module
 */
import type { ExportSpec, ModuleTable } from './entry.js';
import type { Entry } from './types.js';

/**
 * Classes that are abstract in TypeScript: there is no valid `new` call to fuzz (their instances come from `Tensor`
 * and from the transforms, whose members are fuzzed).
 */
const ABSTRACT = new Set(['ArrayValue', 'Tracer']);

const isClass = (f: unknown): f is abstract new (...a: never[]) => unknown =>
  typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));

/** The entry names an export needs. */
export function requiredNames(name: string, value: unknown, prefix = ''): string[] {
  const full = `${prefix}${name}`;
  if (isClass(value)) {
    const statics = Object.getOwnPropertyNames(value).filter((k) => !['length', 'name', 'prototype'].includes(k) && typeof (value as unknown as Record<string, unknown>)[k] === 'function');
    const members = Object.getOwnPropertyNames(value.prototype).filter((k) => k !== 'constructor');
    return [...(ABSTRACT.has(name) ? [] : [`new ${full}`]), ...statics.map((s) => `${full}.${s}`), ...members.map((m) => `${full}#${m}`)];
  }
  if (typeof value === 'function') return [full];
  if (value !== null && typeof value === 'object') return methodNames(full, value as Record<string, unknown>, 1);
  return [];
}

/**
 * The methods of an exported object, and those of its plain-object members `depth` levels down (a descriptor's
 * `unchecked` record of bare maps is API too).
 */
function methodNames(full: string, value: Record<string, unknown>, depth: number): string[] {
  return Object.keys(value).flatMap((k) => {
    const v = value[k];
    if (typeof v === 'function') return [`${full}.${k}`];
    const plain = v !== null && typeof v === 'object' && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));
    return plain && depth > 0 ? methodNames(`${full}.${k}`, v as Record<string, unknown>, depth - 1) : [];
  });
}

/** True when an entry name belongs to the export (itself, a member, a constructor, or a variant `name [..]`). */
function belongs(entryName: string, full: string): boolean {
  const bare = entryName.replace(/^new /, '').replace(/ \[.*\]$/, '');
  return bare === full || bare.startsWith(`${full}.`) || bare.startsWith(`${full}#`);
}

/** Every problem with the tables; an empty list when they cover the packages exactly. */
export function completenessProblems(tables: readonly ModuleTable[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const t of tables) {
    const exported = Object.keys(t.module);
    const specified = Object.keys(t.exports);
    for (const k of exported) if (!(k in t.exports)) problems.push(`${t.id}: export "${k}" has no entry in the fuzz table`);
    for (const k of specified) if (!exported.includes(k)) problems.push(`${t.id}: the table lists "${k}", which is not an export`);
    for (const k of specified) {
      const spec: ExportSpec = t.exports[k];
      if (!Array.isArray(spec)) {
        for (const p of (spec as { check: () => readonly string[] }).check()) problems.push(`${t.id}: ${k} ${p}`);
        continue;
      }
      const entries = spec as readonly Entry[];
      const full = `${t.prefix ?? ''}${k}`;
      const names = entries.map((e) => e.name);
      if (entries.length === 0) problems.push(`${t.id}: "${k}" has an empty entry list`);
      for (const need of requiredNames(k, t.module[k], t.prefix)) {
        if (!names.includes(need)) problems.push(`${t.id}: "${need}" has no entry`);
      }
      for (const n of names) {
        if (!belongs(n, full)) problems.push(`${t.id}: entry "${n}" is listed under "${k}"`);
        const other = seen.get(n);
        if (other !== undefined) problems.push(`entry name "${n}" is used twice (${other} and ${t.id})`);
        seen.set(n, t.id);
      }
    }
  }
  return problems;
}
