/**
 * The vocabulary of the fuzz harness: a signature is a list of argument slots, a slot knows how to build a valid
 * value and which bad values to put in its place, and every case ends in one outcome.
 * @module
 */

/**
 * What a bad value demands of the function under test.
 * - `reject`: the input is invalid; the only correct answer is a typed error (a `NatgradError` naming the function).
 * - `ieee`: NaN/±∞ put into the data of elementwise maths; a NaN/∞ result is IEEE propagation, which the project
 *   documents (a typed error is fine too).
 * - `any`: unusual but possibly valid (an empty array, a Proxy, a null-prototype object); a typed error or a finite
 *   result are both fine, an untyped error or a NaN result are not.
 */
export type Expect = 'reject' | 'ieee' | 'any';

/** Which kind of hostility a bad value stands for (the report counts them per family). */
export type BadFamily =
  | 'type' // wrong JavaScript type
  | 'shape' // wrong shape, rank or structure
  | 'nonfinite' // NaN / ±Infinity
  | 'size' // negative, fractional or huge sizes and counts
  | 'domain' // a well-typed value outside the documented domain
  | 'hostile' // __proto__ keys, throwing getters, Proxies, cycles
  | 'option' // unknown option keys, truthy strings for booleans
  | 'callback'; // user functions that throw or return garbage

/** One bad value for a slot. `make` is called once per case, so every case gets a fresh object. */
export interface Bad {
  readonly label: string;
  readonly make: () => unknown;
  readonly expect: Expect;
  readonly family: BadFamily;
  /** Drawn by fast-check (rather than written out in the catalogue). */
  readonly generated?: boolean;
  /** The part of the argument it corrupts (an option key), reported as `slot.sub`. */
  readonly sub?: string;
}

/** One argument position of a call. */
export interface Slot {
  /** Argument name as in the function's signature (`x`, `options.chunkSize`, `q`, …). */
  readonly name: string;
  /** A fresh valid value. */
  readonly valid: () => unknown;
  /** The bad values tried in this position, one per case. */
  readonly bad: readonly Bad[];
  /** Leave the argument out (rather than pass `valid()`) in the valid call: optional trailing arguments. */
  readonly omit?: boolean;
  /** More bad values drawn with fast-check from `seed` (fixed per entry and slot, so runs are reproducible). */
  readonly random?: (seed: number) => readonly Bad[];
}

/**
 * One call in a chain: `grad(f, options)` returns a function, which is then called with the arguments. `call`
 * receives the previous stage's result (undefined for the first) and this stage's arguments.
 */
export interface Stage {
  readonly slots: readonly Slot[];
  readonly call: (prev: unknown, args: unknown[]) => unknown;
}

/** A fuzz target: a public function, constructor, method or getter, as a chain of stages. */
export interface Entry {
  /** Display name, also the key the completeness check matches: `add`, `new Key`, `Tensor.from`, `Tensor#get`. */
  readonly name: string;
  /** Names an error message may use to say where it came from (the function the user called). */
  readonly names: readonly string[];
  readonly stages: readonly Stage[];
  /** `scan` (default): look for NaN/∞ in the result. `none`: the result is not numeric (strings, errors, rules). */
  readonly result?: 'scan' | 'none';
  /** Milliseconds an asynchronous stage may take before the case counts as a hang. Default 3000. */
  readonly timeoutMs?: number;
  /**
   * The valid call must throw a typed error (a documented refusal, e.g. `item()` on a tracer): the baseline passes
   * when it does.
   */
  readonly baselineThrows?: boolean;
  /**
   * A documented unchecked fast path (`P.unchecked.*`): garbage in is not required to be rejected, so whatever it
   * returns or throws is `documented`; it must still not crash, hang or allocate a huge array, and its baseline must
   * work.
   */
  readonly unchecked?: boolean;
}

/** How one case ended. */
export type OutcomeKind =
  | 'typed' // a NatgradError naming the function
  | 'documented' // IEEE NaN propagation on NaN data, the user's own exception propagated unchanged, an out-of-memory
  // error for a size within the documented limits, or anything an unchecked fast path does with garbage
  | 'fine' // a finite result for input that may be valid
  | 'unnamed' // a NatgradError whose message does not say which function
  | 'untyped' // any other exception (TypeError, RangeError, …)
  | 'silent-nan' // NaN/∞ out of input without NaN/∞
  | 'accepted-garbage' // returned normally for input that must be rejected
  | 'oversize' // tried to allocate more than the guard allows: a huge size was not rejected first
  | 'hang' // an asynchronous call did not settle in time
  | 'crash' // the worker process died or stalled on this case
  | 'baseline-failed'; // the valid call itself failed (the signature or the function is wrong)

/** Why a case is `documented`. */
export type DocumentedReason =
  | 'ieee' // NaN/∞ data propagated as IEEE arithmetic does
  | 'user-exception' // the user's own exception (a callback, getter or Proxy trap) came back unchanged
  | 'out-of-memory' // OutOfMemoryError for a size within MAX_SIZE the (simulated) engine could not allocate
  | 'unchecked'; // a documented unchecked fast path did something with garbage

/** Problems found beside the outcome. */
export type Extra = 'prototype-polluted' | 'prototype-hijacked' | 'input-mutated';

/** The outcome of one case, as the worker reports it. */
export interface CaseResult {
  /** Entry name. */
  readonly entry: string;
  /** Case index within the entry (0 is the valid baseline call). */
  readonly index: number;
  /** `stage.slot` that was corrupted (`-` for the baseline). */
  readonly slot: string;
  /** Label of the bad value. */
  readonly bad: string;
  readonly family: BadFamily | 'baseline';
  readonly expect: Expect | 'valid';
  readonly kind: OutcomeKind;
  /** Why, for a `documented` case. */
  readonly reason?: DocumentedReason;
  readonly extras?: readonly Extra[];
  /** Error class name, when the case threw. */
  readonly error?: string;
  /** Error message (truncated), for failures. */
  readonly message?: string;
  /** Where a failing error was thrown: the first stack frame in `packages/…/src`. */
  readonly at?: string;
  /** Wall time of the case in milliseconds. */
  readonly ms?: number;
}

/** Outcomes that count as failures. */
export const FAILURES: readonly OutcomeKind[] = [
  'unnamed',
  'untyped',
  'silent-nan',
  'accepted-garbage',
  'oversize',
  'hang',
  'crash',
  'baseline-failed',
];
