/**
 * Safety nets around each case: an allocation guard (a huge size must be rejected before anything is allocated, and
 * a case that would allocate gigabytes must not take the worker down), a snapshot of the built-in prototypes
 * (prototype pollution), and fingerprints of the valid arguments (a call must not write into its inputs).
 *
 * The guard tells two kinds of large request apart. A typed array or buffer above core's documented `MAX_SIZE`
 * elements is a size the library promises to reject before allocating: the guard refuses it and the case is
 * `oversize`. One between {@link ELEMENT_LIMIT} and `MAX_SIZE` is a size the library accepts (`zeros([1e9])` is 8 GB:
 * fine on a big machine): the guard fails it the way the engine fails on a machine without the memory — a
 * `RangeError("Array buffer allocation failed")` — and the library must turn that into its documented
 * `OutOfMemoryError` (anything else leaking out is a failure). Plain `Array`s have no such middle ground: running
 * out of heap aborts the process, so every one above the limit is `oversize`.
 * @module
 */
import { MAX_SIZE } from '@natgrad/core';

/** Most elements any single array may have during a case: 2²⁰ (8 MB of float64). */
export const ELEMENT_LIMIT = 1 << 20;

/** Thrown by the guard instead of allocating. */
export class AllocationGuardError extends Error {
  constructor(what: string, length: number) {
    super(`allocation guard: ${what} of ${length} elements requested (limit ${ELEMENT_LIMIT})`);
    this.name = 'AllocationGuardError';
  }
}

type Ctor = abstract new (...args: never[]) => unknown;

const TYPED = [
  'Float64Array',
  'Float32Array',
  'Int32Array',
  'Uint32Array',
  'Int16Array',
  'Uint16Array',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'BigInt64Array',
  'BigUint64Array',
] as const;

const originals = new Map<string, Ctor>();
let tripped: string | undefined;
let failed: string | undefined;
let installed = false;

/** The element count a constructor call asks for, if it is a plain length (or a byte length for ArrayBuffer). */
function requested(name: string, args: readonly unknown[]): number | undefined {
  const a = args[0];
  if (name === 'Array') return args.length === 1 && typeof a === 'number' ? a : undefined;
  if (name === 'ArrayBuffer') return typeof a === 'number' ? a / 8 : undefined;
  if (typeof a === 'number') return a;
  if (a !== null && typeof a === 'object' && !ArrayBuffer.isView(a) && !(a instanceof ArrayBuffer)) {
    const len = (a as { length?: unknown }).length;
    return typeof len === 'number' ? len : undefined;
  }
  return undefined;
}

function check(name: string, args: readonly unknown[]): void {
  const n = requested(name, args);
  if (n === undefined || n <= ELEMENT_LIMIT) return;
  const message = `${name}(${n})`;
  if (name !== 'Array' && n <= MAX_SIZE) {
    failed ??= message;
    throw new RangeError('Array buffer allocation failed');
  }
  tripped ??= message;
  throw new AllocationGuardError(name, n);
}

function guarded(name: string, target: Ctor): Ctor {
  return new Proxy(target, {
    construct(t, args, newTarget) {
      check(name, args);
      return Reflect.construct(t as unknown as new (...a: unknown[]) => object, args, newTarget === proxyOf(name) ? t : newTarget);
    },
    apply(t, thisArg, args) {
      check(name, args);
      return Reflect.apply(t as unknown as (...a: unknown[]) => unknown, thisArg, args);
    },
  });
}

const proxies = new Map<string, Ctor>();
const proxyOf = (name: string): Ctor | undefined => proxies.get(name);

/**
 * Replaces the global array constructors by guarded ones for the rest of the process (the worker runs nothing but
 * cases). Idempotent.
 */
export function installAllocationGuard(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as unknown as Record<string, Ctor>;
  for (const name of [...TYPED, 'ArrayBuffer', 'Array'] as const) {
    const original = g[name];
    originals.set(name, original);
    const proxy = guarded(name, original);
    proxies.set(name, proxy);
    Object.defineProperty(globalThis, name, { value: proxy, writable: true, configurable: true, enumerable: false });
  }
}

/** Clears the trip flags before a case. */
export function resetGuard(): void {
  tripped = undefined;
  failed = undefined;
}

/** The allocation within `MAX_SIZE` the guard failed as an out-of-memory engine would, if any. */
export function guardFailed(): string | undefined {
  return failed;
}

/** What the guard refused during the case, if anything (even if the library caught and wrapped the error). */
export function guardTripped(): string | undefined {
  return tripped;
}

/** Own properties of the built-in prototypes a case could pollute, and their descriptors. */
interface Snapshot {
  readonly target: object;
  readonly keys: Map<string | symbol, PropertyDescriptor>;
}

const WATCHED: readonly object[] = [Object.prototype, Array.prototype, Function.prototype];

function snapshotOne(target: object): Snapshot {
  const keys = new Map<string | symbol, PropertyDescriptor>();
  for (const k of Reflect.ownKeys(target)) keys.set(k, Object.getOwnPropertyDescriptor(target, k)!);
  return { target, keys };
}

const baseline = WATCHED.map(snapshotOne);

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return a.value === b.value && a.get === b.get && a.set === b.set && a.writable === b.writable;
}

/**
 * Checks the built-in prototypes against their state at start-up; restores them (so one polluting case does not
 * poison the next) and returns the names of what had changed.
 */
export function checkPrototypes(): string[] {
  const changed: string[] = [];
  for (const snap of baseline) {
    const now = Reflect.ownKeys(snap.target);
    for (const k of now) {
      const before = snap.keys.get(k);
      const d = Object.getOwnPropertyDescriptor(snap.target, k)!;
      if (before === undefined) {
        changed.push(String(k));
        Reflect.deleteProperty(snap.target, k);
      } else if (!sameDescriptor(before, d)) {
        changed.push(String(k));
        Object.defineProperty(snap.target, k, before);
      }
    }
    for (const [k, d] of snap.keys) {
      if (!now.includes(k)) {
        changed.push(String(k));
        Object.defineProperty(snap.target, k, d);
      }
    }
  }
  return changed;
}

/** Float64Arrays reachable from a (valid, plain) argument, for a before/after comparison. */
function collectArrays(x: unknown, out: Float64Array[], seen: Set<unknown>, depth: number): void {
  if (x === null || typeof x !== 'object' || seen.has(x) || depth > 16) return;
  seen.add(x);
  if (x instanceof Float64Array) {
    out.push(x);
    return;
  }
  if (ArrayBuffer.isView(x)) return;
  const data = (x as { data?: unknown }).data;
  if (data instanceof Float64Array) out.push(data);
  if (Array.isArray(x)) for (const c of x) collectArrays(c, out, seen, depth + 1);
  else if (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null) {
    for (const k of Object.keys(x)) collectArrays((x as Record<string, unknown>)[k], out, seen, depth + 1);
  }
}

/** A snapshot of the numbers in the valid arguments; `changed()` tells whether the call wrote into any of them. */
export function fingerprint(args: readonly unknown[]): { changed(): boolean } {
  const arrays: Float64Array[] = [];
  const seen = new Set<unknown>();
  for (const a of args) collectArrays(a, arrays, seen, 0);
  const copies = arrays.map((a) => a.slice());
  return {
    changed: () =>
      arrays.some((a, i) => {
        const c = copies[i];
        if (a.length !== c.length) return true;
        for (let j = 0; j < a.length; j++) if (!Object.is(a[j], c[j])) return true;
        return false;
      }),
  };
}
