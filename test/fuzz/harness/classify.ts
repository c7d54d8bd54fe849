/**
 * The classifier: what one call did with one bad value. Kept free of the case machinery so that its rules read in
 * one place:
 * - a throw is `typed` when it is a NatgradError whose message names the function (`unnamed` otherwise), `documented`
 *   when it is the user's own exception coming back unchanged, `untyped` for anything else;
 * - a return is `accepted-garbage` for a value that had to be rejected, `silent-nan` when NaN/∞ comes out of input
 *   without them, `documented` for IEEE propagation of NaN data, `fine` otherwise;
 * - an `OutOfMemoryError` for an allocation the guard failed like an engine out of memory is `documented`, and so is
 *   anything a documented unchecked fast path does with garbage (short of crashing, hanging or allocating hugely).
 * @module
 */
import { NatgradError, OutOfMemoryError } from '@natgrad/core';
import { AllocationGuardError } from './guard.js';
import { HostileError } from './hostile.js';
import type { Bad, DocumentedReason, Extra, OutcomeKind } from './types.js';

/** What a case observed. */
export type Observation =
  | { readonly threw: false; readonly result: unknown }
  | { readonly threw: true; readonly error: unknown }
  | { readonly timedOut: true };

/** The verdict on one case. */
export interface Verdict {
  readonly kind: OutcomeKind;
  readonly reason?: DocumentedReason;
  readonly extras: Extra[];
  readonly error?: string;
  readonly message?: string;
  readonly at?: string;
}

const MESSAGE_LIMIT = 300;

/**
 * A regular expression matching any of `names` as a whole identifier (so `add` does not match `addMaybe`). A name
 * ending in `*` matches any identifier it begins (`FuzzLeaf*` for the fresh names `FuzzLeaf12`, `FuzzLeaf13`, … that
 * the definition entries register, since a registry name can be taken once per process).
 */
export function namesPattern(names: readonly string[]): RegExp {
  const escaped = names.map((n) => (n.endsWith('*') ? `${n.slice(0, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[A-Za-z0-9_$]*` : n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`(^|[^A-Za-z0-9_$])(${escaped.join('|')})([^A-Za-z0-9_$]|$)`);
}

/** The first stack frame inside a package's sources: `packages/core/src/convert.ts:11`. */
export function throwSite(e: unknown): string | undefined {
  const stack = e instanceof Error ? e.stack : undefined;
  if (stack === undefined) return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const m = /(packages\/[^/]+\/src\/[^:)\s]+):(\d+)/.exec(line);
    if (m) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}

function describeError(e: unknown): { error: string; message: string } {
  if (e instanceof Error) return { error: e.name || e.constructor.name, message: e.message.slice(0, MESSAGE_LIMIT) };
  return { error: typeof e, message: String(e).slice(0, MESSAGE_LIMIT) };
}

/** True when the error or any of its causes is the guard's (or mentions it: a library may re-wrap messages). */
function isGuard(e: unknown, depth = 0): boolean {
  if (e instanceof AllocationGuardError) return true;
  if (depth > 4 || !(e instanceof Error)) return false;
  return e.message.includes('allocation guard') || isGuard((e as { cause?: unknown }).cause, depth + 1);
}

/** Where the first NaN/∞ of a result is (a path), looking through tensors, numbers, arrays and plain objects. */
export function findNonFinite(x: unknown, path = '', depth = 0, seen = new Set<unknown>()): string | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? undefined : path || '<result>';
  if (x === null || typeof x !== 'object' || depth > 12 || seen.has(x)) return undefined;
  seen.add(x);
  if (x instanceof Float64Array || x instanceof Float32Array) {
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return `${path}[${i}]`;
    return undefined;
  }
  if (ArrayBuffer.isView(x) || x instanceof Error) return undefined;
  const data = (x as { data?: unknown }).data;
  if (data instanceof Float64Array) return findNonFinite(data, path, depth + 1, seen);
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length && i < 10_000; i++) {
      const p = findNonFinite(x[i], `${path}[${i}]`, depth + 1, seen);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return undefined;
  for (const k of Object.keys(x)) {
    const d = Object.getOwnPropertyDescriptor(x, k);
    if (d === undefined || d.get !== undefined) continue;
    const p = findNonFinite(d.value, path === '' ? k : `${path}.${k}`, depth + 1, seen);
    if (p !== undefined) return p;
  }
  return undefined;
}

/** Objects reachable from the arguments (without running getters or Proxy traps that throw), to tell them apart. */
export function reachable(args: readonly unknown[]): Set<unknown> {
  const out = new Set<unknown>();
  const walk = (x: unknown, depth: number) => {
    if (x === null || (typeof x !== 'object' && typeof x !== 'function') || out.has(x) || depth > 12) return;
    out.add(x);
    try {
      if (ArrayBuffer.isView(x)) return;
      for (const k of Object.keys(x)) {
        const d = Object.getOwnPropertyDescriptor(x, k);
        if (d !== undefined && d.get === undefined) walk(d.value, depth + 1);
      }
      walk(Object.getPrototypeOf(x), depth + 1);
    } catch {
      // a Proxy whose traps throw: nothing more to see
    }
  };
  for (const a of args) walk(a, 0);
  return out;
}

/**
 * True when some object in the result that is not one of the inputs has a plain object as its prototype: an input's
 * `__proto__` key was assigned instead of being kept as data or rejected.
 */
export function hasHijackedPrototype(x: unknown, inputs: ReadonlySet<unknown>, depth = 0, seen = new Set<unknown>()): boolean {
  if (x === null || typeof x !== 'object' || depth > 12 || seen.has(x) || inputs.has(x) || ArrayBuffer.isView(x)) return false;
  seen.add(x);
  const proto = Object.getPrototypeOf(x) as object | null;
  if (proto !== null && proto !== Object.prototype && proto !== Array.prototype && !Object.hasOwn(proto, 'constructor')) return true;
  if (proto !== Object.prototype && proto !== null && !Array.isArray(x)) return false;
  for (const k of Object.keys(x)) {
    const d = Object.getOwnPropertyDescriptor(x, k);
    if (d !== undefined && d.get === undefined && hasHijackedPrototype(d.value, inputs, depth + 1, seen)) return true;
  }
  return false;
}

/** What the case's entry and the guard add to the classification. */
export interface CaseContext {
  /** The entry is a documented unchecked fast path ({@link Entry.unchecked}). */
  readonly unchecked?: boolean;
  /** An allocation within `MAX_SIZE` that the guard failed as an out-of-memory engine would (see guard.ts). */
  readonly outOfMemory?: string;
}

/**
 * Classifies one case. `bad` is undefined for the baseline (valid arguments), which must return a finite result.
 * `scan` is false for functions whose results are not numbers.
 */
export function classify(
  obs: Observation,
  bad: Bad | undefined,
  names: RegExp,
  scan: boolean,
  tripped: string | undefined,
  baselineThrows = false,
  inputs: ReadonlySet<unknown> = new Set(),
  context: CaseContext = {},
): Verdict {
  const extras: Extra[] = [];
  if ('timedOut' in obs) return { kind: 'hang', extras, message: 'did not settle in time' };
  if (tripped !== undefined) {
    const e = obs.threw ? describeError(obs.error) : undefined;
    return { kind: 'oversize', extras, error: e?.error, message: `tried to allocate ${tripped}`, at: obs.threw ? throwSite(obs.error) : undefined };
  }
  // The documented answer to a size the library accepts but the machine cannot hold.
  if (context.outOfMemory !== undefined && obs.threw && obs.error instanceof OutOfMemoryError) {
    return { kind: 'documented', reason: 'out-of-memory', extras, error: 'OutOfMemoryError', message: `out of memory for ${context.outOfMemory} (within MAX_SIZE)` };
  }
  if (context.unchecked === true && bad !== undefined && !(obs.threw && isGuard(obs.error))) {
    if (!obs.threw && hasHijackedPrototype(obs.result, inputs)) extras.push('prototype-hijacked');
    return { kind: 'documented', reason: 'unchecked', extras, ...(obs.threw ? { error: describeError(obs.error).error } : {}) };
  }
  if (obs.threw) {
    const e = obs.error;
    const d = describeError(e);
    if (bad === undefined) {
      const refused = baselineThrows && e instanceof NatgradError && names.test(e.message);
      return refused ? { kind: 'typed', extras, error: d.error } : { kind: 'baseline-failed', extras, ...d, at: throwSite(e) };
    }
    if (e instanceof HostileError) return { kind: 'documented', reason: 'user-exception', extras, error: d.error };
    if (isGuard(e)) return { kind: 'oversize', extras, ...d };
    if (e instanceof NatgradError) {
      return names.test(e.message) ? { kind: 'typed', extras, error: d.error } : { kind: 'unnamed', extras, ...d, at: throwSite(e) };
    }
    return { kind: 'untyped', extras, ...d, at: throwSite(e) };
  }
  const result = obs.result;
  if (hasHijackedPrototype(result, inputs)) extras.push('prototype-hijacked');
  const nonFinite = scan ? findNonFinite(result) : undefined;
  if (bad === undefined) {
    if (baselineThrows) return { kind: 'baseline-failed', extras, message: 'returned normally, a typed refusal was expected' };
    return nonFinite === undefined ? { kind: 'fine', extras } : { kind: 'baseline-failed', extras, message: `non-finite result at ${nonFinite}` };
  }
  if (bad.expect === 'reject') return { kind: 'accepted-garbage', extras, message: 'returned normally' };
  if (nonFinite !== undefined) {
    const attributable = bad.expect === 'ieee' || bad.family === 'nonfinite';
    return attributable ? { kind: 'documented', reason: 'ieee', extras } : { kind: 'silent-nan', extras, message: `non-finite value at ${nonFinite}` };
  }
  return { kind: 'fine', extras };
}
