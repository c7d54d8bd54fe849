/**
 * Building entries and module tables. An entry is named after what the user writes: `add`, `random.normal`,
 * `new Key`, `Tensor.from` (static), `Tensor#get` (instance method or getter), `meanCholesky.validate` (a method of
 * an exported object). The completeness check (completeness.ts) relies on these names.
 * @module
 */
import type { Entry, Slot, Stage } from './types.js';

/** Entry options shared by the helpers. */
export interface EntryOptions {
  /** Further names an error message may use for this function (default: derived from the entry name). */
  readonly names?: readonly string[];
  readonly result?: Entry['result'];
  readonly timeoutMs?: number;
  readonly baselineThrows?: boolean;
  /** A documented unchecked fast path: see {@link Entry.unchecked}. */
  readonly unchecked?: boolean;
  /** Further stages run on the result (e.g. calling the function `grad(f)` returns). */
  readonly then?: readonly Stage[];
  /** The last slot is a list of arguments spread into the call (rest parameters such as `slice(x, ...index)`). */
  readonly spread?: boolean;
}

/** The arguments as passed: the last one spread when `spread` is set. */
function spreadArgs(args: unknown[], spread: boolean | undefined): unknown[] {
  if (!spread || args.length === 0) return args;
  const last = args[args.length - 1];
  return [...args.slice(0, -1), ...(Array.isArray(last) ? last : [last])];
}

/** Names derived from an entry name: `random.normal` → `random.normal`, `normal`; `Tensor#get` → `Tensor.get`, `get`. */
export function namesOf(name: string): string[] {
  const bare = name.replace(/^new /, '').replace('#', '.').replace(/ \[.*\]$/, '');
  const last = bare.split('.').pop()!;
  return [...new Set([bare, last])];
}

function entry(name: string, first: Stage, o: EntryOptions): Entry {
  return {
    name,
    names: [...namesOf(name), ...(o.names ?? [])],
    stages: [first, ...(o.then ?? [])],
    ...(o.result ? { result: o.result } : {}),
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.baselineThrows ? { baselineThrows: true } : {}),
    ...(o.unchecked ? { unchecked: true } : {}),
  };
}

/** `f(...args)`. */
export function call(name: string, f: (...args: any[]) => unknown, slots: readonly Slot[], o: EntryOptions = {}): Entry {
  return entry(name, { slots, call: (_prev, args) => f(...spreadArgs(args, o.spread)) }, o);
}

/** `new C(...args)`. */
export function construct(name: string, C: new (...args: any[]) => unknown, slots: readonly Slot[], o: EntryOptions = {}): Entry {
  return entry(name, { slots, call: (_prev, args) => new C(...args) }, { result: 'none', ...o });
}

/** `receiver[method](...args)`, the receiver being the first slot. */
export function method(name: string, receiver: Slot, m: string, slots: readonly Slot[], o: EntryOptions = {}): Entry {
  return entry(
    name,
    {
      slots: [receiver, ...slots],
      call: (_prev, [r, ...args]) => (r as Record<string, (...a: unknown[]) => unknown>)[m](...spreadArgs(args, o.spread)),
    },
    o,
  );
}

/** `receiver[property]` (a getter). */
export function getter(name: string, receiver: Slot, property: string, o: EntryOptions = {}): Entry {
  return entry(name, { slots: [receiver], call: (_prev, [r]) => (r as Record<string, unknown>)[property] }, o);
}

/** A later stage: `call(previousResult, args)`. */
export function stage(slots: readonly Slot[], f: (prev: any, args: any[]) => unknown): Stage {
  return { slots, call: f };
}

/** A later stage that calls the previous result (a function) with the arguments. */
export function apply(slots: readonly Slot[]): Stage {
  return stage(slots, (f: (...a: unknown[]) => unknown, args) => f(...args));
}

/** What a table says about one export. */
export type ExportSpec =
  /** The entries that fuzz it (its calls, constructor, statics, methods). */
  | readonly Entry[]
  /** Not fuzzed directly, with the reason, and a check that the reason holds (problems, or an empty list). */
  | { readonly covered: string; readonly check: () => readonly string[] };

/** The table of one entry point (a package index or a namespace in it). */
export interface ModuleTable {
  /** `@natgrad/core`, `@natgrad/core#random`, … */
  readonly id: string;
  /** The module namespace object (its `Object.keys` are the exports). */
  readonly module: Readonly<Record<string, unknown>>;
  /** Repository path of the file the exports are read from, to find each export's source file. */
  readonly source: string;
  /** Prefix of the entry names (`random.` for the random namespace). */
  readonly prefix?: string;
  readonly exports: Readonly<Record<string, ExportSpec>>;
}

/** A covered export: its reason and check. */
export function covered(reason: string, check: () => readonly string[] = () => []): ExportSpec {
  return { covered: reason, check };
}

/** A constant export: it must be frozen if it is an object, and equal to `expected` if given. */
export function constant(value: unknown, expected?: unknown): ExportSpec {
  return covered('a constant: checked to be frozen (objects) and to hold the documented value', () => {
    const problems: string[] = [];
    if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) problems.push('is not frozen: a user can change it');
    if (expected !== undefined && JSON.stringify(value) !== JSON.stringify(expected)) {
      problems.push(`is ${JSON.stringify(value)}, documented as ${JSON.stringify(expected)}`);
    }
    return problems;
  });
}
